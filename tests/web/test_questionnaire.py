"""The questionnaire /assess/: steps, answers kept in the draft, validation at the field,
conditional questions, htmx partials and the live preview, through Django's test client."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from advisor.models import Assessment
from advisor.packs import published_pack
from advisor.presenting import confidence_words

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def steps() -> list[str]:
    return [s.id for s in published_pack()[1].steps]


def step_url(step_id: str) -> str:
    return reverse("assess-step", args=[step_id])


def preview_url(step_id: str) -> str:
    return reverse("assess-preview", args=[step_id])


def post_step(client, step_id: str, data: dict, *, go: str = "", **headers):
    return client.post(step_url(step_id), {**data, "go": go}, **headers)


def slot(html: str, question_id: str) -> str:
    """The markup of one question's slot (up to the next slot or the end of the list)."""
    start = html.index(f'id="q-{question_id}"')
    end = html.find('class="question-slot"', start + 1)
    return html[start : end if end != -1 else len(html)]


def test_it_starts_at_the_first_step(client):
    response = client.get(reverse("assess"))

    assert response.status_code == 302
    assert response["Location"] == step_url("clients")


def test_each_step_renders_its_questions_progress_and_step_list(client):
    _, pack = published_pack()
    for number, step in enumerate(pack.steps, start=1):
        response = client.get(step_url(step.id))

        assert response.status_code == 200
        html = response.content.decode()
        assert f"Step {number} of {len(pack.steps)}" in html
        assert f'<h1 id="step-title" tabindex="-1">{step.title}</h1>' in html
        assert 'id="step-list"' in html
        assert html.count('aria-current="step"') == 1
        assert 'id="preview"' in html
        for question in pack.questions:
            if question.step == step.id and question.show_if is None:
                assert f'id="q-{question.id}"' in html
                assert question.text in html
        assert "<html" in html


def test_an_unknown_step_is_a_404(client):
    assert client.get(step_url("no-such-step")).status_code == 404
    assert client.post(preview_url("no-such-step"), **HTMX).status_code == 404


def test_every_control_offers_not_sure_and_is_labelled(client):
    html = client.get(step_url("clients")).content.decode()

    # A single-choice question: its options plus "Not sure", checked while unanswered.
    needs = client.get(step_url("services_teams")).content.decode()
    style = slot(needs, "architecture_style")
    assert "<legend" in style
    assert re.search(r'value=""[^>]*checked', style)
    assert "Not sure" in style
    # Yes/no questions are a radio group with "Not sure" too.
    typescript = slot(html, "typescript_fullstack")
    assert typescript.count('type="radio"') == 3
    # Text: a labelled input with the pack's max length; help text is expandable.
    name = slot(html, "project_name")
    assert '<label class="question-text" for="id_project_name">' in name
    assert 'maxlength="120"' in name
    assert "<details" in name
    # Multi: checkboxes with their options' help.
    clients = slot(html, "clients")
    assert clients.count('type="checkbox"') == 6
    assert "Apps installed from the App Store or Google Play." in clients


def test_next_and_back_keep_every_answer_in_the_draft(client):
    response = post_step(
        client, "clients", {"clients": ["web"], "project_name": "Acme"}, go="traffic"
    )
    assert response.status_code == 302
    assert response["Location"] == step_url("traffic")

    post_step(client, "traffic", {"peak_rps": "5,000", "traffic_pattern": "spiky"}, go="clients")

    back = client.get(step_url("clients")).content.decode()
    assert re.search(r'value="web"[^>]*checked', slot(back, "clients"))
    assert 'value="Acme"' in back
    traffic = client.get(step_url("traffic")).content.decode()
    assert 'value="5000"' in traffic
    assert re.search(r'value="spiky"[^>]*checked', traffic)
    assert "2 of 6" in traffic  # the step list counts the answered questions


def test_not_sure_removes_an_earlier_answer(client):
    post_step(client, "traffic", {"traffic_pattern": "spiky"}, go="traffic")
    post_step(client, "traffic", {"traffic_pattern": ""}, go="traffic")

    traffic = client.get(step_url("traffic")).content.decode()
    assert not re.search(r'value="spiky"[^>]*checked', traffic)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("backend_teams", "501", "501 is above the maximum of 500"),
        ("backend_teams", "0", "0 is below the minimum of 1"),
        ("backend_teams", "many", "Enter a whole number."),
    ],
)
def test_validation_errors_show_at_the_field_and_keep_the_step(client, field, value, message):
    response = post_step(client, "services_teams", {field: value}, go="traffic")

    assert response.status_code == 200
    html = response.content.decode()
    question = slot(html, field)
    assert message in question
    assert f'id="errors-{field}"' in question
    assert 'aria-invalid="true"' in question
    assert 'id="error-summary"' in html
    assert f'value="{value}"' in question  # what was typed is still there


