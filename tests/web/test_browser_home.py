"""The home page in a real Chromium: visible, keyboard-usable, accessible, no CSP errors."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

BLOCKING_IMPACTS = {"serious", "critical"}


def test_it_shows_the_home_page_and_starts_by_keyboard(page, console_errors, artifacts_dir):
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    start = page.locator("#start-link")
    expect(start).to_be_visible()
    # The stylesheet really loaded: the start link is drawn as a filled button.
    assert start.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(31, 78, 140)"
    page.screenshot(path=artifacts_dir / "home.png", full_page=True)
    assert console_errors == []

    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "start-link":
            break
        page.keyboard.press("Tab")
    expect(start).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url("**/assess/clients/")
    expect(page.locator("#step-title")).to_have_text("Clients and product")
    assert console_errors == []


def test_it_has_no_serious_accessibility_violations(page):
    page.goto("/")

    results = Axe().run(page)

    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], results.generate_report()


def test_it_fits_a_phone_screen(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator("#start-link")).to_be_visible()
