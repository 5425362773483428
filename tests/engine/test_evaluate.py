"""Evaluating a pack: resolution, confidence, answer validation, the JSON shape, what-if,
determinism and scenario runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from advisor.engine import (
    AnswersError,
    Pack,
    evaluate,
    load_pack,
    run_scenarios,
    validate_answers,
)
from advisor.engine.resolve import Resolution
from advisor.engine.result import Flip, summarize
from tests import support as _support

REPO = _support.REPO
MINI = _support.MINI

# --- a pack with one decision (options a, b, c; default a) and one rule per effect ---------------
# Each boolean question turns on the rule of the same name. The c rules come first, so a tie
# going to b shows that option order, not rule order, breaks ties.

EFFECTS = {
    "c_plus3": "{decision: d, option: c, score: 3}",
    "c_plus1": "{decision: d, option: c, score: 1}",
    "b_plus3": "{decision: d, option: b, score: 3}",
    "b_plus5": "{decision: d, option: b, score: 5}",
    "a_minus1": "{decision: d, option: a, score: -1}",
    "drop_b": "{decision: d, option: b, exclude: true}",
    "drop_c": "{decision: d, option: c, exclude: true}",
    "need_c": "{decision: d, option: c, require: true}",
    "need_c_too": "{decision: d, option: c, require: true}",
    "need_b": "{decision: d, option: b, require: true}",
}

RESOLUTION_PACK = (
    "pack:\n"
    "  id: resolution\n"
    "  name: Resolution pack\n"
    '  version: "1"\n'
    "  description: One decision and one rule per kind of effect.\n"
    "  sources:\n"
    "    - {key: test, title: The tests}\n"
    "steps:\n"
    "  - {id: s, title: Step}\n"
    "questions:\n"
    + "".join(
        f"  - {{id: {q}, type: boolean, text: {q}?, help: Turns on rule {q}., step: s}}\n"
        for q in EFFECTS
    )
    + "decisions:\n"
    "  - id: d\n"
    "    title: D\n"
    "    question: Which?\n"
    "    default: a\n"
    "    options:\n"
    "      - {id: a, title: A, description: First.}\n"
    "      - {id: b, title: B, description: Second.}\n"
    "      - {id: c, title: C, description: Third.}\n"
    "rules:\n"
    + "".join(
        f"  - id: {q.replace('_', '-')}\n"
        f"    title: Rule {q}\n"
        f"    when: {{q: {q}, is: true}}\n"
        f"    effects: [{effect}]\n"
        f"    why: Because {q}.\n"
        f"    source: test\n"
        for q, effect in EFFECTS.items()
    )
)


@pytest.fixture(scope="module")
def res_pack() -> Pack:
    return load_pack({"pack.yaml": RESOLUTION_PACK})


@pytest.fixture(scope="module")
def mini() -> Pack:
    return load_pack(MINI)


@pytest.fixture
def mini_files() -> dict[str, str]:
    return {p.relative_to(MINI).as_posix(): p.read_text() for p in sorted(MINI.rglob("*.yaml"))}


def on(*questions: str) -> dict[str, bool]:
    """Every question of the resolution pack answered: these yes, the others no (an unanswered
    one could still change the decision, which would make it "needs answers")."""
    return {q: q in questions for q in EFFECTS}


# --- resolution -------------------------------------------------------------------------------

RESOLUTION_CASES = [
    # (rules on, option, status, confidence, label, warnings)
    (
        (),
        "a",
        "default",
        0.0,
        "low",
        ["d: no rule applies to these answers; showing the default, a"],
    ),
    (("b_plus3",), "b", "decided", 0.6, "high", []),  # margin 3: 3/5
    (("b_plus5",), "b", "decided", 0.71, "high", []),  # margin 5: 5/7 rounded
    (("b_plus3", "c_plus1"), "b", "decided", 0.5, "medium", []),  # margin 2: 2/4
    (("c_plus1",), "c", "decided", 0.33, "medium", []),  # margin 1: 1/3 rounded
    (("b_plus3", "c_plus3"), "b", "decided", 0.0, "low", []),  # tie: option order, b before c
    (("a_minus1",), "b", "decided", 0.0, "low", []),  # a drops below b and c; b, c tie
    (("a_minus1", "b_plus3"), "b", "decided", 0.6, "high", []),
    (("b_plus3", "drop_b"), "a", "decided", 0.0, "low", []),  # the excluded best drops out
    (("drop_b",), "a", "decided", 0.0, "low", []),
    (("drop_b", "drop_c"), "a", "decided", 1.0, "high", []),  # every alternative excluded
    (("b_plus5", "need_c"), "c", "required", 1.0, "high", []),  # required beats any score
    (("need_c", "need_c_too"), "c", "required", 1.0, "high", []),  # same option twice: agreed
    (
        ("need_b", "need_c"),
        "b",
        "conflict",
        0.0,
        "low",
        ["d: rules conflict (required: b, c); showing b"],  # listed in option order
    ),
    (
        ("need_b", "need_c", "drop_b"),
        "c",
        "conflict",
        0.0,
        "low",
        ["d: rules conflict (required: b, c); showing c"],
    ),
    (
        ("need_c", "drop_c"),
        "a",
        "conflict",
        0.0,
        "low",
        ["d: rules conflict (required: c); showing a"],
    ),
]


@pytest.mark.parametrize(
    ("rules_on", "option", "status", "confidence", "label", "warnings"),
    RESOLUTION_CASES,
    ids=lambda v: "+".join(v) if isinstance(v, tuple) else None,
)
def test_resolution(
    res_pack: Pack,
    rules_on: tuple[str, ...],
    option: str,
    status: str,
    confidence: float,
    label: str,
    warnings: list[str],
) -> None:
    data = evaluate(res_pack, on(*rules_on)).to_dict()
    [decision] = data["decisions"]
    assert (decision["option"], decision["status"]) == (option, status)
    assert (decision["confidence"], decision["confidence_label"]) == (confidence, label)
    assert data["warnings"] == warnings


def test_unanswered_and_false_answers_fire_nothing(res_pack: Pack) -> None:
    rec = evaluate(res_pack, dict.fromkeys(EFFECTS, False))
    assert rec.fired_rules == []
    assert rec.resolutions["d"].status == "default"


@pytest.mark.parametrize(
    ("confidence", "label"),
    [(0.0, "low"), (0.29, "low"), (0.3, "medium"), (0.59, "medium"), (0.6, "high"), (1.0, "high")],
)
def test_confidence_label_thresholds(confidence: float, label: str) -> None:
    res = Resolution("a", "decided", (0,), frozenset(), (), confidence)
    assert res.confidence_label == label


def test_scores_and_alternatives_explain_the_choice(res_pack: Pack) -> None:
    [decision] = evaluate(res_pack, on("b_plus3", "c_plus1", "drop_c")).to_dict()["decisions"]
    assert decision["option"] == "b"
    assert decision["score"] == 3
    assert [r["rule"] for r in decision["rationale"]] == ["b-plus3"]
    assert decision["rationale"][0] == {
        "rule": "b-plus3",
        "title": "Rule b_plus3",
        "why": "Because b_plus3.",
        "source": "test",
        "effect": "score",
        "weight": 3,
        "conditions": ["b_plus3 is yes"],
    }
    assert [
        (alt["option"], alt["score"], alt["excluded"], [r["rule"] for r in alt["for"]])
        for alt in decision["alternatives"]
    ] == [("a", 0, False, []), ("c", 1, True, ["c-plus1"])]
    excluded_c = decision["alternatives"][1]
    assert [(r["rule"], r["effect"]) for r in excluded_c["against"]] == [("drop-c", "exclude")]


def test_required_option_rationale(res_pack: Pack) -> None:
    [decision] = evaluate(res_pack, on("need_c", "need_c_too")).to_dict()["decisions"]
    assert [(r["rule"], r["effect"]) for r in decision["rationale"]] == [
        ("need-c", "require"),
        ("need-c-too", "require"),
    ]


# --- validate_answers: every error names its field -------------------------------------------

VALIDATION_ERRORS = [
    (
        {"asynk_jobs": True},
        {"asynk_jobs": ["'asynk_jobs' is not a question of this pack; did you mean 'async_jobs'?"]},
    ),
    ({"async_jobs": "yes"}, {"async_jobs": ["expected true or false, got a string"]}),
    ({"async_jobs": 1}, {"async_jobs": ["expected true or false, got an integer"]}),
    (
        {"backend_teams": "3"},
        {"backend_teams": ['expected a whole number, got the text "3" (leave out the quotes)']},
    ),
    ({"backend_teams": "three"}, {"backend_teams": ["expected a whole number, got a string"]}),
    ({"backend_teams": True}, {"backend_teams": ["expected a whole number, got a boolean"]}),
    ({"backend_teams": 2.5}, {"backend_teams": ["expected a whole number, got 2.5"]}),
    ({"backend_teams": "12.5"}, {"backend_teams": ["expected a whole number, got 12.5"]}),
    ({"backend_teams": [[2]]}, {"backend_teams": ["expected a whole number, got a list"]}),
    ({"backend_teams": {"n": 2}}, {"backend_teams": ["expected a whole number, got a mapping"]}),
    ({"backend_teams": 0}, {"backend_teams": ["0 is below the minimum of 1"]}),
    ({"backend_teams": 501}, {"backend_teams": ["501 is above the maximum of 500"]}),
    (
        {"clients": ["web", "desktop"]},
        {
            "clients[1]": [
                "'desktop' is not an option of clients; options: web, mobile, third_party, none"
            ]
        },
    ),
    (
        {"clients": ["web", 3]},
        {"clients[1]": ["expected an option id of clients, got an integer"]},
    ),
    ({"clients": "web"}, {"clients": ["expected a list of options of clients, got a string"]}),
    (
        {"clients": ["none", "web"]},
        {"clients": ["'none' cannot be combined with other options of clients"]},
    ),
    (
        {"clients": ["web", "mobile"], "client_needs_differ": "maybe"},
        {
            "client_needs_differ": [
                "'maybe' is not an option of client_needs_differ; options: similar, no, very"
            ]
        },
    ),
    (
        {"clients": ["web", "mobile"], "client_needs_differ": ["very"]},
        {"client_needs_differ": ["expected an option id of client_needs_differ, got a list"]},
    ),
    (
        {"project_name": "x" * 21},
        {"project_name": ["text is 21 characters long; the limit is 20"]},
    ),
    ({"project_name": "a\x01b"}, {"project_name": ["control characters are not allowed"]}),
    ({"project_name": "a\x7fb"}, {"project_name": ["control characters are not allowed"]}),
    ({"project_name": "a\x85b"}, {"project_name": ["control characters are not allowed"]}),
    ({"project_name": "a\x9bb"}, {"project_name": ["control characters are not allowed"]}),
    *(
        (
            {"project_name": f"Acme{hidden}gpj.exe"},
            {"project_name": ["bidirectional overrides and noncharacters are not allowed"]},
        )
        for hidden in ["\u202e", "\u202a", "\u2066", "\u2069", "\ufdd0", "\ufffe", "\U0010ffff"]
    ),
    (
        {"project_name": "a\ud800b"},
        {"project_name": ["unpaired surrogate characters are not allowed"]},
    ),
    ({"project_name": 42}, {"project_name": ["expected text, got an integer"]}),
    (
        {"asynk_jobs": True, "backend_teams": 0, "clients": ["web", "desktop"]},
        {
            "asynk_jobs": [
                "'asynk_jobs' is not a question of this pack; did you mean 'async_jobs'?"
            ],
            "backend_teams": ["0 is below the minimum of 1"],
            "clients[1]": [
                "'desktop' is not an option of clients; options: web, mobile, third_party, none"
            ],
        },
    ),
]


@pytest.mark.parametrize(("answers", "expected"), VALIDATION_ERRORS)
def test_validate_answers_errors_name_the_field(
    mini: Pack, answers: dict, expected: dict[str, list[str]]
) -> None:
    check = validate_answers(mini, answers)
    assert not check.ok
    assert check.errors == expected


@pytest.mark.parametrize(("answers", "expected"), VALIDATION_ERRORS[:4])
def test_evaluate_refuses_invalid_answers(
    mini: Pack, answers: dict, expected: dict[str, list[str]]
) -> None:
    with pytest.raises(AnswersError) as caught:
        evaluate(mini, answers)
    assert caught.value.errors == expected
    field, messages = next(iter(expected.items()))
    assert str(caught.value) == f"{field}: {messages[0]}"


def test_answers_must_be_a_mapping(mini: Pack) -> None:
    check = validate_answers(mini, ["web"])  # type: ignore[arg-type]
    # "" is the key of the answer set as a whole; the API and the CLI call it `answers`
    assert check.errors == {"": ["expected a mapping of question id to answer, got a list"]}


def test_more_answers_than_questions_is_one_error_for_the_whole_set(mini: Pack) -> None:
    asked = len(mini.questions)
    check = validate_answers(mini, {f"made_up_{i}": True for i in range(asked + 1)})
    assert check.errors == {"": [f"{asked + 1} answers; the questionnaire has {asked}"]}


def test_a_multi_answer_longer_than_its_options_is_one_error(mini: Pack) -> None:
    check = validate_answers(mini, {"clients": ["web"] * 5})
    assert check.errors == {"clients": ["5 entries; clients has 4 options"]}


@pytest.mark.parametrize(
    ("answers", "values", "as_json"),
    [
        ({}, {}, {}),
        ({"async_jobs": False}, {"async_jobs": False}, {"async_jobs": False}),
        (
            {"clients": ["mobile", "web", "web"]},
            {"clients": frozenset({"web", "mobile"})},
            {"clients": ["web", "mobile"]},  # option order, duplicates gone
        ),
        ({"clients": ["none"]}, {"clients": frozenset({"none"})}, {"clients": ["none"]}),
        ({"project_name": "  Shop  "}, {"project_name": "Shop"}, {"project_name": "Shop"}),
        ({"project_name": "   "}, {}, {}),  # blank text is no answer
        ({"project_name": "x" * 20}, {"project_name": "x" * 20}, {"project_name": "x" * 20}),
        ({"backend_teams": None, "async_jobs": None}, {}, {}),  # null is no answer
        ({"backend_teams": 1}, {"backend_teams": 1}, {"backend_teams": 1}),
        ({"backend_teams": 500}, {"backend_teams": 500}, {"backend_teams": 500}),
    ],
)
def test_validate_answers_normalizes(
    mini: Pack, answers: dict, values: dict, as_json: dict
) -> None:
    check = validate_answers(mini, answers)
    assert check.ok
    assert check.values == values
    assert check.answers(mini) == as_json


def test_empty_multi_answer_is_an_answer_of_nothing(mini: Pack) -> None:
    # A founder who ticks no box has answered "none of these": unlike an omitted question,
    # it is known, so conditions on it are true or false rather than unknown.
    assert validate_answers(mini, {"clients": []}).values == {"clients": frozenset()}
    data = evaluate(mini, {"clients": []}).to_dict()
    assert data["answers"] == {"clients": []}
    assert "clients" not in [u["question"] for u in data["unknown"]]


# --- hidden questions ---------------------------------------------------------------------------


def test_answer_to_hidden_question_is_ignored_with_a_warning(mini: Pack) -> None:
    # client_needs_differ is asked only when clients has both web and mobile
    answers = {"clients": ["web"], "client_needs_differ": "very"}
    check = validate_answers(mini, answers)
    assert check.ok
    assert check.ignored == ["client_needs_differ"]
    data = evaluate(mini, answers).to_dict()
    assert data["answers"] == {"clients": ["web"]}
    assert data["decisions"][1]["option"] == "none"  # the bff rule did not see "very"
    assert data["warnings"][0] == (
        "answer to client_needs_differ was ignored: the question is not asked with these answers"
    )


def test_answer_to_shown_question_counts(mini: Pack) -> None:
    data = evaluate(mini, {"clients": ["web", "mobile"], "client_needs_differ": "very"}).to_dict()
    assert data["answers"] == {"clients": ["web", "mobile"], "client_needs_differ": "very"}
    bff = data["decisions"][1]
    assert (bff["option"], bff["status"], bff["confidence"]) == ("bff_per_client", "required", 1.0)
    assert bff["rationale"][0]["conditions"] == ["client_needs_differ is very"]
    assert not any("ignored" in w for w in data["warnings"])


def test_hidden_parent_hides_its_children(mini_files: dict[str, str]) -> None:
    # project_name is asked only when client_needs_differ is very, itself asked only with
    # web and mobile: dropping mobile hides both.
    files = edited(
        mini_files,
        "questions.yaml",
        "    help: Shown in the diagram.\n",
        "    help: Shown in the diagram.\n    show_if: {q: client_needs_differ, is: very}\n",
    )
    pack = load_pack(files)
    answers = {"client_needs_differ": "very", "project_name": "Shop"}
    shown = validate_answers(pack, {"clients": ["web", "mobile"], **answers})
    assert shown.ignored == []
    hidden = validate_answers(pack, {"clients": ["web"], **answers})
    assert hidden.ignored == ["client_needs_differ", "project_name"]
    assert hidden.values == {"clients": frozenset({"web"})}


# --- to_dict -----------------------------------------------------------------------------------


def test_to_dict_shape(mini: Pack) -> None:
    data = evaluate(mini, {"clients": ["web"], "async_jobs": True}).to_dict()
    assert list(data) == [
        "pack",
        "answers",
        "decisions",
        "practices",
        "unknown",
        "plausibility",
        "warnings",
    ]
    assert data["pack"] == {"id": "mini", "version": "1.10"}
    assert data["answers"] == {"clients": ["web"], "async_jobs": True}
    assert [d["id"] for d in data["decisions"]] == ["messaging", "bff"]
    messaging = data["decisions"][0]
    assert {
        "id",
        "title",
        "question",
        "option",
        "option_title",
        "description",
        "status",
        "confidence",
        "confidence_label",
        "score",
        "statement",
        "needs_answers",
        "runner_up",
        "tied_with",
        "rationale",
        "caveats",
        "consequences",
        "products",
        "alternatives",
        "depends_on",
    } <= set(messaging)
    assert "what_if" not in messaging  # only when asked for
    assert (messaging["option"], messaging["option_title"]) == ("queue", "Queue")
    assert (messaging["confidence"], messaging["confidence_label"]) == (0.6, "high")
    assert [(r["rule"], r["why"], r["source"]) for r in messaging["rationale"]] == [
        (
            "queue-for-jobs",
            "Work after the response should not hold the request.",
            "queues-streams",
        )
    ]
    assert messaging["consequences"] == {
        "good": ["Buffers bursts"],
        "bad": ["More to run"],
        "neutral": [],
    }
    assert messaging["products"] == ["Amazon SQS", "RabbitMQ"]  # no hosting answer: undecided
    assert messaging["depends_on"] == ["async_jobs", "backend_teams"]
    assert data["decisions"][1]["depends_on"] == ["clients", "client_needs_differ"]
    assert data["practices"] == [
        {
            "id": "retries-backoff-dlq",
            "title": "Retries with backoff and a dead-letter queue",
            "why": "Failures happen.",
            "source": "queues-streams",
            "rules": ["queue-for-jobs"],
            "decisions": [],
        }
    ]
    assert data["warnings"] == ["bff: no rule applies to these answers; showing the default, none"]
    assert (
        json.loads(evaluate(mini, {"async_jobs": True}).to_json())
        == evaluate(mini, {"async_jobs": True}).to_dict()
    )


def test_practices_appear_only_when_their_rule_fires(mini: Pack) -> None:
    assert evaluate(mini, {"async_jobs": False}).to_dict()["practices"] == []
    assert evaluate(mini, {"async_jobs": True}).practice_ids == ["retries-backoff-dlq"]


@pytest.mark.parametrize(
    ("answers", "unknown"),
    [
        (
            {},
            [("clients", ["bff"]), ("async_jobs", ["messaging"]), ("backend_teams", ["messaging"])],
        ),
        ({"async_jobs": True}, [("clients", ["bff"]), ("backend_teams", ["messaging"])]),
        # clients answered with web and mobile: client_needs_differ is now asked, and unanswered
        (
            {"clients": ["web", "mobile"], "async_jobs": True, "backend_teams": 2},
            [("client_needs_differ", ["bff"])],
        ),
        # with web only it is hidden, so nobody needs it
        ({"clients": ["web"], "async_jobs": True, "backend_teams": 2}, []),
        # project_name decides nothing, so it is never listed
        ({"clients": ["web"], "async_jobs": False, "backend_teams": 9, "project_name": "x"}, []),
    ],
)
def test_unknown_lists_unanswered_questions_decisions_depend_on(
    mini: Pack, answers: dict, unknown: list[tuple[str, list[str]]]
) -> None:
    data = evaluate(mini, answers).to_dict()
    assert [(u["question"], u["decisions"]) for u in data["unknown"]] == unknown


def test_unknown_entry_carries_the_question_text(mini: Pack) -> None:
    data = evaluate(mini, {"clients": ["web"], "backend_teams": 1}).to_dict()
    assert data["unknown"] == [
        {"question": "async_jobs", "text": "Background jobs?", "decisions": ["messaging"]}
    ]


# --- what-if -----------------------------------------------------------------------------------

WHAT_IF_CASES = [
    (
        {"async_jobs": True},
        {
            "messaging": [{"question": "async_jobs", "answer": False, "option": "none"}],
            "bff": [],
        },
    ),
    (
        {"async_jobs": True, "backend_teams": 5},
        {
            "messaging": [{"question": "async_jobs", "answer": False, "option": "stream"}],
            "bff": [],
        },
    ),
    (
        {"backend_teams": 3},
        {
            "messaging": [
                {"question": "async_jobs", "answer": True, "option": "queue"},
                {"question": "backend_teams", "answer": 2, "option": "none"},
            ],
            "bff": [],
        },
    ),
    (
        {"clients": ["web", "mobile"], "client_needs_differ": "very"},
        {
            "messaging": [
                {"question": "async_jobs", "answer": True, "option": "queue"},
                {"question": "backend_teams", "answer": 3, "option": "stream"},
            ],
            "bff": [
                # dropping web hides client_needs_differ, so the bff rule no longer holds
                {"question": "clients", "answer": ["mobile"], "option": "none"},
                {"question": "client_needs_differ", "answer": "similar", "option": "none"},
            ],
        },
    ),
]


def _core(flips: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The flips without their wording: question, answer and the option it would lead to."""
    keys = ("question", "answer", "option")
    return {d: [{k: f[k] for k in keys} for f in fs] for d, fs in flips.items()}