def test_the_engine_judges_text_like_the_api(client):
    response = post_step(client, "clients", {"project_name": "a\x01b"}, go="services_teams")

    api = client.post(
        reverse("api-recommendations"),
        {"answers": {"project_name": "a\x01b"}},
        content_type="application/json",
    ).json()
    api_message = api["error"]["fields"]["answers.project_name"][0]
    assert api_message in slot(response.content.decode(), "project_name")


def test_a_good_answer_is_kept_when_another_on_the_step_is_wrong(client):
    post_step(client, "services_teams", {"backend_teams": "900", "polyglot": "yes"}, go="traffic")

    html = client.get(step_url("services_teams")).content.decode()
    assert re.search(r'value="yes"[^>]*checked', slot(html, "polyglot"))
    assert 'value="900"' not in html


def test_conditional_questions_come_and_go_with_the_answers(client):
    one_client = post_step(client, "clients", {"clients": ["web"]}, go="clients")
    assert one_client.status_code == 302
    html = client.get(step_url("clients")).content.decode()
    assert "<fieldset" not in slot(html, "client_needs_differ")
    assert "How different are the screens" not in html

    two = post_step(client, "clients", {"clients": ["web", "mobile"], "__shown": ""}, go="traffic")

    # Without JavaScript: the step is shown again with the questions that appeared.
    assert two.status_code == 200
    html = two.content.decode()
    assert 'id="new-questions"' in html
    assert "<fieldset" in slot(html, "client_needs_differ")
    assert "<fieldset" in slot(html, "frontend_team_per_client")
    shown = "client_needs_differ,frontend_team_per_client"
    assert f'value="{shown}"' in html

    onward = post_step(
        client, "clients", {"clients": ["web", "mobile"], "__shown": shown}, go="traffic"
    )
    assert onward.status_code == 302


def test_a_hidden_question_is_not_used(client):
    post_step(client, "clients", {"clients": ["web"], "client_needs_differ": "very"}, go="clients")
    response = post_step(client, "operations", {}, go="finish")

    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("result", args=[assessment.id])
    assert assessment.answers == {"clients": ["web"]}
    assert not any("ignored" in w for w in assessment.result["warnings"])


def test_htmx_gets_the_step_partial_and_others_the_whole_page(client):
    partial = client.get(step_url("traffic"), **HTMX)
    whole = client.get(step_url("traffic"))

    assert partial.status_code == whole.status_code == 200
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="assess"')
    assert "<html" not in html
    assert 'id="step-title"' in html
    assert "<title>Step 3 of 7: Traffic" in html
    assert "<html" in whole.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_htmx_navigation_follows_the_redirect_to_the_next_step(client):
    response = post_step(client, "traffic", {"peak_rps": "100"}, go="realtime", **HTMX)

    assert response.status_code == 302
    assert response["Location"] == step_url("realtime")


