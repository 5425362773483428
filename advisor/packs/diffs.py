"""Differences between two sets of pack files: unified text and side-by-side rows, per file."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

CONTEXT = 3


@dataclass(frozen=True)
class Row:
    """One line pair of a side-by-side diff; `kind` is same, changed, added, removed or gap."""

    kind: str
    old_number: int | None
    old: str
    new_number: int | None
    new: str


@dataclass(frozen=True)
class FileDiff:
    name: str
    status: str  # added, removed, changed
    unified: str
    rows: tuple[Row, ...]
    added: int
    removed: int


def _lines(text: str | None) -> list[str]:
    return (text or "").splitlines()


def _unified(name: str, old: str | None, new: str | None, labels: tuple[str, str]) -> str:
    lines = difflib.unified_diff(
        _lines(old),
        _lines(new),
        fromfile=f"{labels[0]}/{name}" if old is not None else "/dev/null",
        tofile=f"{labels[1]}/{name}" if new is not None else "/dev/null",
        lineterm="",
        n=CONTEXT,
    )
    return "\n".join(lines)


def _side_by_side(old: list[str], new: list[str]) -> list[Row]:
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT):
        if rows:
            rows.append(Row("gap", None, "", None, ""))
        for tag, i1, i2, j1, j2 in group:
            rows += _rows(tag, old, new, (i1, i2, j1, j2))
    return rows


def _rows(tag: str, old: list[str], new: list[str], span: tuple[int, int, int, int]) -> list[Row]:
    i1, i2, j1, j2 = span
    if tag == "equal":
        return [
            Row("same", i + 1, old[i], j + 1, new[j])
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
        ]
    rows = []
    for k in range(max(i2 - i1, j2 - j1)):
        i, j = i1 + k, j1 + k
        has_old, has_new = i < i2, j < j2
        kind = "changed" if has_old and has_new else ("removed" if has_old else "added")
        rows.append(
            Row(
                kind,
                i + 1 if has_old else None,
                old[i] if has_old else "",
                j + 1 if has_new else None,
                new[j] if has_new else "",
            )
        )
    return rows


def diff_files(
    old: Mapping[str, str], new: Mapping[str, str], *, labels: tuple[str, str] = ("a", "b")
) -> list[FileDiff]:
    """Every file that differs, in name order, with its unified diff and side-by-side rows."""
    out = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        rows = _side_by_side(_lines(before), _lines(after))
        out.append(
            FileDiff(
                name,
                status,
                _unified(name, before, after, labels),
                tuple(rows),
                sum(r.kind in ("added", "changed") for r in rows),
                sum(r.kind in ("removed", "changed") for r in rows),
            )
        )
    return out


def unified_text(old: Mapping[str, str], new: Mapping[str, str], *, labels: tuple[str, str]) -> str:
    """One unified diff of every changed file (what a 409 carries)."""
    return "\n".join(d.unified for d in diff_files(old, new, labels=labels))
