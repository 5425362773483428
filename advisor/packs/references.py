"""Where an id is used across a pack's files, to rename a question or option by hand.

Every place where the id is written as a value or as a key is listed with its file, line and
column; ids are plain words in packs, so an exact match of a whole value or key is a use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from advisor.engine.yamlsafe import Document, YamlProblem, parse_yaml


@dataclass(frozen=True, order=True)
class Reference:
    file: str
    line: int
    column: int
    path: str  # e.g. rules[3].when.all[0].q
    text: str  # the line as written, to read the use in context


def _paths(data: object, path: tuple = ()) -> Iterator[tuple[tuple, object, bool]]:
    """Every (path, value, is_key) of a parsed document."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,), key, True
            yield from _paths(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, path + (index,))
    else:
        yield path, data, False


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _uses(doc: Document, ident: str, lines: list[str]) -> Iterator[Reference]:
    for path, value, is_key in _paths(doc.data):
        if value == ident:
            line, column = doc.where(path, key=is_key)
            text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            yield Reference(doc.name, line, column, _dotted(path), text[:200])


def find_references(files: Mapping[str, str], ident: str) -> tuple[list[Reference], list[str]]:
    """Every use of `ident`, and the files that could not be read (they are not searched)."""
    found: list[Reference] = []
    unreadable = []
    for name, text in sorted(files.items()):
        try:
            doc = parse_yaml(name, text)
        except YamlProblem as exc:
            unreadable.append(f"{name}:{exc.line}:{exc.column}: {exc.message}")
            continue
        found += _uses(doc, ident, text.splitlines())
    return sorted(found), unreadable
