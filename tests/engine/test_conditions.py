"""The condition language: every operator, unknown answers and Kleene's three-valued logic.

Answers here are already normalized the way `validate_answers` hands them to the engine: a
multi answer is a frozenset, an unanswered (or hidden) question is simply absent.
"""

from __future__ import annotations

import pytest

from advisor.engine import evaluate, load_pack
from advisor.engine.conditions import Cond, compile_condition, describe, parse_condition
from tests import support as _support

MINI = _support.MINI


def check(raw: dict, answers: dict) -> bool | None:
    return compile_condition(parse_condition(raw))(answers)


def fs(*options: str) -> frozenset[str]:
    return frozenset(options)


# --- every leaf operator on known answers --------------------------------------------------

KNOWN = [
    # is: single, boolean, integer, text
    ({"q": "style", "is": "monolith"}, {"style": "monolith"}, True),
    ({"q": "style", "is": "monolith"}, {"style": "microservices"}, False),
    ({"q": "async_jobs", "is": True}, {"async_jobs": True}, True),
    ({"q": "async_jobs", "is": True}, {"async_jobs": False}, False),
    ({"q": "async_jobs", "is": False}, {"async_jobs": False}, True),  # False is not unknown
    ({"q": "async_jobs", "is": False}, {"async_jobs": True}, False),
    ({"q": "teams", "is": 0}, {"teams": 0}, True),  # 0 is not unknown either
    ({"q": "teams", "is": 3}, {"teams": 4}, False),
    ({"q": "name", "is": "shop"}, {"name": "shop"}, True),
    ({"q": "name", "is": "shop"}, {"name": "Shop"}, False),
    # in: single and integer
    ({"q": "style", "in": ["monolith", "modular"]}, {"style": "modular"}, True),
    ({"q": "style", "in": ["monolith", "modular"]}, {"style": "microservices"}, False),
    ({"q": "teams", "in": [1, 2]}, {"teams": 2}, True),
    ({"q": "teams", "in": [1, 2]}, {"teams": 3}, False),
    # includes
    ({"q": "clients", "includes": "web"}, {"clients": fs("web", "mobile")}, True),
    ({"q": "clients", "includes": "web"}, {"clients": fs("mobile")}, False),
    ({"q": "clients", "includes": "web"}, {"clients": fs()}, False),
    # includes_any
    ({"q": "clients", "includes_any": ["web", "mobile"]}, {"clients": fs("mobile")}, True),
    ({"q": "clients", "includes_any": ["web", "mobile"]}, {"clients": fs("web", "mobile")}, True),
    ({"q": "clients", "includes_any": ["web", "mobile"]}, {"clients": fs("third_party")}, False),
    # includes_all
    ({"q": "clients", "includes_all": ["web", "mobile"]}, {"clients": fs("web", "mobile")}, True),
    (
        {"q": "clients", "includes_all": ["web", "mobile"]},
        {"clients": fs("web", "mobile", "third_party")},
        True,
    ),
    ({"q": "clients", "includes_all": ["web", "mobile"]}, {"clients": fs("web")}, False),
    # count_gte without `of`: every selected option counts
    ({"q": "clients", "count_gte": 2}, {"clients": fs("web", "third_party")}, True),
    ({"q": "clients", "count_gte": 2}, {"clients": fs("web", "mobile", "third_party")}, True),
    ({"q": "clients", "count_gte": 2}, {"clients": fs("web")}, False),
    ({"q": "clients", "count_gte": 0}, {"clients": fs()}, True),
    # count_gte with `of`: only the listed options count
    (
        {"q": "clients", "count_gte": 2, "of": ["web", "mobile"]},
        {"clients": fs("web", "mobile")},
        True,
    ),
    (
        {"q": "clients", "count_gte": 2, "of": ["web", "mobile"]},
        {"clients": fs("web", "third_party")},
        False,
    ),
    (
        {"q": "clients", "count_gte": 1, "of": ["web", "mobile"]},
        {"clients": fs("third_party", "none")},
        False,
    ),
    # gte / lte / between: both ends included
    ({"q": "teams", "gte": 3}, {"teams": 3}, True),
    ({"q": "teams", "gte": 3}, {"teams": 2}, False),
    ({"q": "teams", "gte": 0}, {"teams": 0}, True),
    ({"q": "teams", "lte": 3}, {"teams": 3}, True),
    ({"q": "teams", "lte": 3}, {"teams": 4}, False),
    ({"q": "teams", "between": [2, 5]}, {"teams": 2}, True),
    ({"q": "teams", "between": [2, 5]}, {"teams": 5}, True),
    ({"q": "teams", "between": [2, 5]}, {"teams": 1}, False),
    ({"q": "teams", "between": [2, 5]}, {"teams": 6}, False),
    # answered
    ({"q": "name", "answered": True}, {"name": "shop"}, True),
    ({"q": "async_jobs", "answered": True}, {"async_jobs": False}, True),
    ({"q": "clients", "answered": True}, {"clients": fs("web")}, True),
    ({"q": "name", "answered": False}, {"name": "shop"}, False),
]


