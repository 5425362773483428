"""Comparison, rules browser and sources in a real Chromium: accessible, no CSP errors,
readable at 1280 and 360 px (screenshots in test-artifacts/)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from advisor import services
from tests.conftest import ONE_WEB_APP

BLOCKING_IMPACTS = {"serious", "critical"}
pytestmark = pytest.mark.django_db(transaction=True)


def comparison_url() -> str:
    a = services.create_assessment(answers={**ONE_WEB_APP, "peak_rps": 900})
    b = services.create_assessment(
        answers={**ONE_WEB_APP, "architecture_style": "microservices", "peak_rps": 9000}
    )
    return f"/compare/?a={a.id}&b={b.id}"


def assert_accessible(page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], results.generate_report()


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("compare", None),
        ("rules", "/rules/?decision=bff"),
        ("rules-question", "/rules/?question=peak_rps"),
        ("sources", "/sources/"),
        ("rule", "/rules/websocket-for-two-way-interaction/"),
    ],
)
def test_pages_are_accessible_and_fit_the_screen(
    page, console_errors, artifacts_dir, name, url, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url or comparison_url())

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts_dir / f"{name}-{width}.png", full_page=True)
    assert_accessible(page)
    assert console_errors == []


def test_the_whole_rules_page_is_accessible(page, console_errors):
    page.goto("/rules/")

    assert_accessible(page)
    assert console_errors == []


def test_the_rule_filters_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/rules/")

    page.select_option("#filter-question", "peak_rps")
    page.get_by_role("button", name="Show rules").click()

    page.wait_for_url("**/rules/?decision=&question=peak_rps")
    expect(page.locator("#filter-summary")).to_contain_text("read “Peak requests per second")
    expect(page.locator("#rule-rest-caching-for-heavy-read-traffic")).to_be_visible()
    context.close()
