"""POST /api/v1/recommendations: answers in, the recommendation out, nothing stored."""

from __future__ import annotations

import json

import pytest

from advisor.models import Assessment

URL = "/api/v1/recommendations"
DECISION_IDS = {
    "bff",
    "client_api",
    "public_api",
    "service_communication",
    "messaging",
    "event_model",
    "realtime",
    "webhook_intake",
    "webhook_delivery",
    "edge",
    "api_contract",
}
ANSWERS = {
    "project_name": "Acme Invoicing",
    "clients": ["web", "mobile"],
    "backend_teams": 3,
    "architecture_style": "microservices",
}


def recommend(client, answers: dict, query: str = ""):
    return client.post(
        URL + query, json.dumps({"answers": answers}), content_type="application/json"
    )


@pytest.mark.django_db
def test_it_recommends_an_option_for_every_decision(client):
    response = recommend(client, ANSWERS)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    result = response.json()
    assert set(result) == {
        "pack",
        "answers",
        "decisions",
        "practices",
        "unknown",
        "plausibility",
        "warnings",
    }
    assert result["pack"]["id"] == "default"
    assert {d["id"] for d in result["decisions"]} == DECISION_IDS
    for decision in result["decisions"]:
        assert decision["option"] not in {a["option"] for a in decision["alternatives"]}
        assert 0 <= decision["confidence"] <= 1
        for ref in decision["rationale"]:
            assert {"rule", "why", "source"} <= set(ref)
    assert all("id" in practice for practice in result["practices"])


@pytest.mark.django_db
def test_partial_answers_are_fine_and_unknown_lists_the_open_questions(client):
    response = recommend(client, {"clients": ["web"]})

    assert response.status_code == 200
    result = response.json()
    assert {d["id"] for d in result["decisions"]} == DECISION_IDS
    unknown = result["unknown"]
    assert unknown
    asked = {u["question"] for u in unknown}
    assert "clients" not in asked
    assert {"backend_teams", "architecture_style"} <= asked
    for entry in unknown:
        assert set(entry) == {"question", "text", "decisions"}
        assert entry["text"]
        assert set(entry["decisions"]) <= DECISION_IDS


@pytest.mark.django_db
def test_no_answers_at_all_still_recommends(client):
    response = recommend(client, {})

    assert response.status_code == 200
    result = response.json()
    assert result["answers"] == {}
    assert {d["id"] for d in result["decisions"]} == DECISION_IDS


@pytest.mark.django_db
def test_what_if_is_included_by_default(client):
    decisions = recommend(client, ANSWERS).json()["decisions"]

    assert all(isinstance(d["what_if"], list) for d in decisions)
    for flip in (f for d in decisions for f in d["what_if"]):
        assert set(flip) == {
            "question",
            "answer",
            "option",
            "question_text",
            "answer_label",
            "option_title",
            "text",
        }


@pytest.mark.django_db
def test_what_if_false_leaves_the_what_if_keys_out(client):
    without = recommend(client, ANSWERS, "?what_if=false").json()
    with_it = recommend(client, ANSWERS, "?what_if=true").json()

    assert all("what_if" not in d for d in without["decisions"])
    assert all("what_if" in d for d in with_it["decisions"])
    for d in with_it["decisions"]:
        del d["what_if"]
    assert without == with_it


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?what_if=maybe", "?what_if=", "?what_if=yes"])
def test_what_if_must_be_a_boolean(client, query):
    response = recommend(client, ANSWERS, query)

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["what_if"][0].startswith("expected true or false")


@pytest.mark.django_db
def test_nothing_is_stored(client):
    before = Assessment.objects.count()

    for _ in range(3):
        assert recommend(client, ANSWERS).status_code == 200

    assert Assessment.objects.count() == before


@pytest.mark.django_db
def test_same_answers_same_result(client):
    first, second = recommend(client, ANSWERS), recommend(client, ANSWERS)

    assert first.content == second.content


@pytest.mark.django_db
def test_answers_come_back_normalized(client):
    questionnaire = client.get("/api/v1/questionnaire").json()
    order = [
        o["id"] for q in questionnaire["questions"] if q["id"] == "clients" for o in q["options"]
    ]

    result = recommend(
        client,
        {"clients": ["mobile", "web"], "project_name": "  Acme  ", "backend_teams": None},
    ).json()

    assert result["answers"]["clients"] == sorted(["mobile", "web"], key=order.index)
    assert result["answers"]["project_name"] == "Acme"
    assert "backend_teams" not in result["answers"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Acme Ünïcødé 🚀", "<script>alert(1)</script>", "a" * 120])
def test_any_printable_project_name_up_to_the_limit_is_accepted(client, name):
    response = recommend(client, {"project_name": name})

    assert response.status_code == 200
    assert response.json()["answers"]["project_name"] == name


@pytest.mark.django_db
def test_it_is_the_same_json_as_a_stored_assessment_result(client):
    stored = client.post(
        "/api/v1/assessments", {"answers": ANSWERS}, content_type="application/json"
    ).json()

    assert recommend(client, ANSWERS).json() == stored["result"]