@pytest.mark.parametrize(("answers", "flips"), WHAT_IF_CASES)
def test_what_if_lists_the_flips(mini: Pack, answers: dict, flips: dict) -> None:
    data = evaluate(mini, answers, what_if=True).to_dict()
    assert _core({d["id"]: d["what_if"] for d in data["decisions"]}) == flips


def flips_of(pack: Pack, answers: dict) -> dict[str, list[Flip]]:
    flips = evaluate(pack, answers, what_if=True).what_if
    assert flips is not None
    return flips


@pytest.mark.parametrize(("answers", "flips"), WHAT_IF_CASES)
def test_what_if_is_kept_on_the_recommendation(mini: Pack, answers: dict, flips: dict) -> None:
    assert _core(flips_of(mini, answers)) == flips
    assert evaluate(mini, answers).what_if is None  # only when asked for


def test_what_if_says_it_in_labels(mini: Pack) -> None:
    flips = flips_of(mini, {"clients": ["web", "mobile"], "client_needs_differ": "very"})
    [first, *_] = flips["bff"]
    assert first["text"] == (
        f'Would become "{first["option_title"]}" if "Who calls your backend?" were answered '
        f'"{first["answer_label"]}".'
    )
    assert "[" not in first["text"] and "client_needs_differ" not in first["text"]