def test_htmx_errors_come_back_as_the_partial(client):
    response = post_step(client, "traffic", {"peak_rps": "-5"}, go="realtime", **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "-5 is below the minimum of 0" in html


def test_the_preview_is_a_partial_with_decisions_and_what_they_wait_for(client):
    response = client.post(preview_url("clients"), {"clients": ["web"]}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="preview-body"')
    assert "<html" not in html
    _, pack = published_pack()
    for decision in pack.decisions:
        assert f'id="preview-{decision.id}"' in html
    assert "confidence" in html
    assert "How is the backend structured (today or as planned)?" in html  # what bff waits for
    assert 'id="preview-status" hx-swap-oob="innerHTML"' in html


def test_the_preview_changes_with_the_answers_and_saves_the_draft(client):
    web = client.post(preview_url("clients"), {"clients": ["web"]}, **HTMX).content.decode()
    both = client.post(
        preview_url("clients"),
        {"clients": ["web", "mobile"], "client_needs_differ": "very"},
        **HTMX,
    ).content.decode()

    assert web != both
    assert "Does each client app have its own team?" in both  # bff now waits for it
    page = client.get(step_url("clients")).content.decode()
    assert re.search(r'value="mobile"[^>]*checked', slot(page, "clients"))


def test_the_preview_swaps_in_and_out_the_questions_whose_visibility_changed(client):
    appear = client.post(
        preview_url("clients"), {"clients": ["web", "mobile"], "__shown": ""}, **HTMX
    ).content.decode()
    assert '<div class="question-slot" id="q-client_needs_differ" hx-swap-oob="true">' in appear
    assert "How different are the screens" in appear
    assert 'id="shown-questions" value="client_needs_differ,frontend_team_per_client"' in appear

    shown = "client_needs_differ,frontend_team_per_client"
    steady = client.post(
        preview_url("clients"), {"clients": ["web", "mobile"], "__shown": shown}, **HTMX
    ).content.decode()
    assert 'id="q-client_needs_differ"' not in steady  # unchanged: the field keeps focus

    gone = client.post(
        preview_url("clients"), {"clients": ["web"], "__shown": shown}, **HTMX
    ).content.decode()
    hidden_slot = '<div class="question-slot" id="q-client_needs_differ" hx-swap-oob="true">'
    assert hidden_slot in gone
    assert "How different are the screens" not in gone


def test_the_preview_ignores_answers_that_do_not_fit(client):
    response = client.post(
        preview_url("services_teams"), {"backend_teams": "9999", "polyglot": "yes"}, **HTMX
    )

    assert response.status_code == 200
    assert "9999" not in response.content.decode()


def test_the_preview_without_htmx_goes_back_to_the_step(client):
    response = client.post(preview_url("traffic"), {"peak_rps": "10"})

    assert response.status_code == 302
    assert response["Location"] == step_url("traffic")


def test_finishing_stores_an_assessment_and_redirects_to_its_permalink(client):
    post_step(client, "clients", {"clients": ["web", "mobile"], "__shown": ""}, go="clients")
    post_step(
        client,
        "clients",
        {
            "clients": ["web", "mobile"],
            "client_needs_differ": "very",
            "frontend_team_per_client": "yes",
            "__shown": "client_needs_differ,frontend_team_per_client",
        },
        go="services_teams",
    )
    response = post_step(client, "operations", {"cloud": "aws"}, go="finish")

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/a/{assessment.id}/"
    assert assessment.origin == Assessment.Origin.ANSWERED
    assert assessment.parent is None
    assert assessment.answers == {
        "clients": ["web", "mobile"],
        "client_needs_differ": "very",
        "frontend_team_per_client": True,
        "cloud": "aws",
    }
    assert assessment.result["answers"] == assessment.answers
    # The draft is gone: the next questionnaire starts empty.
    fresh = client.get(step_url("clients")).content.decode()
    assert not re.search(r'value="web"[^>]*checked', fresh)


def test_finishing_through_htmx_redirects_the_browser(client):
    response = post_step(client, "operations", {"cloud": "gcp"}, go="finish", **HTMX)

    assessment = Assessment.objects.get()
    assert response["HX-Redirect"] == f"/a/{assessment.id}/"


def test_the_whole_flow_works_without_javascript(client):
    """From the home page's start link to the permalink, following only links and forms."""
    home = client.get("/").content.decode()
    start = re.search(r'id="start-link" class="button" href="([^"]+)"', home).group(1)
    response = client.get(start, follow=True)
    answers = {
        "clients": {"clients": ["web"], "project_name": "Plain HTML"},
        "services_teams": {"backend_teams": "1", "architecture_style": "monolith"},
        "traffic": {"peak_rps": "50"},
        "realtime": {"realtime_features": ["notifications"]},
        "events": {"async_jobs": "yes"},
        "integrations": {"inbound_webhooks": "no"},
        "operations": {"cloud": "undecided"},
    }
    for _ in range(len(answers) + 3):
        html = response.content.decode()
        if "/a/" in response.request["PATH_INFO"]:
            break
        step_id = response.request["PATH_INFO"].split("/")[2]
        shown = re.search(r'name="__shown" id="shown-questions" value="([^"]*)"', html).group(1)
        go = re.search(r'id="(?:next|finish)-button"', html).group(0)
        target = re.search(rf'value="([^"]+)" class="button" {go}', html).group(1)
        data = {**answers[step_id], "__shown": shown, "go": target}
        response = client.post(step_url(step_id), data, follow=True)

    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith("/a/")
    html = response.content.decode()
    assert "Plain HTML" in html
    for decision in published_pack()[1].decisions:
        assert f'id="decision-{decision.id}"' in html


def test_pages_carry_no_inline_script_or_style(client):
    for url in (step_url("clients"), step_url("operations")):
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "style=" not in html
        assert "<style" not in html
        assert "/static/js/web.js" in html


def test_the_preview_shows_what_the_summary_view_says(client):
    """The preview is the compact view (`?view=summary`) in words: each decision's option
    title and its confidence, "Needs answers" while an open question could change it."""
    answers = {"clients": ["web", "mobile"]}
    html = client.post(preview_url("clients"), answers, **HTMX).content.decode()
    summary = client.post(
        "/api/v1/recommendations?view=summary",
        json.dumps({"answers": answers}),
        content_type="application/json",
    ).json()

    labels = {d["confidence_label"] for d in summary["decisions"]}
    assert "needs answers" in labels  # two answers leave most decisions open
    for decision in summary["decisions"]:
        item = re.search(rf'id="preview-{decision["id"]}".*?</li>', html, re.DOTALL)
        assert item is not None
        assert escape(decision["option_title"]) in item.group(0)
        words = confidence_words(decision["confidence_label"])
        assert words["confidence_words"] in item.group(0)
        assert f"confidence-{words['confidence_class']}" in item.group(0)
