"""The rule editor in a real Chromium, end to end: sign in, break and fix a question id as the
annotations say, watch the scenarios pass, save, publish, and see the questionnaire change."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from advisor.models import PackVersion
from tests.conftest import EDITOR_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TYPO_LINE = 53  # questions.yaml: `show_if: {q: clients, ...}` of client_needs_differ
OLD_TEXT = "Who calls your backend?"
NEW_TEXT = "Which programs call your backend?"


def sign_in(page: Page, username: str = "consultant") -> None:
    page.goto("/editor/")
    page.wait_for_url("**/accounts/login/?next=/editor/")
    page.fill("#id_username", username)
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/editor/")


def select_in_editor(page: Page, line: int, word: str) -> None:
    """Select `word` on `line` (1-based) in the ACE editor, as a double-click would."""
    page.evaluate(
        """([line, word]) => {
            const editor = ace.edit("ace-editor");
            const column = editor.session.getLine(line - 1).indexOf(word);
            if (column < 0) throw new Error(`${word} not on line ${line}`);
            editor.selection.setRange(new (ace.require("ace/range").Range)(
                line - 1, column, line - 1, column + word.length));
            editor.focus();
        }""",
        [line, word],
    )


def clients_text(page: Page) -> str:
    questions = page.request.get("/api/v1/questionnaire").json()["questions"]
    return next(q["text"] for q in questions if q["id"] == "clients")


def test_an_editor_fixes_a_typo_saves_publishes_and_founders_see_it(
    page, editor_user, console_errors, artifacts_dir
):
    published = PackVersion.objects.get(pack_id="default", status="published").number
    assert clients_text(page) == OLD_TEXT
    sign_in(page)
    expect(page.locator("#nav-editor")).to_be_visible()
    page.goto(f"/editor/default/v{published}/edit?file=questions.yaml")
    expect(page.locator("#check-status")).to_have_text("no errors; every scenario passes")

    select_in_editor(page, TYPO_LINE, "clients")
    page.keyboard.type("clientz")

    problem = page.locator("#problem-list .problem-error").first
    expect(problem).to_contain_text(f"questions.yaml:{TYPO_LINE}:")
    expect(problem).to_contain_text("unknown question 'clientz'; did you mean 'clients'?")
    expect(page.locator("#check-status")).to_have_text("1 error")
    gutter = page.locator(".ace_gutter-cell.ace_error")
    expect(gutter).to_have_text(str(TYPO_LINE))
    annotations = page.evaluate("ace.edit('ace-editor').session.getAnnotations()")
    assert [(a["row"] + 1, a["type"]) for a in annotations] == [(TYPO_LINE, "error")]
    page.screenshot(path=artifacts_dir / "editor-typo.png")

    problem.click()  # jumps to the place
    cursor = page.evaluate("ace.edit('ace-editor').getCursorPosition()")
    assert cursor["row"] + 1 == TYPO_LINE
    select_in_editor(page, TYPO_LINE, "clientz")
    page.keyboard.type("clients")
    select_in_editor(page, 17, OLD_TEXT)
    page.keyboard.type(NEW_TEXT)

    expect(page.locator("#check-status")).to_have_text("no errors; every scenario passes")
    expect(page.locator("#scenario-list .fail")).to_have_count(0)
    count = page.locator("#scenario-count").inner_text()
    passed, total = count.split()[0].split("/")
    assert passed == total and int(total) > 0
    expect(page.locator(".ace_gutter-cell.ace_error")).to_have_count(0)

    page.fill("#save-message", "Clearer wording of the clients question")
    page.click("#save-button")
    expect(page.locator("#save-status")).to_contain_text(f"Saved as draft version {published + 1}")
    page.click("#saved-link")
    page.wait_for_url(f"**/editor/default/v{published + 1}/")
    page.click("#publish-button")
    expect(page.locator("#messages")).to_contain_text(f"Version {published + 1} is published")

    assert clients_text(page) == NEW_TEXT
    page.goto("/assess/clients/")
    expect(page.locator("legend.question-text").first).to_contain_text(NEW_TEXT)
    assert console_errors == []


def test_a_second_editor_saving_from_the_same_base_sees_a_diff_and_keeps_their_text(
    page, editor_user, console_errors
):
    version = PackVersion.objects.get(pack_id="default", status="published")
    sign_in(page)
    page.goto(f"/editor/default/v{version.number}/edit?file=pack.yaml")
    expect(page.locator("#check-status")).to_have_text("no errors; every scenario passes")
    other = dict(version.files)
    other["pack.yaml"] = other["pack.yaml"].replace('version: "1.0.0"', 'version: "1.0.1"', 1)
    response = page.request.post(
        "/api/v1/packs/default/versions",
        data=json.dumps({"base_version": version.number, "message": "theirs", "files": other}),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf(page)},
    )
    assert response.status == 201

    select_in_editor(page, 5, '"1.0.0"')
    page.keyboard.type('"2.0.0"')
    page.fill("#save-message", "mine")
    page.click("#save-button")

    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict-theirs")).to_contain_text('+  version: "1.0.1"')
    expect(page.locator("#conflict-yours")).to_contain_text('+  version: "2.0.0"')
    text = page.evaluate("ace.edit('ace-editor').getValue()")
    assert 'version: "2.0.0"' in text
    page.click("#conflict-save")
    expect(page.locator("#save-status")).to_contain_text(
        f"Saved as draft version {version.number + 2}"
    )
    # Chromium logs every 4xx response; the 409 is the expected refusal, nothing else may fail.
    assert [e for e in console_errors if "409 (Conflict)" not in e] == []


def csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


@pytest.mark.parametrize("path", ["/editor/", "/editor/default/v{n}/", "/editor/default/v{n}/edit"])
def test_the_editor_pages_have_no_serious_accessibility_violations(page, editor_user, path):
    number = PackVersion.objects.get(pack_id="default", status="published").number
    sign_in(page)
    page.goto(path.format(n=number))
    if path.endswith("edit"):
        expect(page.locator("#check-status")).to_have_text("no errors; every scenario passes")

    results = Axe().run(page)

    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert blocking == [], results.generate_report()
