"""advise --format md|madr|nygard: the same files, byte for byte, as the API downloads."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from advisor.models import Assessment
from tests.exports.helpers import SAAS


def advise(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("advise", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(SAAS))
    return path


def stored(client) -> tuple[Assessment, str]:
    created = client.post("/api/v1/assessments", {"answers": SAAS}, content_type="application/json")
    assessment = Assessment.objects.get(id=created.json()["id"])
    return assessment, f"http://testserver/a/{assessment.id}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["madr", "nygard"])
def test_records_written_by_the_cli_are_the_bytes_of_the_api_zip(
    client, answers_file, tmp_path, fmt
):
    assessment, permalink = stored(client)
    day = assessment.created.date().isoformat()
    query = f"format={fmt}&start=7&decision_makers=Ada,Grace"
    archive = zipfile.ZipFile(
        io.BytesIO(body(client.get(f"/api/v1/assessments/{assessment.id}/records.zip?{query}")))
    )
    out = tmp_path / "docs" / "decisions"

    advise(
        str(answers_file), "--format", fmt, "--out", str(out), "--start", "7",
        "--date", day, "--permalink", permalink, "--decision-makers", "Ada,Grace",
    )  # fmt: skip

    written = {path.name: path.read_bytes() for path in out.iterdir()}
    from_api = {Path(n).name: archive.read(n) for n in archive.namelist()}
    assert written == from_api


@pytest.mark.django_db
def test_the_report_written_by_the_cli_is_the_bytes_of_the_api_report(
    client, answers_file, tmp_path
):
    assessment, permalink = stored(client)
    day = assessment.created.date().isoformat()

    advise(
        str(answers_file),
        "--format",
        "md",
        "--out",
        str(tmp_path),
        "--date",
        day,
        "--permalink",
        permalink,
    )

    api = body(client.get(f"/api/v1/assessments/{assessment.id}/report.md"))
    assert (tmp_path / "report.md").read_bytes() == api


def test_the_report_goes_to_stdout_without_out(answers_file):
    assert advise(str(answers_file), "--format", "md").startswith("# Architecture report for Acme")


def test_records_never_overwrite_an_existing_log(answers_file, tmp_path):
    advise(str(answers_file), "--format", "madr", "--out", str(tmp_path))
    first = sorted(p.name for p in tmp_path.iterdir())
    before = {name: (tmp_path / name).read_bytes() for name in first}

    with pytest.raises(CommandError, match="use --start to append") as refused:
        advise(
            str(answers_file), "--format", "madr", "--out", str(tmp_path), "--date", "2020-01-01"
        )

    assert refused.value.returncode == 2
    assert {name: (tmp_path / name).read_bytes() for name in first} == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "madr"], "give --out DIR"),
        (["--format", "madr", "--out", "x", "--start", "0"], "--start: records are numbered"),
        (["--format", "md", "--date", "14/03/2026"], "--date: expected YYYY-MM-DD"),
        (["--format", "md", "--permalink", "javascript:alert(1)"], "--permalink"),
        (["--format", "md", "--permalink", "https://x.example/api/v1/packs"], "result page"),
    ],
)
def test_bad_options_are_one_clear_error(answers_file, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)

    with pytest.raises(CommandError, match=message):
        advise(str(answers_file), *args)

    assert not (tmp_path / "x").exists()


def test_a_report_written_to_a_folder_has_its_diagram_beside_it(answers_file, tmp_path):
    out = tmp_path / "out"
    advise(str(answers_file), "--format", "md", "--out", str(out))

    assert sorted(p.name for p in out.iterdir()) == [
        "architecture.mmd",
        "architecture.svg",
        "report.md",
    ]
    report = (out / "report.md").read_text()
    assert "![Architecture diagram of Acme Invoicing](architecture.svg)" in report
    assert "```mermaid\n" + (out / "architecture.mmd").read_text() in report