def test_every_what_if_flip_really_flips(mini: Pack) -> None:
    answers = {"clients": ["web", "mobile"], "client_needs_differ": "very", "backend_teams": 3}
    before = evaluate(mini, answers)
    flips = flips_of(mini, answers)
    assert any(flips.values())
    for decision_id, changes in flips.items():
        for change in changes:
            after = evaluate(mini, {**answers, change["question"]: change["answer"]})
            assert after.option(decision_id) == change["option"] != before.option(decision_id)


def test_what_if_refuses_invalid_answers(mini: Pack) -> None:
    with pytest.raises(AnswersError):
        evaluate(mini, {"backend_teams": 0}, what_if=True)


def test_what_if_on_resolution_pack(res_pack: Pack) -> None:
    flips = _core(flips_of(res_pack, on("b_plus3", "c_plus1")))["d"]
    assert {"question": "b_plus3", "answer": False, "option": "c"} in flips
    assert {"question": "need_c", "answer": True, "option": "c"} in flips
    assert {"question": "drop_b", "answer": True, "option": "c"} in flips
    assert all(f["option"] != "b" for f in flips)


# --- determinism -------------------------------------------------------------------------------

DETERMINISM_ANSWERS = [
    {},
    {"clients": ["mobile", "web", "third_party"], "async_jobs": True, "backend_teams": 4},
    {"clients": ["web", "mobile"], "client_needs_differ": "very", "project_name": "Shop"},
]


