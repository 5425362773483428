"""The result page /a/<id>/ and "Edit answers", through Django's test client."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.urls import reverse

from advisor import services
from advisor.models import Assessment
from advisor.packs import published_pack

pytestmark = pytest.mark.django_db

RICH = {
    "project_name": "Acme <Invoicing>",
    "clients": ["web", "mobile", "third_party"],
    "client_needs_differ": "very",
    "frontend_team_per_client": True,
    "partner_data_needs": "fixed_resources",
    "backend_teams": 4,
    "architecture_style": "microservices",
    "internal_traffic": "high",
    "peak_rps": 3000,
    "traffic_pattern": "spiky",
    "realtime_features": ["chat", "notifications"],
    "concurrent_connections": 20000,
    "async_jobs": True,
    "event_consumers": "several",
    "inbound_webhooks": True,
    "webhook_side_effects": "critical",
    "cloud": "undecided",
}


def page_of(client, answers: dict) -> tuple[Assessment, str]:
    assessment = services.create_assessment(answers=answers)
    response = client.get(reverse("result", args=[assessment.id]))
    assert response.status_code == 200
    return assessment, response.content.decode()


def card(html: str, decision_id: str) -> str:
    start = html.index(f'id="decision-{decision_id}"')
    end = html.find('<section class="decision-panel"', start + 1)
    return html[start : end if end != -1 else html.index('id="practices"')]


def test_each_pack_scenario_renders_every_decision_card(client):
    _, pack = published_pack()
    assert pack.scenarios

    for scenario in pack.scenarios:
        assessment, html = page_of(client, scenario.answers)

        for decision in assessment.result["decisions"]:
            section = card(html, decision["id"])
            assert html_lib.escape(decision["option_title"]) in section, scenario.id
            label = decision["confidence_label"]
            if label == "needs answers":
                assert '<span class="confidence-label">Needs answers (' in section
                for question in decision["needs_answers"]:
                    assert html_lib.escape(question["text"]) in section, scenario.id
            else:
                assert f"{label.capitalize()} confidence" in section
            assert html_lib.escape(decision["statement"]) in section, scenario.id
        assert html.count('class="decision-panel"') == len(pack.decisions)


def test_answers_that_rarely_go_together_are_named_above_the_advice(client):
    _, pack = published_pack()
    scenario = next(s for s in pack.scenarios if s.id == "forty-teams-on-one-monolith")

    assessment, html = page_of(client, scenario.answers)

    flagged = assessment.result["plausibility"]
    assert len(flagged) >= 2
    section = html[html.index('id="check-answers"') : html.index('id="glance"')]
    assert "Answers worth a second look" in section
    for warning in flagged:
        assert html_lib.escape(warning["message"]) in section


def test_a_plausible_profile_has_no_second_look_section(client):
    _, html = page_of(client, RICH)

    assert 'id="check-answers"' not in html


def test_with_nothing_answered_every_card_says_what_it_waits_for(client):
    assessment, html = page_of(client, {})

    waiting = [d for d in assessment.result["decisions"] if d["needs_answers"]]
    assert len(waiting) >= len(assessment.result["decisions"]) - 1
    for decision in assessment.result["decisions"]:
        section = card(html, decision["id"])
        assert "High confidence" not in section, decision["id"]
        assert ("Needs answers (" in section) == (decision in waiting), decision["id"]
        assert (f'id="needs-answers-{decision["id"]}"' in section) == (decision in waiting)


def test_a_card_says_why_with_sources_trade_offs_alternatives_and_what_if(client):
    assessment, html = page_of(client, RICH)
    bff = next(d for d in assessment.result["decisions"] if d["id"] == "bff")

    section = card(html, "bff")
    assert bff["option"] == "bff_per_client"
    assert "One Backend-for-Frontend per client experience" in section
    assert "<h4>Why</h4>" in section
    reason = bff["rationale"][0]
    assert html_lib.escape(reason["title"]) in section
    assert '<a href="/sources/#faq-bff">' in section  # resolves on the public sources page
    assert 'id="source-faq-bff"' in html  # the cited guide section is listed here too
    assert "Because you answered:" in section
    for line in bff["consequences"]["good"] + bff["consequences"]["bad"]:
        assert html_lib.escape(line) in section
    for alternative in bff["alternatives"]:
        assert html_lib.escape(alternative["title"]) in section
    assert "Why not" in section


def test_what_if_is_in_words_with_labels_not_ids(client):
    assessment, html = page_of(client, RICH)
    bff = next(d for d in assessment.result["decisions"] if d["id"] == "bff")
    assert bff["what_if"], "the rich answers leave something that would flip the BFF"

    section = card(html, "bff")
    what_if = section[section.index("What would change this") :]
    what_if = what_if[: what_if.index("</ul>")]
    assert (
        "If your answer to “Does each client app have its own team?” were <strong>no</strong>"
        in what_if
    )
    assert "frontend_team_per_client" not in what_if
    assert "single_gateway" not in what_if


def test_undecided_cloud_shows_managed_and_self_hosted_side_by_side(client):
    _, html = page_of(client, RICH)

    section = card(html, "bff")
    assert '<p class="product-kind">Managed</p>' in section
    assert '<p class="product-kind">Self-hosted</p>' in section
    assert "Google Cloud Run" in section


def test_a_chosen_cloud_shows_its_own_products(client):
    _, html = page_of(client, {**RICH, "cloud": "aws"})

    section = card(html, "bff")
    assert "AWS Lambda" in section
    assert "Managed" not in section
    assert "Google Cloud Run" not in section


def test_practices_are_a_checklist_grouped_by_area_with_why_and_source(client):
    assessment, html = page_of(client, RICH)

    practices = html[html.index('id="practices"') :]
    for practice in assessment.result["practices"]:
        assert f'id="practice-{practice["id"]}"' in practices
        assert html_lib.escape(practice["why"]) in practices
    assert 'id="practices-integrations"' in practices  # webhook practices come from that step
    assert practices.index('id="practice-verify-webhook-signature"') > practices.index(
        'id="practices-integrations"'
    )


def test_the_header_names_project_date_and_pack_version(client):
    assessment, html = page_of(client, RICH)

    assert "Acme &lt;Invoicing&gt;" in html
    assert "<Invoicing>" not in html
    version = assessment.pack_version
    assert f"{version.pack_version} (revision {version.number})" in html
    assert assessment.created.strftime("%Y") in html


def test_it_reads_well_when_shared(client):
    assessment, html = page_of(client, RICH)

    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Acme &lt;Invoicing&gt;: recommended architecture")
    assert '<meta property="og:title" content="Acme &lt;Invoicing&gt;: recommended' in html
    description = re.search(r'<meta property="og:description" content="([^"]+)"', html).group(1)
    assert "Backend-for-Frontend: One Backend-for-Frontend per client experience" in description
    assert f'<meta property="og:url" content="http://testserver/a/{assessment.id}/">' in html


def test_it_links_the_exports_and_edit_answers(client):
    assessment, html = page_of(client, RICH)

    records = reverse("api-assessment-records", args=[assessment.id])
    exports = {
        "export-madr": f"{records}?format=madr",
        "export-nygard": f"{records}?format=nygard",
        "export-report": reverse("api-assessment-report", args=[assessment.id]),
        "export-json": reverse("api-assessment-result", args=[assessment.id]),
    }
    for element_id, url in exports.items():
        assert f'id="{element_id}" href="{url}"' in html
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename=")
    assert f'action="{reverse("result-edit", args=[assessment.id])}"' in html


def test_the_diagram_is_inline_svg_with_downloads(client):
    assessment, html = page_of(client, RICH)

    diagram = html[html.index('id="diagram"') : html.index('id="decisions"')]
    assert "<svg" in diagram
    assert "<script" not in diagram
    assert "<img" not in html
    for fmt in ("svg", "png", "dot", "mmd"):
        url = reverse(f"api-assessment-diagram-{fmt}", args=[assessment.id])
        assert f'href="{url}"' in diagram
    assert (
        client.get(reverse("api-assessment-diagram-dot", args=[assessment.id])).status_code == 200
    )


def test_without_graphviz_one_line_says_so_and_the_rest_shows(client, monkeypatch):
    from advisor.exports import diagrams

    missing = diagrams.Rendered("svg", message="Graphviz (the `dot` program) is not installed here")
    monkeypatch.setattr(diagrams, "inline_svg", lambda *args, **kwargs: missing)

    assessment, html = page_of(client, RICH)

    diagram = html[html.index('id="diagram"') : html.index('id="decisions"')]
    assert 'id="diagram-missing"' in diagram
    assert "is not installed here" in diagram
    assert "<svg" not in diagram
    assert "<img" not in html
    assert "diagram.svg" not in diagram  # no link to a file that cannot be made
    assert "diagram.dot" in diagram
    for decision in assessment.result["decisions"]:
        assert f'id="decision-{decision["id"]}"' in html


def test_unanswered_questions_say_which_decisions_they_would_sharpen(client):
    _, html = page_of(client, {"clients": ["web"]})

    unanswered = html[html.index('id="unanswered"') :]
    assert "How is the backend structured (today or as planned)?" in unanswered
    assert "Backend-for-Frontend" in unanswered


@pytest.mark.parametrize("assessment_id", ["x" * 22, "short", "a" * 21 + "\x00"])
def test_an_unknown_or_malformed_id_is_a_404_page(client, assessment_id):
    response = client.get(f"/a/{assessment_id}/")

    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


def test_edit_answers_refills_the_questionnaire_and_makes_a_new_assessment(client):
    old = services.create_assessment(answers=RICH)
    old_result = old.result

    response = client.post(reverse("result-edit", args=[old.id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assess-step", args=["clients"])
    clients = client.get(response["Location"]).content.decode()
    assert 'value="Acme &lt;Invoicing&gt;"' in clients
    assert re.search(r'value="third_party"[^>]*checked', clients)

    client.post(
        reverse("assess-step", args=["clients"]),
        {
            "clients": ["web"],
            "project_name": "Acme <Invoicing>",
            "__shown": "client_needs_differ,frontend_team_per_client,partner_data_needs",
            "go": "finish",
        },
    )

    new = Assessment.objects.exclude(id=old.id).get()
    assert new.parent_id == old.id
    assert new.origin == Assessment.Origin.EDITED
    assert new.answers["clients"] == ["web"]
    assert new.answers["cloud"] == "undecided"  # the other answers came along
    old.refresh_from_db()
    assert old.result == old_result  # the old permalink keeps its result
    new_page = client.get(reverse("result", args=[new.id])).content.decode()
    assert f'href="{reverse("result", args=[old.id])}"' in new_page


def test_edit_answers_needs_a_post_and_a_real_assessment(client):
    old = services.create_assessment(answers=RICH)

    assert client.get(reverse("result-edit", args=[old.id])).status_code == 405
    assert client.post(reverse("result-edit", args=["y" * 22])).status_code == 404


def test_the_result_page_carries_no_inline_script_or_style(client):
    _, html = page_of(client, RICH)

    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html
