"""Fuzzing the pack reader with mutations of the real pack (SECURITY.md row 22).

Whatever a consultant's editor leaves in a file, load_pack gives a valid pack or a PackError
whose problems each name a file of the pack: never another exception.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import Pack, PackError, load_pack
from tests import support as _support

RULES = _support.DEFAULT_RULES
FILES = {p.relative_to(RULES).as_posix(): p.read_text() for p in sorted(RULES.rglob("*.yaml"))}
NAMES = sorted(FILES)

# Pieces that have broken YAML readers before: numbers too long to convert, YAML 1.1 words,
# anchors, tags, flow brackets, indentation, control and bidi characters.
NASTY = [
    "9" * 5000,
    "-" + "1" * 4400,
    "12345678901234567890",
    "1e999",
    ".inf",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "-0",
    "no",
    "~",
    "null",
    "&a x",
    "*a",
    "!!python/object/apply:os.system [id]",
    "!!binary aGk=",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "? ",
    "|",
    ">-",
    "'",
    '"',
    "#",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "\n",
    "\n  ",
    "\n- ",
    "\x00",
    "\x85",
    "\u202e",
    "\ufeff",
    "\udcff",
    "\U0001f600",
    "<<: {}",
    "[" * 60,
    "{q: x, is: [1, 2]}",
    "{all: []}",
    "{not: {not: {not: {q: clients, is: web}}}}",
]


def _new_value(draw: st.DrawFn, text: str) -> str:
    """One `key: value` line of `text` with its value replaced by a nasty piece."""
    lines = text.split("\n")
    keyed = [i for i, line in enumerate(lines) if ": " in line] or [0]
    index = draw(st.sampled_from(keyed))
    key, _, _ = lines[index].partition(": ")
    lines[index] = f"{key}: {draw(st.sampled_from(NASTY))}"
    return "\n".join(lines)


@st.composite
def pack_with_a_new_value(draw: st.DrawFn) -> dict[str, str]:
    name = draw(st.sampled_from(NAMES))
    return FILES | {name: _new_value(draw, FILES[name])}


@st.composite
def mutated_pack(draw: st.DrawFn) -> dict[str, str]:
    """The real pack with one to three of its files cut, spliced or filled with nasty pieces."""
    files = dict(FILES)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(NAMES))
        text = files[name]
        if draw(st.booleans()):
            files[name] = _new_value(draw, text)
            continue
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 200)))
        piece = draw(
            st.one_of(
                st.sampled_from(NASTY),
                st.just(""),
                st.text(max_size=20),
                st.just(text[start:end] * 2),
            )
        )
        files[name] = text[:start] + piece + text[end:]
    return files


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=mutated_pack())
def test_a_mutated_pack_loads_or_fails_with_pack_problems_only(files: dict[str, str]) -> None:
    try:
        pack = load_pack(files)
    except PackError as error:
        assert error.problems
        assert {p.file for p in error.problems} <= set(files) | {"pack.yaml"}
        assert all(p.line >= 1 and p.column >= 1 for p in error.problems)
    else:
        assert isinstance(pack, Pack)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=pack_with_a_new_value())
def test_any_value_replaced_by_a_nasty_piece_is_a_pack_problem(files: dict[str, str]) -> None:
    try:
        load_pack(files)
    except PackError as error:
        assert all(p.file in files or p.file == "pack.yaml" for p in error.problems)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(NAMES),
    data=st.binary(max_size=300),
    at=st.integers(0, 10_000),
)
def test_arbitrary_bytes_in_a_file_are_pack_problems(name: str, data: bytes, at: int) -> None:
    files: dict[str, str | bytes] = dict(FILES)
    raw = FILES[name].encode()
    files[name] = raw[:at] + data + raw[at:]
    try:
        load_pack(files)
    except PackError as error:
        assert error.problems


def test_the_unmutated_pack_loads() -> None:
    assert load_pack(FILES).id == load_pack(Path(RULES)).id
