"""Hostile YAML (SECURITY rows 7-11): tags, alias bombs, duplicate keys, YAML 1.1 surprises,
deep nesting, huge files and bytes that are not UTF-8, each refused with a clear message.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from advisor.engine import PackError, evaluate, load_pack, run_scenarios, yamlsafe
from advisor.engine.yamlsafe import MAX_DEPTH, YamlProblem, parse_yaml
from tests import support as _support

REPO = _support.REPO
MINI = _support.MINI


@pytest.fixture
def mini_files() -> dict[str, str | bytes]:
    return {p.relative_to(MINI).as_posix(): p.read_text() for p in sorted(MINI.rglob("*.yaml"))}


def pack_errors(files: dict[str, str | bytes]) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(files)
    return [str(p) for p in caught.value.problems if p.is_error]


def alias_bomb() -> str:
    """Nine levels of nine aliases each: 9**9 (387 million) leaves if anything expanded it."""
    names = "abcdefghi"
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# --- tags, anchors and aliases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'x: !!python/object/apply:os.system ["id"]\n',
            "hostile.yaml:1:4: error: tags (tag:yaml.org,2002:python/object/apply:os.system) "
            "are not allowed in packs",
        ),
        (
            '!!python/object/apply:os.system ["id"]\n',
            "hostile.yaml:1:1: error: tags (tag:yaml.org,2002:python/object/apply:os.system) "
            "are not allowed in packs",
        ),
        (
            "rules: !!python/object/new:subprocess.Popen [[touch, /tmp/pwned]]\n",
            "hostile.yaml:1:8: error: tags (tag:yaml.org,2002:python/object/new:subprocess.Popen) "
            "are not allowed in packs",
        ),
        ("x: !custom 1\n", "hostile.yaml:1:4: error: tags (!custom) are not allowed in packs"),
        (
            "x: !!str 1\n",
            "hostile.yaml:1:4: error: tags (tag:yaml.org,2002:str) are not allowed in packs",
        ),
        ("x: &a 1\n", "hostile.yaml:1:4: error: anchors (&a) are not allowed in packs"),
        ("x: *a\n", "hostile.yaml:1:4: error: aliases (*name) are not allowed in packs"),
    ],
)
def test_tags_anchors_and_aliases_are_refused(
    mini_files: dict, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args) or 0)
    files = {**mini_files, "hostile.yaml": text}
    assert pack_errors(files) == [expected]
    assert calls == []  # nothing was ever built from the tag


def test_alias_bomb_is_refused_at_its_first_anchor(mini_files: dict) -> None:
    bomb = alias_bomb()
    assert 250 < len(bomb.encode()) < 600
    assert bomb.count("\n") == 9
    files = {**mini_files, "bomb.yaml": bomb}
    # refused at line 1, before a single alias is looked at, let alone expanded
    assert pack_errors(files) == ["bomb.yaml:1:4: error: anchors (&a) are not allowed in packs"]


def test_alias_bomb_read_directly_mentions_anchors() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("bomb.yaml", alias_bomb())
    assert "anchors" in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, 4)


# --- duplicate keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "dup.yaml:2:1: error: duplicate key 'a'"),
        ("x:\n  a: 1\n  b: 2\n  a: 3\n", "dup.yaml:4:3: error: duplicate key 'a'"),
        ("x: {a: 1, a: 2}\n", "dup.yaml:1:11: error: duplicate key 'a'"),
        ('"a": 1\na: 2\n', "dup.yaml:2:1: error: duplicate key 'a'"),  # same key, other quoting
    ],
)
def test_duplicate_keys_are_refused_at_the_second_key(
    mini_files: dict, text: str, expected: str
) -> None:
    assert pack_errors({**mini_files, "dup.yaml": text}) == [expected]


def test_duplicate_key_in_a_rule(mini_files: dict) -> None:
    rules = mini_files["rules/main.yaml"].replace(
        "    source: queues-streams\n  - id: many-teams-stream",
        "    source: queues-streams\n    why: A second why.\n  - id: many-teams-stream",
    )
    assert rules != mini_files["rules/main.yaml"]
    assert pack_errors({**mini_files, "rules/main.yaml": rules}) == [
        "rules/main.yaml:10:5: error: duplicate key 'why'"
    ]


# --- YAML 1.1 surprises stay strings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("plain", "value"),
    [
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("NO", "NO"),
        ("1.10", "1.10"),
        ("22:22", "22:22"),
        ("0755", "0755"),
        ("012", "012"),
        ("0x1f", "0x1f"),
        ("1e3", "1e3"),
        ("1_000", "1_000"),
        ("+1", "+1"),
        (".inf", ".inf"),
        ("2024-01-31", "2024-01-31"),
        # the few things that are not strings
        ("true", True),
        ("false", False),
        ("0", 0),
        ("12", 12),
        ("-3", -3),
        ("~", None),
        ('"12"', "12"),
        ("'true'", "true"),
    ],
)
def test_scalars_are_strings_unless_plainly_bool_or_decimal(plain: str, value: object) -> None:
    data = parse_yaml("x.yaml", f"v: {plain}\nl: [{plain}]\n{plain}: key\n").data
    key = plain.strip("'\"")  # keys are always kept as the text written
    assert data == {"v": value, "l": [value], key: "key"}
    assert type(data["v"]) is type(value)  # 0 stays int, True stays bool


def _norway_pack(mini_files: dict) -> dict:
    """The mini pack with unquoted option ids no, yes and on, a rule and a scenario using them."""
    files = dict(mini_files)
    files["pack.yaml"] = files["pack.yaml"].replace('version: "1.10"', "version: 1.10")
    files["questions.yaml"] = files["questions.yaml"].replace(
        '      - {id: "no", label: Not at all}\n',
        "      - {id: no, label: Not at all}\n"
        "      - {id: yes, label: Somewhat}\n"
        "      - {id: on, label: On and off}\n",
    )
    files["rules/norway.yaml"] = (
        "rules:\n"
        "  - id: no-difference-stream\n"
        "    title: Identical clients share a stream\n"
        "    when: {q: client_needs_differ, in: [no, on]}\n"
        "    effects:\n"
        "      - {decision: messaging, option: stream, require: true}\n"
        "    why: Only for the test.\n"
        "    source: queues-streams\n"
    )
    files["scenarios/norway.yaml"] = (
        "scenarios:\n"
        "  - id: norway\n"
        "    title: The answer no, unquoted\n"
        "    answers: {clients: [web, mobile], client_needs_differ: no, project_name: 0755}\n"
        "    expect:\n"
        "      decisions: {messaging: stream, bff: none}\n"
        "  - id: clock\n"
        "    title: A project called 22:22\n"
        "    answers: {clients: [web, mobile], client_needs_differ: yes, project_name: 22:22}\n"
        "    expect:\n"
        "      decisions: {messaging: none}\n"
    )
    return files


def test_option_ids_no_yes_on_load_unquoted(mini_files: dict) -> None:
    pack = load_pack(_norway_pack(mini_files))
    assert pack.version == "1.10"
    differ = next(q for q in pack.questions if q.id == "client_needs_differ")
    assert differ.option_ids == ("similar", "no", "yes", "on", "very")
    norway = next(s for s in pack.scenarios if s.id == "norway")
    assert norway.answers["client_needs_differ"] == "no"
    assert norway.answers["project_name"] == "0755"


def test_scenarios_answering_no_and_times_pass(mini_files: dict) -> None:
    report = run_scenarios(load_pack(_norway_pack(mini_files)))
    assert [r.failures for r in report.results] == [(), (), (), ()]
    assert report.passed


@pytest.mark.parametrize(
    ("answer", "messaging"), [("no", "stream"), ("on", "stream"), ("yes", "none")]
)
def test_answer_no_is_an_option_not_false(mini_files: dict, answer: str, messaging: str) -> None:
    pack = load_pack(_norway_pack(mini_files))
    rec = evaluate(pack, {"clients": ["web", "mobile"], "client_needs_differ": answer})
    assert rec.option("messaging") == messaging
    assert rec.to_dict()["answers"]["client_needs_differ"] == answer


# --- deep nesting, size, encoding --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[" * 500, "1:41"),
        ("[" * 500 + "]" * 500, "1:41"),
        ("{a: " * 500 + "1" + "}" * 500, "1:161"),
        ("x:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "41:81"),
    ],
    ids=["open-brackets", "balanced-brackets", "flow-mappings", "block-sequences"],
)
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(
    mini_files: dict, text: str, where: str
) -> None:
    assert pack_errors({**mini_files, "deep.yaml": text}) == [
        f"deep.yaml:{where}: error: nesting is too deep (the limit is {MAX_DEPTH} levels)"
    ]


def test_nesting_limit_boundary() -> None:
    deepest = parse_yaml("ok.yaml", "[" * MAX_DEPTH + "]" * MAX_DEPTH).data
    depth = 0
    while isinstance(deepest, list):
        deepest = deepest[0] if deepest else None
        depth += 1
    assert depth == MAX_DEPTH
    with pytest.raises(YamlProblem, match="nesting is too deep"):
        parse_yaml("deep.yaml", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_huge_file_fails_on_its_size_before_parsing(
    mini_files: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[int] = []
    real_parse = yamlsafe.yaml.parse

    def recording_parse(stream, *args, **kwargs):
        parsed.append(len(stream))
        return real_parse(stream, *args, **kwargs)

    monkeypatch.setattr(yamlsafe.yaml, "parse", recording_parse)
    huge = "x: " + "a" * (5_000_000 - 3)
    assert pack_errors({**mini_files, "huge.yaml": huge}) == [
        "huge.yaml:1:1: error: file is larger than the limit of 1,000,000 bytes"
    ]
    assert len(parsed) == len(mini_files)  # the other files were parsed ...
    assert max(parsed) < 1_000_000  # ... the huge one never was


def test_size_limit_counts_bytes_not_characters() -> None:
    text = "x: " + "é" * 500_000  # 500,003 characters, 1,000,003 bytes
    with pytest.raises(YamlProblem, match=r"file is larger than the limit of 1,000,000 bytes"):
        parse_yaml("x.yaml", text)


def test_huge_file_in_a_folder_is_refused(tmp_path: Path) -> None:
    for path in MINI.rglob("*.yaml"):
        target = tmp_path / path.relative_to(MINI)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (tmp_path / "huge.yaml").write_bytes(b"x: " + b"a" * 5_000_000)
    with pytest.raises(PackError) as caught:
        load_pack(tmp_path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("huge.yaml", 1, 1)
    assert problem.message == "file is larger than the limit of 1,000,000 bytes"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"x: \xff\xfe\n", "invalid start byte"),
        (b"title: caf\xe9\n", "invalid continuation byte"),
        (b"x: \xc3", "unexpected end of data"),
    ],
)
def test_bytes_that_are_not_utf8_get_a_clear_message(
    mini_files: dict, body: bytes, reason: str
) -> None:
    assert pack_errors({**mini_files, "latin.yaml": body}) == [
        f"latin.yaml:1:1: error: file is not UTF-8 text ({reason})"
    ]


def test_utf8_bytes_and_bom_are_fine(mini_files: dict) -> None:
    files = {name: text.encode() for name, text in mini_files.items()}
    files["practices.yaml"] = b"\xef\xbb\xbf" + files["practices.yaml"].replace(
        b"Failures happen.", "Failures happen même à Zürich.".encode()
    )
    pack = load_pack(files)
    assert pack.practices[0].why == "Failures happen même à Zürich."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\n---\nb: 2\n", "multi.yaml:2:1: error: one YAML document per file"),
        ("? [a]\n: 1\n", "multi.yaml:1:3: error: mapping keys must be plain scalars"),
    ],
)
def test_other_refused_shapes(mini_files: dict, text: str, expected: str) -> None:
    assert pack_errors({**mini_files, "multi.yaml": text}) == [expected]


def test_control_characters_in_a_file_are_a_yaml_error(mini_files: dict) -> None:
    [error] = pack_errors({**mini_files, "ctl.yaml": 'x: "a\x01b"\n'})
    assert error == "ctl.yaml:1:6: error: character U+0001 is not allowed in YAML"


# A str holding a lone surrogate (what json.loads makes of "\udc80", as in a pack uploaded as
# JSON) cannot be encoded: a PackError naming the file, not a UnicodeEncodeError.
def test_text_with_lone_surrogate_is_a_pack_error(mini_files: dict) -> None:
    assert pack_errors({**mini_files, "bad.yaml": "x: caf\udce9\n"}) == [
        "bad.yaml:1:1: error: file is not valid Unicode text (surrogates not allowed)"
    ]


# --- no unsafe YAML loader anywhere in the code -----------------------------------------------

# Patterns are assembled from pieces so this file does not match itself.
_Y = "yaml" + r"\."
UNSAFE_PATTERNS = [
    re.compile(_Y + r"load(_all)?\((?![^)]*Safe)"),  # a load call without a Safe loader
    re.compile(_Y + "unsafe_load"),
    re.compile(_Y + "full_load"),
    re.compile(r"Loader\s*=\s*(" + _Y + r")?C?Loader\b"),
    re.compile(r"\b(C?Full|C?Unsafe)" + "Loader"),
    re.compile(r"from\s+yaml\s+import\s+.*(?<![A-Za-z_])C?" + "Loader" + r"\b"),
]


def unsafe_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if any(p.search(line) for p in UNSAFE_PATTERNS)]


@pytest.mark.parametrize(
    ("line", "unsafe"),
    [
        ("data = yaml." + "load(text)", True),
        ("data = yaml." + "load(text, Loader=yaml." + "Loader)", True),
        ("data = yaml." + "load_all(stream)", True),
        ("data = yaml." + "unsafe_load(text)", True),
        ("data = yaml." + "full_load(text)", True),
        ("yaml." + "load(text, Loader=yaml." + "Full" + "Loader)", True),
        ("yaml." + "load(text, Loader=yaml." + "Unsafe" + "Loader)", True),
        ("from yaml " + "import " + "C" + "Loader", True),
        ("from yaml " + "import " + "Loader", True),
        ("data = yaml." + "load(text, Loader=yaml.SafeLoader)", False),
        ("data = yaml." + "safe_load(text)", False),
        ("from yaml import CSafeLoader as _Loader", False),
        ("events = yaml.parse(text, Loader=_Loader)", False),
    ],
)
def test_unsafe_loader_detector(line: str, unsafe: bool) -> None:
    assert bool(unsafe_lines(line)) is unsafe


def test_no_unsafe_yaml_loader_in_the_code() -> None:
    files = [p for folder in ("advisor", "bench", "tests") for p in (REPO / folder).rglob("*.py")]
    assert any(p.name == "yamlsafe.py" for p in files)  # the scan really covers the engine
    found = {
        str(p.relative_to(REPO)): lines
        for p in files
        if (lines := unsafe_lines(p.read_text(encoding="utf-8")))
    }
    assert found == {}
