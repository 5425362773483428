"""?view=summary: each decision's choice without its explanation, for previews."""

from __future__ import annotations

import json

import pytest

from advisor.engine.result import summarize

ANSWERS = {"clients": ["web", "mobile"], "backend_teams": 3, "architecture_style": "monolith"}


def recommend(client, query: str = ""):
    body = json.dumps({"answers": ANSWERS})
    return client.post(f"/api/v1/recommendations{query}", body, content_type="application/json")


@pytest.mark.django_db
def test_the_summary_is_the_full_result_without_explanations(client):
    full = recommend(client).json()
    response = recommend(client, "?view=summary")
    assert response.status_code == 200
    summary = response.json()
    assert summary == summarize(full)
    assert set(summary["decisions"][0]) == {
        "id",
        "option",
        "option_title",
        "status",
        "confidence",
        "confidence_label",
    }
    assert len(response.content) < len(recommend(client, "?what_if=false").content) / 3


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?view=full", ""])
def test_the_full_view_is_the_default(client, query):
    assert "practices" in recommend(client, query).json()


@pytest.mark.django_db
def test_what_if_does_not_change_a_summary(client):
    assert recommend(client, "?view=summary&what_if=true").json() == (
        recommend(client, "?view=summary&what_if=false").json()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?view=short", "?view=", "?view=SUMMARY"])
def test_an_unknown_view_is_a_400_naming_it(client, query):
    response = recommend(client, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["view"][0].startswith("expected full or summary")


@pytest.mark.django_db
def test_invalid_answers_are_the_same_400_in_the_summary_view(client):
    body = json.dumps({"answers": {"clients": ["fax"]}})
    response = client.post(
        "/api/v1/recommendations?view=summary", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["answers.clients[0]"]


@pytest.mark.django_db
def test_a_stored_assessment_reads_in_the_summary_view(client):
    created = client.post(
        "/api/v1/assessments", {"answers": ANSWERS}, content_type="application/json"
    ).json()
    url = f"/api/v1/assessments/{created['id']}"
    summary = client.get(f"{url}?view=summary").json()
    assert summary["result"] == summarize(created["result"])
    assert {k: v for k, v in summary.items() if k != "result"} == {
        k: v for k, v in created.items() if k != "result"
    }
    assert client.get(f"{url}?view=full").json() == created
    assert client.get(f"{url}?view=tiny").status_code == 400


@pytest.mark.django_db
def test_the_document_offers_both_views(client):
    document = client.get("/api/schema?format=json").json()
    schemas = document["components"]["schemas"]
    for path, method, either in [
        ("/api/v1/recommendations", "post", "RecommendationOrSummary"),
        ("/api/v1/assessments/{assessment_id}", "get", "AssessmentOrSummary"),
    ]:
        operation = document["paths"][path][method]
        view = next(p for p in operation["parameters"] if p["name"] == "view")
        assert view["schema"]["enum"] == ["full", "summary"]
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{either}"}
        assert len(schemas[either]["oneOf"]) == 2