@pytest.mark.parametrize(("raw", "answers", "expected"), KNOWN)
def test_leaf_on_known_answer(raw: dict, answers: dict, expected: bool) -> None:
    assert check(raw, answers) is expected


# --- every leaf operator on an unknown answer ----------------------------------------------

UNKNOWN = [
    {"q": "style", "is": "monolith"},
    {"q": "async_jobs", "is": False},
    {"q": "teams", "is": 0},
    {"q": "style", "in": ["monolith", "modular"]},
    {"q": "clients", "includes": "web"},
    {"q": "clients", "includes_any": ["web", "mobile"]},
    {"q": "clients", "includes_all": ["web", "mobile"]},
    {"q": "clients", "count_gte": 0},
    {"q": "clients", "count_gte": 1, "of": ["web", "mobile"]},
    {"q": "teams", "gte": 0},
    {"q": "teams", "lte": 100},
    {"q": "teams", "between": [0, 100]},
]


@pytest.mark.parametrize("raw", UNKNOWN, ids=lambda raw: next(k for k in raw if k != "q"))
def test_leaf_on_unknown_answer_is_unknown(raw: dict) -> None:
    # Another question is answered, the one the leaf reads is not.
    assert check(raw, {"other": "x"}) is None


@pytest.mark.parametrize(("want", "expected"), [(True, False), (False, True)])
def test_answered_is_never_unknown(want: bool, expected: bool) -> None:
    assert check({"q": "name", "answered": want}, {"other": "x"}) is expected


# --- Kleene's three-valued all / any / not ---------------------------------------------------

T = {"q": "t", "is": True}  # true: t is answered yes
F = {"q": "f", "is": True}  # false: f is answered no
U = {"q": "u", "is": True}  # unknown: u is not answered
KLEENE_ANSWERS = {"t": True, "f": False}
NAMES = {"T": T, "F": F, "U": U}
VALUE = {"T": True, "F": False, "U": None}

ALL_TABLE = {
    ("T", "T"): "T",
    ("T", "F"): "F",
    ("T", "U"): "U",
    ("F", "T"): "F",
    ("F", "F"): "F",
    ("F", "U"): "F",
    ("U", "T"): "U",
    ("U", "F"): "F",
    ("U", "U"): "U",
}
ANY_TABLE = {
    ("T", "T"): "T",
    ("T", "F"): "T",
    ("T", "U"): "T",
    ("F", "T"): "T",
    ("F", "F"): "F",
    ("F", "U"): "U",
    ("U", "T"): "T",
    ("U", "F"): "U",
    ("U", "U"): "U",
}


@pytest.mark.parametrize(("pair", "expected"), ALL_TABLE.items(), ids=str)
def test_all_truth_table(pair: tuple[str, str], expected: str) -> None:
    raw = {"all": [NAMES[pair[0]], NAMES[pair[1]]]}
    assert check(raw, KLEENE_ANSWERS) is VALUE[expected]


@pytest.mark.parametrize(("pair", "expected"), ANY_TABLE.items(), ids=str)
def test_any_truth_table(pair: tuple[str, str], expected: str) -> None:
    raw = {"any": [NAMES[pair[0]], NAMES[pair[1]]]}
    assert check(raw, KLEENE_ANSWERS) is VALUE[expected]


@pytest.mark.parametrize(("inner", "expected"), [("T", "F"), ("F", "T"), ("U", "U")])
def test_not_truth_table(inner: str, expected: str) -> None:
    assert check({"not": NAMES[inner]}, KLEENE_ANSWERS) is VALUE[expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"all": [T, T, T, U]}, None),
        ({"all": [U, U, F]}, False),  # a false child decides, wherever it is
        ({"any": [F, F, U]}, None),
        ({"any": [U, F, T]}, True),
        ({"all": [T, {"any": [F, U]}]}, None),
        ({"all": [T, {"any": [F, {"not": F}]}]}, True),
        ({"not": {"all": [T, U]}}, None),
        ({"not": {"any": [T, U]}}, False),
        ({"not": {"not": U}}, None),
    ],
)
def test_nested_three_valued_logic(raw: dict, expected: bool | None) -> None:
    assert check(raw, KLEENE_ANSWERS) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, None),  # clients unanswered: not (unknown) is unknown, not true
        ({"clients": fs("mobile")}, True),
        ({"clients": fs("web")}, False),
    ],
)
def test_negation_of_unanswered_question_is_unknown(answers: dict, expected: bool | None) -> None:
    assert check({"not": {"q": "clients", "includes": "web"}}, answers) is expected


