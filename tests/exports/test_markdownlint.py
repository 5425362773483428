"""Every record, index and report we generate passes markdownlint with MADR's rule set
(templates/records/.markdownlint.yaml): the defaults, no line length, repeated headings."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from advisor.exports.records import Earlier, records, report
from tests.exports.helpers import (
    CONTEXT,
    HOSTILE_NAMES,
    SAAS,
    default_pack,
    mini_pack,
    quick_svg,
    result_of,
)
from tests.support import REPO

MARKDOWNLINT = REPO / "node_modules" / ".bin" / "markdownlint-cli2"
CONFIG = REPO / "templates" / "records" / ".markdownlint.yaml"
EXAMPLES = REPO / "docs" / "examples" / "decisions"


def lint(globs: list[str]) -> subprocess.CompletedProcess[str]:
    if not MARKDOWNLINT.exists() or shutil.which("node") is None:
        pytest.fail("markdownlint-cli2 is missing: run `make node` (npm ci from package-lock)")
    # A guard against a hung process, not a speed check: on a busy shared machine linting
    # some 1,400 files has taken minutes.
    return subprocess.run(
        [str(MARKDOWNLINT), "--config", str(CONFIG), *globs],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


# Every link the generated Markdown can hold: assessment, diagram, sources, decision-makers.
LINKED = replace(
    CONTEXT,
    diagram_url="https://advisor.example/api/v1/assessments/abc/diagram.svg",
    sources_url="https://advisor.example/sources/",
    decision_makers=("Ada <b>", "[x](javascript:y)"),
)


def write_exports(folder: Path, pack, result, context=CONTEXT, **options) -> list[Path]:
    written = []
    for fmt in ("madr", "nygard"):
        target = folder / fmt
        target.mkdir(parents=True)
        files = records(pack=pack, result=result, context=context, fmt=fmt, **options)
        for name, data in files.items():
            (target / name).write_bytes(data)
            written += [target / name] if name.endswith(".md") else []
    (folder / "report.md").write_text(report(pack=pack, result=result, context=context))
    return [*written, folder / "report.md"]


def test_records_and_reports_of_every_scenario_and_hostile_name_pass_markdownlint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick_svg(monkeypatch)
    pack = default_pack()
    paths: list[Path] = []
    for scenario in pack.scenarios:
        paths += write_exports(tmp_path / scenario.id, pack, result_of(pack, scenario.answers))
    for index, name in enumerate(HOSTILE_NAMES):
        result = result_of(pack, SAAS, project_name=name)
        paths += write_exports(tmp_path / f"hostile-{index}", pack, result, LINKED, start=42)
    paths += write_exports(tmp_path / "empty", pack, result_of(pack, {}))
    mini = mini_pack()
    earlier = Earlier(
        result=result_of(mini, {"clients": ["web"], "async_jobs": True}), first_number=1
    )
    paths += write_exports(
        tmp_path / "rerun", mini, result_of(mini, {"clients": ["web"]}), start=3, earlier=earlier
    )

    linted = lint([f"{tmp_path}/**/*.md"])

    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert f"Linting: {len(paths)} files" in linted.stdout


def test_the_committed_example_passes_markdownlint() -> None:
    examples = sorted(EXAMPLES.glob("*.md"))
    assert len(examples) > 3

    linted = lint([str(path) for path in examples])

    assert linted.returncode == 0, linted.stdout + linted.stderr
