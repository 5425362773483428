"""Properties over random valid answer sets, drawn from each pack's own questions.

Packs: the mini test pack and the default pack in rules/ (which must load).
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import Pack, evaluate, load_pack, validate_answers
from advisor.engine.answers import answer_json, as_json
from advisor.engine.model import Question
from advisor.engine.resolve import evaluate_rules, fired_rules
from advisor.engine.result import summarize
from advisor.engine.whatif import _candidates, open_from_flips, open_questions
from tests import support as _support
from tests.support import examples

REPO = _support.REPO
PACKS = {
    "mini": _support.MINI,
    "default": REPO / "rules",
}
# what answers._CONTROL refuses
CONTROL = _support.REFUSED_IN_TEXT


@cache
def pack_named(name: str) -> Pack:
    return load_pack(PACKS[name])


def answer_strategy(q: Question, pack: Pack) -> st.SearchStrategy:
    if q.type == "single":
        return st.sampled_from(q.option_ids)
    if q.type == "multi":
        exclusive = [o.id for o in q.options if o.exclusive]
        others = [o.id for o in q.options if not o.exclusive]
        subsets = st.lists(st.sampled_from(others), unique=True) if others else st.just([])
        if exclusive:
            return st.one_of(subsets, st.sampled_from(exclusive).map(lambda o: [o]))
        return subsets
    if q.type == "boolean":
        return st.booleans()
    if q.type == "integer":
        low = q.min if q.min is not None else -(10**6)
        high = q.max if q.max is not None else 10**6
        # the values where the pack's rules change their mind are the interesting ones
        edges = [t for t in pack.compiled.thresholds.get(q.id, ()) if low <= t <= high]
        numbers = st.integers(low, high)
        return st.one_of(st.sampled_from(edges), numbers) if edges else numbers
    text = st.characters(codec="utf-8", exclude_characters=CONTROL)
    return st.text(text, max_size=q.max_length)


def answers_for(pack: Pack) -> st.SearchStrategy[dict[str, object]]:
    """Each question answered or left out; answers to hidden questions are allowed too."""
    return st.fixed_dictionaries(
        {}, optional={q.id: answer_strategy(q, pack) for q in pack.questions}
    )


@st.composite
def pack_and_answers(draw: st.DrawFn, name: str) -> tuple[Pack, dict[str, object]]:
    pack = pack_named(name)
    return pack, draw(answers_for(pack))


@pytest.mark.parametrize("name", list(PACKS))
def test_pack_loads(name: str) -> None:
    pack = pack_named(name)
    assert pack.questions and pack.decisions and pack.rules


@pytest.mark.parametrize("name", list(PACKS))
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_evaluate_on_random_valid_answers(name: str, data: st.DataObject) -> None:
    pack, answers = data.draw(pack_and_answers(name))
    check = validate_answers(pack, answers)
    assert check.errors == {}  # the generator only makes valid answers

    rec = evaluate(pack, answers)
    first = json.dumps(rec.to_dict())
    assert json.dumps(evaluate(pack, answers).to_dict()) == first  # deterministic

    result = rec.to_dict()
    assert [d["id"] for d in result["decisions"]] == [d.id for d in pack.decisions]
    for entry, decision in zip(result["decisions"], pack.decisions, strict=True):
        assert entry["option"] in decision.option_ids
        assert entry["status"] in ("decided", "required", "default", "conflict")
        assert 0.0 <= entry["confidence"] <= 1.0
        if entry["status"] == "default":
            assert entry["option"] == decision.default
    # the compact view says the same as the full result, built without it
    assert json.dumps(rec.summary()) == json.dumps(summarize(result))
    # only effective answers are echoed, and answers to hidden questions are said to be ignored
    assert set(result["answers"]) <= set(answers)
    for qid in check.ignored:
        assert qid not in result["answers"]
        assert any(w.startswith(f"answer to {qid} was ignored") for w in result["warnings"])


@pytest.mark.parametrize("name", list(PACKS))
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_if_on_random_valid_answers(name: str, data: st.DataObject) -> None:
    pack, answers = data.draw(pack_and_answers(name))
    rec = evaluate(pack, answers, what_if=True)
    flips = rec.what_if
    assert flips is not None
    result = rec.to_dict()
    effective = result["answers"]
    chosen = {d["id"]: d["option"] for d in result["decisions"]}
    assert set(flips) == set(chosen)
    for decision_id, changes in flips.items():
        for change in changes:
            assert change["option"] != chosen[decision_id]
            # the flip is real: that one change to the effective answers gives that option
            changed = {**effective, change["question"]: change["answer"]}
            assert evaluate(pack, changed).option(decision_id) == change["option"]


@pytest.mark.parametrize("name", list(PACKS))
@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_if_finds_every_flip_a_full_evaluation_finds(name: str, data: st.DataObject) -> None:
    """Against the plain way: evaluate the whole pack again for every candidate change of
    every question a decision reads; the (decision, question, option) flips must be the same."""
    pack, answers = data.draw(pack_and_answers(name))
    rec = evaluate(pack, answers, what_if=True)
    assert rec.what_if is not None
    found = {(d, f["question"], f["option"]) for d, fs in rec.what_if.items() for f in fs}
    read = {q for deps in pack.compiled.decision_deps.values() for q in deps}
    given = as_json(pack, rec.values)
    expected = set()
    for q in (q for q in pack.questions if q.id in read):
        thresholds = pack.compiled.thresholds.get(q.id, ())
        for candidate in _candidates(q, rec.values.get(q.id), thresholds):
            changed = evaluate(pack, {**given, q.id: answer_json(q, candidate)})
            if q.id not in changed.values:
                continue  # not asked with the other answers
            for decision in pack.decisions:
                if changed.option(decision.id) != rec.option(decision.id):
                    expected.add((decision.id, q.id, changed.option(decision.id)))
    assert found == expected


@pytest.mark.parametrize("name", list(PACKS))
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rule_index_fires_exactly_the_rules_whose_condition_is_true(
    name: str, data: st.DataObject
) -> None:
    # The index skips rules whose guard leaf does not hold; trying every rule must agree.
    pack, answers = data.draw(pack_and_answers(name))
    values = validate_answers(pack, answers).values
    every_rule = [i for i, check in enumerate(pack.compiled.rule_checks) if check(values) is True]
    assert fired_rules(pack, values) == every_rule


@pytest.mark.parametrize("name", list(PACKS))
@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_needs_answers_search_names_what_what_if_finds(name: str, data: st.DataObject) -> None:
    """The open questions (searched with an early stop per question) are exactly the
    unanswered questions among the what-if flips, which the test above holds to a full
    re-evaluation."""
    pack, answers = data.draw(pack_and_answers(name))
    rec = evaluate(pack, answers, what_if=True)
    assert rec.what_if is not None
    base = evaluate_rules(pack, rec.values)
    assert open_questions(pack, rec.values, base) == open_from_flips(rec.values, rec.what_if)
