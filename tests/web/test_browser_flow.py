"""The founders' flow in a real Chromium: keyboard only, live preview, result, edit, axe, phone.

The live server's database is emptied after each test, so each test stores the default pack.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from advisor.packs import default_rules_path, import_pack, published_pack

BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def pack(transactional_db):
    import_pack(default_rules_path())
    return published_pack()[1]


def tab_to(page: Page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose_radio(page: Page, name: str, presses: int) -> None:
    """Tab into a radio group (focus lands on the checked "Not sure") and arrow up."""
    tab_to(page, f"input[name='{name}']:checked")
    for _ in range(presses):
        page.keyboard.press("ArrowUp")


def tick(page: Page, checkbox_id: str) -> None:
    tab_to(page, f"#{checkbox_id}")
    page.keyboard.press("Space")


def type_into(page: Page, input_id: str, text: str) -> None:
    tab_to(page, f"#{input_id}")
    page.keyboard.type(text)


def next_step(page: Page, title: str) -> None:
    tab_to(page, "#next-button")
    page.keyboard.press("Enter")
    expect(page.locator("#step-title")).to_have_text(title)
    expect(page.locator("#step-title")).to_be_focused()


def blocking_violations(page: Page) -> tuple[list, str]:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    return blocking, results.generate_report()


def answer_every_step_by_keyboard(page: Page) -> None:
    page.goto("/")
    tab_to(page, "#start-link")
    page.keyboard.press("Enter")
    expect(page.locator("#step-title")).to_have_text("Clients and product")

    type_into(page, "id_project_name", "Keyboard Co")
    tick(page, "id_clients_0")
    tick(page, "id_clients_1")
    expect(page.locator("#q-client_needs_differ fieldset")).to_be_visible()
    choose_radio(page, "client_needs_differ", 1)  # very different
    choose_radio(page, "frontend_team_per_client", 2)  # yes
    next_step(page, "Services and teams")

    type_into(page, "id_backend_teams", "3")
    choose_radio(page, "architecture_style", 1)  # microservices
    expect(page.locator("#q-internal_traffic fieldset")).to_be_visible()
    next_step(page, "Traffic")

    type_into(page, "id_peak_rps", "6,000")
    next_step(page, "Real-time")

    tick(page, "id_realtime_features_1")  # chat
    expect(page.locator("#q-concurrent_connections input")).to_be_visible()
    next_step(page, "Asynchronous work and events")

    choose_radio(page, "async_jobs", 2)  # yes
    next_step(page, "Integrations")

    choose_radio(page, "inbound_webhooks", 2)  # yes
    expect(page.locator("#q-webhook_side_effects fieldset")).to_be_visible()
    choose_radio(page, "webhook_side_effects", 1)  # critical
    next_step(page, "Operations")

    choose_radio(page, "cloud", 1)  # undecided
    tab_to(page, "#finish-button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/a/[A-Za-z0-9_-]{22}/$"))


def test_a_founder_answers_every_step_with_the_keyboard_and_sees_the_result(
    page, pack, console_errors
):
    answer_every_step_by_keyboard(page)

    expect(page.locator("h1")).to_have_text("Keyboard Co")
    for decision in pack.decisions:
        expect(page.locator(f"#decision-{decision.id}")).to_be_visible()
    bff = page.locator("#decision-bff")
    expect(bff).to_contain_text("One Backend-for-Frontend per client experience")
    expect(page.locator("#practices")).to_be_visible()
    expect(page.locator("#practice-verify-webhook-signature")).to_be_visible()
    assert console_errors == []


def test_the_preview_changes_when_mobile_joins_web(page, pack, console_errors):
    page.goto("/assess/clients/")
    page.get_by_label("Browser application").check()
    bff = page.locator("#preview-bff")
    expect(bff).to_contain_text("How is the backend structured")
    with_web = bff.inner_text()

    page.get_by_label("Native mobile apps").check()

    expect(bff).to_contain_text("How different are the screens")
    assert bff.inner_text() != with_web
    expect(page.locator("#preview-status")).to_contain_text("Preview updated")
    # The answer is in the draft already: a refresh keeps it.
    page.reload()
    expect(page.get_by_label("Native mobile apps")).to_be_checked()
    assert console_errors == []


def test_editing_an_answer_changes_the_result_and_keeps_the_old_one(page, pack, console_errors):
    answer_every_step_by_keyboard(page)
    first_url = page.url
    choice = page.locator("#decision-bff .decision-choice")
    expect(choice).to_have_text("One Backend-for-Frontend per client experience")

    page.locator("#edit-answers").click()
    expect(page.locator("#step-title")).to_have_text("Clients and product")
    expect(page.get_by_label("Native mobile apps")).to_be_checked()
    page.get_by_label("Native mobile apps").uncheck()
    expect(page.locator("#q-client_needs_differ fieldset")).to_have_count(0)
    page.locator("#step-list button[value='operations']").click()
    expect(page.locator("#step-title")).to_have_text("Operations")
    page.locator("#finish-button").click()
    page.wait_for_url(re.compile(r"/a/[A-Za-z0-9_-]{22}/$"))

    assert page.url != first_url
    expect(choice).not_to_have_text("One Backend-for-Frontend per client experience")
    expect(page.get_by_role("link", name="the earlier answers")).to_be_visible()
    page.goto(first_url)
    expect(choice).to_have_text("One Backend-for-Frontend per client experience")
    assert console_errors == []


def test_every_questionnaire_step_has_no_serious_accessibility_violations(page, pack):
    page.goto("/assess/clients/")
    page.get_by_label("Browser application").check()
    page.get_by_label("Native mobile apps").check()  # the conditional questions too
    expect(page.locator("#q-client_needs_differ fieldset")).to_be_visible()
    for step in pack.steps:
        page.goto(f"/assess/{step.id}/")
        blocking, report = blocking_violations(page)
        assert blocking == [], f"{step.id}: {report}"


def test_a_step_with_errors_has_no_serious_accessibility_violations(page, pack):
    page.goto("/assess/services_teams/")
    page.fill("#id_backend_teams", "9000")
    page.locator("#next-button").click()
    expect(page.locator("#error-summary")).to_be_focused()

    blocking, report = blocking_violations(page)
    assert blocking == [], report


def test_the_result_page_has_no_serious_accessibility_violations(page, pack, console_errors):
    answer_every_step_by_keyboard(page)
    expect(page.locator("#diagram-viewer svg")).to_be_visible()
    zoom_in = page.get_by_role("button", name="Zoom in")
    zoom_in.click()
    expect(page.locator(".zoom-status")).to_have_text("Zoom 125 %")

    blocking, report = blocking_violations(page)
    assert blocking == [], report
    assert console_errors == []


def test_the_result_page_without_a_diagram_is_accessible_too(page, pack, monkeypatch):
    from advisor.exports import diagrams

    missing = diagrams.Rendered("svg", message="Graphviz (the `dot` program) is not installed here")
    monkeypatch.setattr(diagrams, "inline_svg", lambda *args, **kwargs: missing)
    answer_every_step_by_keyboard(page)
    expect(page.locator("#diagram-missing")).to_be_visible()
    expect(page.locator("#diagram-viewer")).to_have_count(0)

    blocking, report = blocking_violations(page)
    assert blocking == [], report


@pytest.mark.parametrize("path", ["/assess/clients/", "result"])
def test_it_fits_a_360_pixel_screen(page, pack, artifacts_dir, path):
    if path == "result":
        answer_every_step_by_keyboard(page)
    page.set_viewport_size(PHONE)
    if path != "result":
        page.goto(path)
        page.get_by_label("Browser application").check()
        page.get_by_label("Native mobile apps").check()
        expect(page.locator("#q-client_needs_differ fieldset")).to_be_visible()

    name = "result" if path == "result" else "questionnaire"
    page.screenshot(path=artifacts_dir / f"{name}-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if name == "questionnaire":
        # The preview comes after the form on a phone, not beside it.
        form_box = page.locator(".questions").bounding_box()
        preview_box = page.locator("#preview").bounding_box()
        assert preview_box["y"] > form_box["y"] + form_box["height"]
