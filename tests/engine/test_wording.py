"""Rules in plain words: a table over every operator of the condition language, said plainly
and negated, with question texts and option labels taken from the pack."""

from __future__ import annotations

import pytest

from advisor.engine import load_pack
from advisor.engine.conditions import LEAF_OPERATORS, parse_condition
from advisor.engine.model import Effect, Rule
from advisor.engine.wording import condition_words, effect_words, rule_sentence, short_label
from tests.support import DEFAULT_RULES, MINI

CLIENTS = "“Who calls your backend?”"
NEEDS = "“How different are the clients?”"
JOBS = "“Background jobs?”"
TEAMS = "“How many backend teams?”"

WORDS = [
    # (operator, condition, plain words, words under a `not`)
    (
        "is",
        {"q": "client_needs_differ", "is": "very"},
        f"{NEEDS} is ‘Very different’",
        f"{NEEDS} is not ‘Very different’",
    ),
    ("is", {"q": "async_jobs", "is": True}, f"{JOBS} is answered yes", f"{JOBS} is answered no"),
    ("is", {"q": "backend_teams", "is": 1200}, f"{TEAMS} is 1,200", f"{TEAMS} is not 1,200"),
    (
        "in",
        {"q": "client_needs_differ", "in": ["similar", "very"]},
        f"{NEEDS} is ‘Similar’ or ‘Very different’",
        f"{NEEDS} is neither ‘Similar’ nor ‘Very different’",
    ),
    (
        "includes",
        {"q": "clients", "includes": "mobile"},
        f"{CLIENTS} includes ‘Mobile apps’",
        f"{CLIENTS} does not include ‘Mobile apps’",
    ),
    (
        "includes_any",
        {"q": "clients", "includes_any": ["web", "mobile"]},
        f"{CLIENTS} includes ‘Browser’ or ‘Mobile apps’",
        f"{CLIENTS} includes none of ‘Browser’ and ‘Mobile apps’",
    ),
    (
        "includes_all",
        {"q": "clients", "includes_all": ["web", "mobile", "third_party"]},
        f"{CLIENTS} includes ‘Browser’, ‘Mobile apps’ and ‘Partners’",
        f"{CLIENTS} does not include all of ‘Browser’, ‘Mobile apps’ and ‘Partners’",
    ),
    (
        "count_gte",
        {"q": "clients", "count_gte": 2, "of": ["web", "mobile"]},
        f"at least 2 of ‘Browser’ and ‘Mobile apps’ are chosen for {CLIENTS}",
        f"fewer than 2 of ‘Browser’ and ‘Mobile apps’ are chosen for {CLIENTS}",
    ),
    (
        "count_gte",
        {"q": "clients", "count_gte": 2},
        f"at least 2 answers are chosen for {CLIENTS}",
        f"fewer than 2 answers are chosen for {CLIENTS}",
    ),
    ("gte", {"q": "backend_teams", "gte": 3}, f"{TEAMS} is at least 3", f"{TEAMS} is below 3"),
    ("lte", {"q": "backend_teams", "lte": 1}, f"{TEAMS} is at most 1", f"{TEAMS} is above 1"),
    (
        "between",
        {"q": "backend_teams", "between": [2, 5000]},
        f"{TEAMS} is between 2 and 5,000",
        f"{TEAMS} is outside 2 and 5,000",
    ),
    (
        "answered",
        {"q": "backend_teams", "answered": True},
        f"{TEAMS} is answered",
        f"{TEAMS} is not answered yet",
    ),
    (
        "answered",
        {"q": "backend_teams", "answered": False},
        f"{TEAMS} is not answered yet",
        f"{TEAMS} is answered",
    ),
]


@pytest.fixture(scope="module")
def mini():
    return load_pack(MINI)


@pytest.mark.parametrize(("op", "raw", "plain", "negated"), WORDS)
def test_each_operator_reads_plainly(mini, op, raw, plain, negated):
    assert op in raw
    assert condition_words(pack=mini, cond=parse_condition(raw)) == plain


@pytest.mark.parametrize(("op", "raw", "plain", "negated"), WORDS)
def test_each_operator_reads_plainly_when_negated(mini, op, raw, plain, negated):
    assert condition_words(pack=mini, cond=parse_condition({"not": raw})) == negated


def test_the_table_covers_every_operator():
    assert {row[0] for row in WORDS} == set(LEAF_OPERATORS)


A = {"q": "clients", "includes": "web"}
B = {"q": "async_jobs", "is": True}
C = {"q": "backend_teams", "gte": 2}
A_WORDS = f"{CLIENTS} includes ‘Browser’"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"all": [A, B]}, f"{A_WORDS} and {JOBS} is answered yes"),
        ({"any": [A, B]}, f"{A_WORDS} or {JOBS} is answered yes"),
        (
            {"all": [A, {"any": [B, C]}]},
            f"{A_WORDS} and ({JOBS} is answered yes or {TEAMS} is at least 2)",
        ),
        # De Morgan: the negation goes down to the leaves instead of "not (...)".
        (
            {"not": {"all": [A, B]}},
            f"{CLIENTS} does not include ‘Browser’ or {JOBS} is answered no",
        ),
        ({"not": {"any": [A, C]}}, f"{CLIENTS} does not include ‘Browser’ and {TEAMS} is below 2"),
        ({"not": {"not": A}}, A_WORDS),
        (
            {"all": [A, {"not": {"any": [B, C]}}]},
            f"{A_WORDS} and ({JOBS} is answered no and {TEAMS} is below 2)",
        ),
    ],
)
def test_all_any_and_not_combine_plainly(mini, raw, words):
    assert condition_words(pack=mini, cond=parse_condition(raw)) == words


@pytest.mark.parametrize(
    ("effect", "words"),
    [
        (Effect("score", "messaging", "queue", 3), "favours ‘Queue’ for Messaging (+3)"),
        (Effect("score", "messaging", "queue", -2), "counts against ‘Queue’ for Messaging (−2)"),
        (Effect("exclude", "messaging", "stream"), "rules out ‘Stream’ for Messaging"),
        (Effect("require", "bff", "bff_per_client"), "requires ‘BFF per client’ for BFF"),
    ],
)
def test_effects_are_said_as_such(mini, effect, words):
    assert effect_words(pack=mini, effect=effect) == words


def test_a_practice_effect_names_the_practice(mini):
    practice = mini.practices[0]

    words = effect_words(pack=mini, effect=Effect("practice", practice=practice.id))

    assert words == f"adds the practice “{practice.title}”"


def test_a_rule_reads_as_one_sentence(mini):
    rule = Rule(
        "r",
        "R",
        parse_condition({"all": [A, B]}),
        (Effect("score", "messaging", "queue", 3),),
        "why",
        "faq-bff",
    )

    assert rule_sentence(pack=mini, rule=rule) == (
        f"When {A_WORDS} and {JOBS} is answered yes → favours ‘Queue’ for Messaging (+3)"
    )


def test_labels_lose_their_parenthesised_detail():
    assert short_label("Native mobile apps (iOS, Android)") == "Native mobile apps"
    assert short_label("(odd)") == "(odd)"


def test_every_rule_of_the_default_pack_reads_without_ids():
    pack = load_pack(DEFAULT_RULES)
    question_ids = {q.id for q in pack.questions if "_" in q.id}

    for rule in pack.rules:
        sentence = rule_sentence(pack=pack, rule=rule)
        assert sentence.startswith("When ")
        assert "not (" not in sentence
        assert not any(f" {qid} " in sentence for qid in question_ids), sentence