def _mini_with_negated_rule() -> dict[str, str]:
    files = {p.relative_to(MINI).as_posix(): p.read_text() for p in sorted(MINI.rglob("*.yaml"))}
    files["rules/negated.yaml"] = (
        "rules:\n"
        "  - id: no-web-stream\n"
        "    title: Without a browser client, stream\n"
        "    when: {not: {q: clients, includes: web}}\n"
        "    effects:\n"
        "      - {decision: messaging, option: stream, require: true}\n"
        "    why: Only for the test.\n"
        "    source: queues-streams\n"
    )
    return files


@pytest.mark.parametrize(
    ("answers", "fires", "messaging"),
    [
        ({}, False, "none"),
        ({"async_jobs": True}, False, "queue"),
        ({"clients": ["web"]}, False, "none"),
        ({"clients": ["mobile"]}, True, "stream"),
        ({"clients": ["none"]}, True, "stream"),
    ],
)
def test_rule_with_negation_fires_only_when_true(
    answers: dict, fires: bool, messaging: str
) -> None:
    pack = load_pack(_mini_with_negated_rule())
    rec = evaluate(pack, answers)
    assert ("no-web-stream" in [r.id for r in rec.fired_rules]) is fires
    assert rec.option("messaging") == messaging


# --- parse_condition -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"q": "clients", "includes": "web"}, Cond("includes", q="clients", value="web")),
        (
            {"q": "clients", "includes_any": ["web", "mobile"]},
            Cond("includes_any", q="clients", value=("web", "mobile")),
        ),
        (
            {"q": "clients", "count_gte": 2, "of": ["web", "mobile"]},
            Cond("count_gte", q="clients", value=2, of=("web", "mobile")),
        ),
        (
            {"not": {"q": "async_jobs", "is": True}},
            Cond("not", children=(Cond("is", q="async_jobs", value=True),)),
        ),
        (
            {"any": [{"q": "teams", "gte": 3}, {"q": "teams", "answered": False}]},
            Cond(
                "any",
                children=(
                    Cond("gte", q="teams", value=3),
                    Cond("answered", q="teams", value=False),
                ),
            ),
        ),
    ],
)
def test_parse_condition_builds_the_tree(raw: dict, expected: Cond) -> None:
    assert parse_condition(raw) == expected


# --- describe: the condition in plain words --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"q": "clients", "includes": "web"}, "clients includes web"),
        ({"q": "async_jobs", "is": True}, "async_jobs is yes"),
        ({"q": "async_jobs", "is": False}, "async_jobs is no"),
        ({"q": "style", "in": ["monolith", "modular"]}, "style is one of monolith, modular"),
        (
            {"q": "clients", "includes_any": ["web", "mobile"]},
            "clients includes any of web, mobile",
        ),
        (
            {"q": "clients", "includes_all": ["web", "mobile"]},
            "clients includes all of web, mobile",
        ),
        ({"q": "clients", "count_gte": 2}, "clients has at least 2 selected"),
        (
            {"q": "clients", "count_gte": 2, "of": ["web", "mobile"]},
            "clients has at least 2 selected among web, mobile",
        ),
        ({"q": "teams", "gte": 2}, "teams is at least 2"),
        ({"q": "teams", "lte": 50}, "teams is at most 50"),
        ({"q": "teams", "between": [2, 5]}, "teams is between 2 and 5"),
        ({"q": "name", "answered": True}, "name is answered"),
        ({"q": "name", "answered": False}, "name is not answered"),
        ({"not": {"q": "clients", "includes": "web"}}, "not (clients includes web)"),
        (
            {"all": [{"q": "clients", "includes": "web"}, {"q": "teams", "gte": 2}]},
            "clients includes web and teams is at least 2",
        ),
        (
            {
                "all": [
                    {"any": [{"q": "clients", "includes": "web"}, {"q": "teams", "gte": 2}]},
                    {"q": "async_jobs", "is": True},
                ]
            },
            "(clients includes web or teams is at least 2) and async_jobs is yes",
        ),
    ],
)
def test_describe_in_plain_words(raw: dict, words: str) -> None:
    assert describe(parse_condition(raw)) == words
