"""From a result page in a real Chromium: "What if we grow?" opens a comparison in which a
decision differs, for a scenario of the pack whose advice depends on traffic."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from advisor import services
from advisor.engine import evaluate
from advisor.growth import grown_answers
from advisor.packs import published_pack

pytestmark = pytest.mark.django_db(transaction=True)


def scenario_that_grows_differently() -> tuple[dict, str]:
    """A scenario of the pack whose decisions change at ten times its peak traffic, and the
    first decision that changes (found by the engine, so a pack edit keeps the test honest)."""
    _, pack = published_pack()
    for scenario in pack.scenarios:
        if not isinstance(scenario.answers.get("peak_rps"), int):
            continue
        grown, _ = grown_answers(pack=pack, answers=scenario.answers, kind="traffic")
        before, after = evaluate(pack, scenario.answers), evaluate(pack, grown)
        for decision in pack.decisions:
            if before.option(decision.id) != after.option(decision.id):
                return dict(scenario.answers), decision.id
    raise AssertionError("no scenario of the pack changes its advice with 10x traffic")


def test_what_if_we_grow_opens_a_comparison_where_a_decision_differs(
    page, console_errors, artifacts_dir
):
    answers, changes = scenario_that_grows_differently()
    assessment = services.create_assessment(answers=answers)
    page.goto(f"/a/{assessment.id}/")

    page.locator("#grow-traffic").click()

    page.wait_for_url("**/compare/?a=*")
    expect(page.locator("#differ-title")).to_be_visible()
    expect(page.locator(f"#differs-{changes}")).to_be_visible()
    expect(page.locator("#answers")).to_contain_text("Peak requests per second")
    page.screenshot(path=artifacts_dir / "grow-compare-1280.png", full_page=True)
    # The copy is a result of its own: its page opens from the comparison.
    page.locator(".compare-side-b a").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert console_errors == []
