"""GET /api/v1/compare and POST /api/v1/assessments/{id}/rerun: comparisons as JSON."""

from __future__ import annotations

import pytest

from advisor.models import Assessment
from tests.api.test_errors import error_of
from tests.conftest import ONE_WEB_APP

pytestmark = pytest.mark.django_db

SEVERAL_APPS = {
    "clients": ["web", "mobile"],
    "client_needs_differ": "very",
    "frontend_team_per_client": True,
    "backend_teams": 1,
    "architecture_style": "monolith",
}


def create(client, answers: dict) -> str:
    response = client.post("/api/v1/assessments", {"answers": answers}, "application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def compare(client, a: str, b: str):
    return client.get("/api/v1/compare", {"a": a, "b": b})


def test_decisions_that_differ_come_first_with_the_rules_behind_them(client):
    a, b = create(client, ONE_WEB_APP), create(client, SEVERAL_APPS)

    data = compare(client, a, b).json()

    assert data["identical"] is False
    assert data["a"]["id"] == a and data["b"]["id"] == b
    differing = [d for d in data["decisions"] if d["differs"]]
    assert data["differing_decisions"] == len(differing) > 0
    assert data["decisions"][: len(differing)] == differing
    bff = next(d for d in differing if d["id"] == "bff")
    assert (bff["a"]["option"], bff["b"]["option"]) == ("none", "bff_per_client")
    rules_b = {r["rule"] for r in bff["rules"] if r["side"] == "b"}
    assert "bff-per-client-when-teams-own-differing-apps" in rules_b
    assert {r["question"] for r in data["answers"]} == {
        "clients",
        "client_needs_differ",
        "frontend_team_per_client",
    }
    assert data["links"]["html"].endswith(f"/compare/?a={a}&b={b}")


def test_an_assessment_compared_with_itself_is_identical(client):
    a = create(client, ONE_WEB_APP)

    data = compare(client, a, a).json()

    assert data["identical"] is True
    assert data["differing_decisions"] == 0
    assert data["answers"] == []
    assert not any(d["differs"] or d["rules"] for d in data["decisions"])


def test_missing_ids_are_a_400_naming_each(client):
    error = error_of(client.get("/api/v1/compare"), 400)

    assert set(error["fields"]) == {"a", "b"}


@pytest.mark.parametrize("other", ["AAAAAAAAAAAAAAAAAAAAAA", "short", "a%00b", "x" * 300])
def test_an_unknown_id_is_a_404_in_the_error_shape(client, other):
    a = create(client, ONE_WEB_APP)

    error = error_of(compare(client, a, other), 404)

    assert "assessment b" in error["message"]


def test_a_rerun_on_the_same_pack_is_stored_linked_and_identical(client):
    a = create(client, ONE_WEB_APP)

    response = client.post(f"/api/v1/assessments/{a}/rerun")

    assert response.status_code == 201
    data = response.json()
    new = Assessment.objects.get(id=data["assessment"]["id"])
    assert response["Location"].endswith(f"/api/v1/assessments/{new.id}")
    assert (new.parent_id, new.origin) == (a, Assessment.Origin.RERUN)
    assert data["comparison"]["differing_decisions"] == 0


def test_a_rerun_after_a_new_pack_version_shows_what_changed(client, publish_changed_pack):
    a = create(client, ONE_WEB_APP)
    old = client.get(f"/api/v1/assessments/{a}").json()
    version = publish_changed_pack()

    data = client.post(f"/api/v1/assessments/{a}/rerun").json()

    assert data["assessment"]["pack"]["revision"] == version.number
    comparison = data["comparison"]
    assert comparison["differing_decisions"] == 1
    bff = comparison["decisions"][0]
    assert (bff["id"], bff["a"]["option"], bff["b"]["option"]) == ("bff", "none", "single_gateway")
    assert {r["rule"] for r in bff["rules"]} == {"direct-calls-for-one-app-on-one-deployable"}
    # The original permalink still gives the original result with its pack version.
    assert client.get(f"/api/v1/assessments/{a}").json() == old


def test_rerunning_an_unknown_assessment_is_a_404(client):
    error_of(client.post("/api/v1/assessments/AAAAAAAAAAAAAAAAAAAAAA/rerun"), 404)


def test_rerun_only_accepts_post(client):
    a = create(client, ONE_WEB_APP)

    error_of(client.get(f"/api/v1/assessments/{a}/rerun"), 405)
