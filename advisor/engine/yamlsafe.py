"""A strict, line-aware YAML reader for rule packs.

PyYAML's loaders accept duplicate keys, aliases ("billion laughs"), tags that build Python
objects and YAML 1.1 booleans such as `no`. Packs need none of that, so this reader builds
plain data straight from the libyaml event stream, refusing all of it, and records where every
value sits so later checks can point at file:line:column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

import yaml

try:  # libyaml's C parser is much faster; the pure-Python one behaves the same.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
# Numbers in packs are counts and limits; 18 digits always fit a 64-bit integer, and Python
# refuses to convert more than 4,300 digits at all (a ValueError, not a YAML error).
MAX_DIGITS = 18

_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")

# Where a value sits in a document: mapping keys and list indexes from the root.
DocPath: TypeAlias = tuple[str | int, ...]


@dataclass
class Document:
    """One parsed file: its data and the position (line, column; 1-based) of every path."""

    name: str
    data: object = None
    marks: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[DocPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: DocPath, *, key: bool = False) -> tuple[int, int]:
        """The nearest recorded position for `path` (walking up to the root if needed)."""
        table = self.key_marks if key else self.marks
        if key and path in table:
            return table[path]
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


class YamlProblem(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _scalar(event: yaml.ScalarEvent) -> object:
    if event.style:  # quoted or block scalars are always strings (plain is None or "")
        return event.value
    value = event.value
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if _INT.match(value):
        digits = len(value.lstrip("-"))
        if digits > MAX_DIGITS:
            raise YamlProblem(
                f"a number of {digits} digits; numbers in packs have at most {MAX_DIGITS}",
                *_pos(event.start_mark),
            )
        return int(value)
    return value


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _Mark(Protocol):  # PyYAML's pure-Python and libyaml marks both have these
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


def _pos(mark: _Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def parse_yaml(name: str, text: str | bytes) -> Document:
    """Parse one pack file; raise YamlProblem with a position on anything we refuse."""
    try:
        size = len(text.encode("utf-8") if isinstance(text, str) else text)
    except UnicodeEncodeError as exc:
        raise YamlProblem(f"file is not valid Unicode text ({exc.reason})") from None
    if size > MAX_FILE_BYTES:
        raise YamlProblem(f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlProblem(f"file is not UTF-8 text ({exc.reason})") from None
    doc = Document(name)
    try:
        _build(doc, yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        line, col = _pos(exc.problem_mark or exc.context_mark)
        raise YamlProblem(f"YAML syntax: {exc.problem or exc.context}", line, col) from None
    except yaml.reader.ReaderError as exc:
        line, col = _offset_position(text, exc.position)
        char = exc.character
        code = char if isinstance(char, int) else ord(char)
        raise YamlProblem(f"character U+{code:04X} is not allowed in YAML", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax: {exc}") from None
    except RecursionError:
        raise YamlProblem(f"nesting is too deep (the limit is {MAX_DEPTH} levels)") from None
    return doc


@dataclass(slots=True)
class _Frame:
    """An open mapping or list while building, with the key waiting for its value."""

    container: dict[str, object] | list[object]
    path: DocPath
    pending: str | None = None

    @property
    def wants_key(self) -> bool:
        return isinstance(self.container, dict) and self.pending is None


def _build(doc: Document, events: Iterable[yaml.Event]) -> None:
    """Build plain data from parser events with an explicit stack (no recursion)."""
    stack: list[_Frame] = []
    documents = 0

    def place(value: object, event: yaml.Event) -> DocPath:
        if not stack:
            doc.data = value
            doc.marks[()] = _pos(event.start_mark)
            return ()
        frame = stack[-1]
        container, path = frame.container, frame.path
        if isinstance(container, dict):
            if frame.pending is None:  # this scalar is a key, kept as the text written
                key = str(value)
                if key in container:
                    raise YamlProblem(f"duplicate key '{key}'", *_pos(event.start_mark))
                frame.pending = key
                doc.key_marks[path + (key,)] = _pos(event.start_mark)
                return path
            container[frame.pending] = value
            child: DocPath = path + (frame.pending,)
            frame.pending = None
        else:
            container.append(value)
            child = path + (len(container) - 1,)
        doc.marks[child] = _pos(event.start_mark)
        return child

    for event in events:
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem("aliases (*name) are not allowed in packs", *_pos(event.start_mark))
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem(
                f"anchors (&{anchor}) are not allowed in packs", *_pos(event.start_mark)
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            raise YamlProblem(f"tags ({tag}) are not allowed in packs", *_pos(event.start_mark))
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem("one YAML document per file", *_pos(event.start_mark))
        elif isinstance(event, yaml.ScalarEvent):
            is_key = bool(stack) and stack[-1].wants_key
            place(event.value if is_key else _scalar(event), event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if stack and stack[-1].wants_key:
                raise YamlProblem("mapping keys must be plain scalars", *_pos(event.start_mark))
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    f"nesting is too deep (the limit is {MAX_DEPTH} levels)",
                    *_pos(event.start_mark),
                )
            container: dict[str, object] | list[object] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            stack.append(_Frame(container, place(container, event)))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
