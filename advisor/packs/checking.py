"""Checking a set of pack files the way the CLI does: load_pack's problems, then the scenarios.

The editor checks after every pause in typing, so unchanged files are not read again (the
engine keeps each file's parse by name and text) and an unchanged pack is not checked again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.engine import Pack, PackError, Problem, ScenarioReport, load_pack, run_scenarios
from advisor.engine.folder import MAX_FILES
from advisor.engine.loader import fingerprint
from advisor.engine.yamlsafe import MAX_FILE_BYTES
from advisor.packs import cache

MAX_BODY_BYTES = 8 * 1024 * 1024  # a whole pack of YAML as the editor sends it, JSON-encoded
FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}(/[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}){0,3}")


def file_name_problem(name: str) -> str | None:
    """Why `name` cannot be a pack file (a relative .yaml path inside the pack), or None."""
    if not FILE_NAME.fullmatch(name) or ".." in name.split("/"):
        return (
            f"'{name[:100]}' is not a file name for a pack: use letters, digits, '_', '-' "
            "and '.', at most four folders deep, no '..' and no leading '/'"
        )
    if not name.endswith((".yaml", ".yml")):
        return f"'{name}' must end in .yaml or .yml"
    return None


def files_problems(files: Mapping[str, str]) -> list[str]:
    """What makes a set of files unusable before any YAML is read: names, count, sizes."""
    problems = [p for name in files if (p := file_name_problem(name))]
    if not files:
        problems.append("a pack needs at least one file")
    if len(files) > MAX_FILES:
        problems.append(f"{len(files)} files; the limit is {MAX_FILES}")
    problems += [
        f"{name} is larger than {MAX_FILE_BYTES:,} bytes"
        for name, text in files.items()
        if len(text) > MAX_FILE_BYTES
    ]
    return problems


@dataclass(frozen=True)
class FilesCheck:
    """Everything the editor shows about a set of files."""

    problems: tuple[Problem, ...]
    pack: Pack | None
    report: ScenarioReport | None

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def valid(self) -> bool:
        return self.pack is not None

    def refusals(self) -> list[str]:
        """Why these files cannot be published; empty when they can."""
        if self.pack is None or self.report is None:
            return [f"{self.errors} error(s): the pack does not load"] + [
                str(p) for p in self.problems if p.is_error
            ][:20]
        return [
            f"scenario {r.scenario.id} fails: {'; '.join(r.failures)}" for r in self.report.failed
        ]

    def counts_by_file(self) -> dict[str, dict[str, int]]:
        counts: dict[str, Counter[str]] = {}
        for p in self.problems:
            counts.setdefault(p.file, Counter())[p.severity] += 1
        return {name: dict(c) for name, c in counts.items()}

    def summary(self) -> dict[str, object]:
        """What a stored version keeps of its check (shown in lists without re-checking)."""
        report = self.report
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "scenarios": len(report.results) if report else 0,
            "failed": len(report.failed) if report else 0,
            "covered": report.covered if report else 0,
            "rules": report.rule_count if report else 0,
            "by_file": self.counts_by_file(),
        }

    def scenarios(self) -> list[dict[str, object]]:
        if self.report is None:
            return []
        return [
            {
                "id": r.scenario.id,
                "title": r.scenario.title,
                "passed": r.passed,
                "failures": list(r.failures),
                "file": r.scenario.where.file if r.scenario.where else "",
                "line": r.scenario.where.line if r.scenario.where else 1,
            }
            for r in self.report.results
        ]

    def coverage(self) -> dict[str, object]:
        report = self.report
        return {
            "covered": report.covered if report else 0,
            "rules": report.rule_count if report else 0,
            "percent": report.coverage_percent if report else 0,
            "uncovered": list(report.uncovered_rules) if report else [],
        }

    def to_dict(self) -> dict[str, object]:
        """The check as the validate endpoint returns it."""
        return {
            "valid": self.valid,
            "publishable": not self.refusals(),
            "problems": [p.to_dict() for p in self.problems],
            "scenarios": self.scenarios(),
            "coverage": self.coverage(),
        }

    def for_pack(self, pack_id: str, files: Mapping[str, str]) -> FilesCheck:
        """This check, with an error if the files declare another pack than the one edited."""
        if self.pack is None or self.pack.id == pack_id:
            return self
        file, line, column = _pack_id_place(files, self.pack.id)
        mismatch = Problem(
            file,
            line,
            column,
            "error",
            f"pack.id: '{self.pack.id}' is not the pack being edited; expected '{pack_id}'",
        )
        return FilesCheck((*self.problems, mismatch), None, None)


def _pack_id_place(files: Mapping[str, str], declared: str) -> tuple[str, int, int]:
    from advisor.packs.references import find_references

    refs, _ = find_references(files, declared)
    place = next((r for r in refs if r.path == "pack.id"), None)
    return (place.file, place.line, place.column) if place else ("pack.yaml", 1, 1)


def check_files(files: Mapping[str, str]) -> FilesCheck:
    """Load the files as a pack and run its scenarios; the same messages as the CLI."""
    return cache.checks.get_or_make(fingerprint(files), lambda: _check(files))


def _check(files: Mapping[str, str]) -> FilesCheck:
    try:
        pack = load_pack(files, file_cache=cache.checked_files)
    except PackError as exc:
        return FilesCheck(tuple(exc.problems), None, None)
    cache.compiled_packs[pack.fingerprint] = pack
    return FilesCheck(pack.warnings, pack, run_scenarios(pack))


def compiled_files(files: Mapping[str, str], *, digest: str | None = None) -> Pack:
    """The compiled pack of stored files (raises PackError when they do not load); `digest`
    is their fingerprint when the caller already knows it."""
    digest = digest or fingerprint(files)
    pack = cache.compiled_packs.get(digest)
    if pack is None:
        pack = load_pack(files, file_cache=cache.checked_files)
        cache.compiled_packs[digest] = pack
    return pack
