"""The API's JSON, assembled from parts encoded once per pack, is byte for byte the plain path:
`orjson.dumps(rec.to_dict())` stays the reference (see advisor/engine/encoded.py)."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import Pack, encoded, evaluate, load_pack
from advisor.engine.encoded import result_parts
from tests.engine.test_properties import PACKS, answers_for, pack_named


def assert_same_bytes(pack: Pack, answers: dict[str, object], *, what_if: bool) -> None:
    rec = evaluate(pack, answers, what_if=what_if)
    assert rec.to_json_bytes() == orjson.dumps(rec.to_dict())


@pytest.mark.parametrize("name", list(PACKS))
@pytest.mark.parametrize("what_if", [False, True])
def test_every_scenario_of_the_pack_gives_the_same_bytes(name: str, what_if: bool) -> None:
    pack = pack_named(name)
    assert pack.scenarios
    for scenario in pack.scenarios:
        assert_same_bytes(pack, scenario.answers, what_if=what_if)
    assert_same_bytes(pack, {}, what_if=what_if)  # nothing answered: every default


# A fixed 1,000 random answer sets per pack under every profile (about 10 s for both packs).
@pytest.mark.parametrize("name", list(PACKS))
@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_answers_give_the_same_bytes(name: str, data: st.DataObject) -> None:
    pack = pack_named(name)
    answers = data.draw(answers_for(pack))
    assert_same_bytes(pack, answers, what_if=data.draw(st.booleans(), label="what_if"))


def test_the_parts_are_built_once_per_compiled_pack() -> None:
    default, mini = pack_named("default"), pack_named("mini")
    assert result_parts(default) is result_parts(default)
    assert result_parts(mini) is not result_parts(default)


def test_products_for_an_answer_the_parts_do_not_hold_are_encoded_on_the_spot() -> None:
    pack = pack_named("default")
    option = pack.decisions[0].options[0]
    parts = result_parts(pack).decisions[pack.decisions[0].id].options[0]
    encoded = orjson.dumps([parts.products_for("no-such-cloud", default=pack.products_default)])
    expected = option.products_for("no-such-cloud", default=pack.products_default)
    assert encoded == orjson.dumps([list(expected)])


def fresh_default_pack() -> Pack:
    """The default pack compiled anew, so its parts start empty."""
    return load_pack(PACKS["default"])


def stored_entries(pack: Pack) -> int:
    return sum(len(d.entries) for d in result_parts(pack).decisions.values())


def test_answer_sets_that_differ_only_in_what_no_rule_reads_share_every_entry() -> None:
    pack = fresh_default_pack()
    answers = dict(pack.scenarios[0].answers)
    assert_same_bytes(pack, {**answers, "project_name": "Ledger"}, what_if=False)
    stored = stored_entries(pack)
    assert stored == len(pack.decisions)
    assert_same_bytes(pack, {**answers, "project_name": "Another name"}, what_if=False)
    assert_same_bytes(pack, {**answers, "project_name": "Another name"}, what_if=True)
    assert stored_entries(pack) == stored  # what-if is added to the stored entry, not stored


def test_a_change_that_moves_one_decision_stores_new_entries_only_for_what_it_moved() -> None:
    pack = fresh_default_pack()
    scenario = next(s for s in pack.scenarios if s.answers.get("cloud") == "aws")
    assert_same_bytes(pack, scenario.answers, what_if=False)
    # Only the products (per cloud) change with the cloud for decisions no rule on it moves.
    assert_same_bytes(pack, {**scenario.answers, "cloud": "azure"}, what_if=False)
    assert len(pack.decisions) < stored_entries(pack) <= 2 * len(pack.decisions)


def test_with_no_room_left_entries_are_built_every_time_and_stay_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(encoded, "MAX_SEEN_ENTRIES", 0)
    pack = fresh_default_pack()
    for scenario in pack.scenarios[:10]:
        assert_same_bytes(pack, scenario.answers, what_if=True)
    assert stored_entries(pack) == 0
    assert result_parts(pack).practices == {}
