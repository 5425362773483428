"""The public rules browser and the sources page: every rule in plain words, the filters
(plain GET forms, so they work without JavaScript), and one rule with its scenarios."""

from __future__ import annotations

import pytest

from advisor.engine import load_pack
from advisor.engine.wording import rule_sentence
from tests.support import DEFAULT_RULES

pytestmark = pytest.mark.django_db

PACK = load_pack(DEFAULT_RULES)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response.content.decode()


def rule_ids_on(html: str) -> set[str]:
    return {r.id for r in PACK.rules if f'id="rule-{r.id}"' in html}


def test_every_rule_and_option_is_on_the_rules_page(client):
    html = page(client, "/rules/")

    assert rule_ids_on(html) == {r.id for r in PACK.rules}
    for decision in PACK.decisions:
        assert f'id="decision-{decision.id}"' in html
        for option in decision.options:
            assert f'id="option-{decision.id}-{option.id}"' in html


def test_rules_read_in_plain_words_with_what_they_do(client):
    html = page(client, "/rules/")

    # Quotes are typographic; Django escapes none of them.
    assert (
        "“Who calls your backend?” includes ‘Partners or public developers building on your API’"
        in html
    )
    assert (
        "rules out ‘One Backend-for-Frontend per client experience’ for Backend-for-Frontend"
        in html
    )
    assert (
        "favours ‘One Backend-for-Frontend per client experience’ for Backend-for-Frontend (+5)"
        in html
    )
    assert "requires ‘No push’ for Real-time push" in html


def test_products_per_cloud_are_listed_under_their_cloud(client):
    html = page(client, "/rules/")

    assert "<dt>AWS" in html or "<dt>Amazon" in html
    assert "Amazon API Gateway" in html


def test_the_decision_filter_keeps_one_decision(client):
    html = page(client, "/rules/?decision=bff")

    expected = {r.id for r in PACK.rules if any(e.decision == "bff" for e in r.effects)}
    assert rule_ids_on(html) == expected
    assert 'id="decision-messaging"' not in html
    assert '<option value="bff" selected>' in html


def test_the_question_filter_keeps_the_rules_that_read_it(client):
    html = page(client, "/rules/?question=peak_rps")

    from advisor.engine.conditions import questions_of

    expected = {r.id for r in PACK.rules if "peak_rps" in questions_of(r.when)}
    assert expected and rule_ids_on(html) == expected
    assert f"{len(expected)} rules that read “Peak requests per second at the edge”" in html


def test_both_filters_combine(client):
    html = page(client, "/rules/?decision=realtime&question=ops_capacity")

    assert rule_ids_on(html) == {"managed-realtime-for-small-team-at-scale"}


@pytest.mark.parametrize("query", ["decision=nope", "question=nope", "decision=%00"])
def test_an_unknown_filter_is_a_404_that_says_so(client, query):
    html = page(client, f"/rules/?{query}", status=404)

    assert "No decision or question has that id" in html
    assert rule_ids_on(html) == set()


def test_one_rule_with_the_scenarios_that_exercise_it(client):
    rule = next(r for r in PACK.rules if r.id == "websocket-for-two-way-interaction")

    html = page(client, f"/rules/{rule.id}/")

    assert rule_sentence(pack=PACK, rule=rule).split(" → ")[0].removeprefix("When ") in html
    assert rule.why.split(".")[0] in html
    assert 'id="scenario-' in html
    assert "Real-time push: WebSockets" in html


def test_a_rule_no_scenario_fires_says_so(client, monkeypatch):
    from advisor import rulebook

    monkeypatch.setattr(rulebook, "evaluate", lambda pack, answers: _never_fires(pack))

    html = page(client, "/rules/websocket-for-two-way-interaction/")

    assert 'id="no-scenario"' in html


class _never_fires:
    def __init__(self, pack) -> None:
        self.fired = (False,) * len(pack.rules)


def test_an_unknown_rule_is_a_404(client):
    page(client, "/rules/no-such-rule/", status=404)


def test_every_source_has_an_anchor_a_summary_and_its_citing_rules(client):
    html = page(client, "/sources/")

    for source in PACK.sources:
        assert f'id="{source.key}"' in html
        assert source.summary and source.summary.split(",")[0] in html
        for rule in (r for r in PACK.rules if r.source == source.key):
            assert f'href="/rules/{rule.id}/"' in html


def test_the_header_links_to_rules_and_sources(client):
    html = page(client, "/")

    assert 'href="/rules/"' in html and 'href="/sources/"' in html
