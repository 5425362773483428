"""The rule-pack commands as a consultant or a script uses them."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests import support as _support

MINI = _support.MINI


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def misspelt_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    rules = pack / "rules" / "main.yaml"
    rules.write_text(
        rules.read_text().replace("{q: async_jobs, is: true}", "{q: asynk_jobs, is: true}")
    )
    return pack


def test_validate_rules_names_file_line_column_and_the_nearest_id(misspelt_pack: Path) -> None:
    with pytest.raises(CommandError) as failure:
        run("validate_rules", str(misspelt_pack))
    assert failure.value.returncode == 1
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("validate_rules", str(misspelt_pack), stdout=out, stderr=StringIO())
    line = out.getvalue().strip().splitlines()[0]
    assert line == (
        "rules/main.yaml:4:15: error: rules[0].when.q: unknown question 'asynk_jobs'; "
        "did you mean 'async_jobs'?"
    )


def test_validate_rules_is_quiet_on_a_good_pack() -> None:
    out, err = run("validate_rules", str(MINI))
    assert out == ""
    assert "0 errors, 0 warnings" in err


def test_test_rules_prints_the_summary_line() -> None:
    out, _ = run("test_rules", str(MINI))
    assert out.strip().splitlines()[-1] == "2 scenarios, 0 failed; rule coverage 3/3 (100%)"


def test_test_rules_shows_expected_and_got_and_exits_1(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    scenario = pack / "scenarios" / "basic.yaml"
    scenario.write_text(
        scenario.read_text().replace(
            "{messaging: queue, bff: none}", "{messaging: stream, bff: none}"
        )
    )
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("test_rules", str(pack), stdout=out, stderr=StringIO())
    assert failure.value.returncode == 1
    text = out.getvalue()
    assert "FAIL scenarios/basic.yaml:2:5: jobs" in text
    assert "messaging: expected stream, got queue (fired: queue-for-jobs)" in text
    assert text.strip().splitlines()[-1] == "2 scenarios, 1 failed; rule coverage 3/3 (100%)"


def test_advise_json_matches_the_engine_and_what_if_is_included(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("clients: [web]\nasync_jobs: true\nbackend_teams: 4\n")
    out, _ = run("advise", str(answers), "--format", "json", "--pack", str(MINI))
    data = json.loads(out)
    messaging = next(d for d in data["decisions"] if d["id"] == "messaging")
    assert messaging["option"] == "queue"
    assert messaging["rationale"][0]["rule"] == "queue-for-jobs"
    flips = [(f["question"], f["answer"], f["option"]) for f in messaging["what_if"]]
    assert ("async_jobs", False, "stream") in flips
    assert [p["id"] for p in data["practices"]] == ["retries-backoff-dlq"]


def test_advise_reads_json_and_prints_text(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"clients": ["web"], "async_jobs": true}')
    out, _ = run("advise", str(answers), "--pack", str(MINI))
    assert "Messaging: Queue [queue; " in out
    assert "[ ] Retries with backoff and a dead-letter queue" in out


def test_advise_text_shows_the_runner_up_ties_and_what_if_in_words(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("clients: [web]\nasync_jobs: true\nbackend_teams: 4\n")
    out, _ = run("advise", str(answers), "--pack", str(MINI))
    assert "  runner-up: " in out
    assert 'Would become "' in out and '" if "Background jobs?" were answered "no".' in out
    assert "async_jobs = " not in out


def test_advise_with_bad_answers_exits_2_naming_the_question(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("clients: [spaceship]\nbackend_team: 4\n")
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("advise", str(answers), "--pack", str(MINI), stdout=StringIO(), stderr=err)
    assert failure.value.returncode == 2
    assert "answers.clients[0]: 'spaceship' is not an option of clients" in err.getvalue()
    assert "did you mean 'backend_teams'?" in err.getvalue()


def test_advise_with_a_missing_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as failure:
        run("advise", str(tmp_path / "nope.yaml"), "--pack", str(MINI))
    assert failure.value.returncode == 2


@pytest.mark.django_db
def test_import_then_export_round_trips_a_pack(tmp_path: Path) -> None:
    out, _ = run("import_rules", str(MINI))
    assert "pack mini: stored and published version 1" in out
    out, _ = run("import_rules", str(MINI))
    assert "unchanged; already version 1" in out
    run("export_rules", str(tmp_path / "out"), "--pack", "mini")
    exported = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.yaml")
    )
    original = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yaml"))
    assert exported == original
    assert (tmp_path / "out" / "rules" / "main.yaml").read_text() == (
        MINI / "rules" / "main.yaml"
    ).read_text()


@pytest.fixture
def acme_answers(tmp_path: Path) -> Path:
    answers = tmp_path / "answers.yaml"
    answers.write_text("project_name: Acme\nclients: [web, mobile]\ncloud: aws\nasync_jobs: true\n")
    return answers


@pytest.mark.parametrize(
    ("fmt", "starts"),
    [("dot", "digraph architecture {"), ("mermaid", '---\ntitle: "Acme — '), ("svg", "<svg")],
)
def test_advise_prints_the_diagram(acme_answers: Path, fmt: str, starts: str) -> None:
    out, _ = run("advise", str(acme_answers), "--format", fmt)

    assert out.startswith(starts)
    assert "Job queue" in out


def test_advise_writes_a_png_to_out(acme_answers: Path, tmp_path: Path) -> None:
    target = tmp_path / "acme.png"

    out, _ = run("advise", str(acme_answers), "--format", "png", "--out", str(target))

    assert out == ""
    assert target.read_bytes().startswith(b"\x89PNG\r\n")


def test_advise_without_graphviz_exits_1_with_the_reason(
    acme_answers: Path, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError) as failure:
        run("advise", str(acme_answers), "--format", "svg")

    assert failure.value.returncode == 1
    assert str(failure.value) == "no diagram: Graphviz (the `dot` program) is not installed here"


def test_advise_into_a_missing_folder_exits_2(acme_answers: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as failure:
        run("advise", str(acme_answers), "--format", "dot", "--out", str(tmp_path / "no" / "x"))

    assert failure.value.returncode == 2