@pytest.mark.parametrize("answers", DETERMINISM_ANSWERS)
def test_to_dict_is_byte_identical_across_runs_and_loads(mini: Pack, answers: dict) -> None:
    first = json.dumps(evaluate(mini, answers, what_if=True).to_dict())
    second = json.dumps(evaluate(mini, answers, what_if=True).to_dict())
    reloaded = json.dumps(evaluate(load_pack(MINI), answers, what_if=True).to_dict())
    assert first == second == reloaded


def test_to_dict_is_identical_across_hash_seeds() -> None:
    script = (
        "import json, sys\n"
        "from advisor.engine import evaluate, load_pack\n"
        f"pack = load_pack({str(MINI)!r})\n"
        f"for answers in {DETERMINISM_ANSWERS!r}:\n"
        "    sys.stdout.write(json.dumps(evaluate(pack, answers, what_if=True).to_dict()))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert '"messaging"' in outputs.pop()


# --- scenarios ---------------------------------------------------------------------------------


def test_run_scenarios_summary(mini: Pack) -> None:
    report = run_scenarios(mini)
    assert report.passed
    assert report.summary() == "2 scenarios, 0 failed; rule coverage 3/3 (100%)"
    assert report.uncovered_rules == ()


def edited(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert files[name].count(old) == 1
    return {**files, name: files[name].replace(old, new)}


def test_failing_scenario_shows_expected_versus_got(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        "scenarios/basic.yaml",
        "decisions: {messaging: queue, bff: none}",
        "decisions: {messaging: stream, bff: bff_per_client}",
    )
    report = run_scenarios(load_pack(files))
    assert not report.passed
    assert report.summary() == "2 scenarios, 1 failed; rule coverage 3/3 (100%)"
    [failed] = report.failed
    assert failed.scenario.id == "jobs"
    assert failed.failures == (
        "messaging: expected stream, got queue (fired: queue-for-jobs)",
        "bff: expected bff_per_client, got none (no rule fired; default)",
    )


def test_failing_scenario_practices(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        "scenarios/basic.yaml",
        "practices: {include: [retries-backoff-dlq]}",
        "practices: {exclude: [retries-backoff-dlq]}",
    )
    files = edited(
        files,
        "scenarios/basic.yaml",
        "decisions: {messaging: stream, bff: bff_per_client}",
        "decisions: {messaging: stream, bff: bff_per_client}\n"
        "      practices: {include: [retries-backoff-dlq]}",
    )
    report = run_scenarios(load_pack(files))
    assert [r.failures for r in report.results] == [
        ("practice retries-backoff-dlq: must not be included, but is",),
        ("practice retries-backoff-dlq: expected, missing",),
    ]
    assert report.summary() == "2 scenarios, 2 failed; rule coverage 3/3 (100%)"


def test_rule_coverage_names_rules_no_scenario_fires(mini_files: dict[str, str]) -> None:
    files = dict(mini_files)
    files["scenarios/basic.yaml"] = files["scenarios/basic.yaml"].split("  - id: big-org")[0]
    report = run_scenarios(load_pack(files))
    assert report.summary() == "1 scenarios, 0 failed; rule coverage 1/3 (33%)"
    assert report.uncovered_rules == ("many-teams-stream", "bff-when-very-different")


def test_scenario_answering_a_hidden_question_still_runs(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        "scenarios/basic.yaml",
        "answers: {clients: [web], async_jobs: true, backend_teams: 1}",
        "answers: {clients: [web], async_jobs: true, backend_teams: 1, client_needs_differ: very}",
    )
    report = run_scenarios(load_pack(files))
    assert report.passed  # the hidden answer is ignored, so bff stays none


def test_many_made_up_questions_are_all_reported_but_only_the_first_get_suggestions() -> None:
    default = load_pack(_support.DEFAULT_RULES)
    answers = {f"async_jobz{i}": True for i in range(30)}  # fewer than its 35 questions
    errors = validate_answers(default, answers).errors
    assert len(errors) == 30
    suggested = [key for key, [message] in errors.items() if "did you mean" in message]
    assert len(suggested) == 20
    assert errors["async_jobz29"] == ["'async_jobz29' is not a question of this pack"]


@pytest.mark.parametrize(
    ("hosting", "products"),
    [
        ("aws", ["Amazon SQS"]),
        ("undecided", ["Amazon SQS", "RabbitMQ"]),
        ("hetzner", ["Amazon SQS", "RabbitMQ"]),  # none listed for it: the pack's default
    ],
)
def test_products_follow_the_answer_to_the_pack_products_question(
    mini: Pack, hosting: str, products: list[str]
) -> None:
    data = evaluate(mini, {"async_jobs": True, "hosting": hosting}).to_dict()
    [messaging] = [d for d in data["decisions"] if d["id"] == "messaging"]
    assert messaging["option"] == "queue"
    assert messaging["products"] == products


def test_the_summary_is_the_full_result_without_explanations(mini: Pack) -> None:
    rec = evaluate(mini, {"clients": ["web", "mobile"], "async_jobs": True})
    full, summary = rec.to_dict(), rec.summary()
    assert summary == summarize(full)
    assert list(summary) == ["view", "pack", "decisions", "unknown", "warnings"]
    assert summary["view"] == "summary"
    assert (summary["unknown"], summary["warnings"]) == (full["unknown"], full["warnings"])
    [messaging] = [d for d in summary["decisions"] if d["id"] == "messaging"]
    assert messaging == {
        "id": "messaging",
        "option": "queue",
        "option_title": "Queue",
        "status": "decided",
        "confidence": 0.6,
        "confidence_label": "high",
    }


def test_a_deeply_nested_value_is_named_by_its_type_not_printed(mini: Pack) -> None:
    nested: object = 2
    for _ in range(5000):  # deeper than str() can recurse
        nested = [nested]
    with pytest.raises(AnswersError) as raised:
        evaluate(mini, {"backend_teams": nested})
    assert raised.value.errors == {"backend_teams": ["expected a whole number, got a list"]}
