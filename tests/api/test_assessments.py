"""POST /api/v1/assessments and GET /api/v1/assessments/{id}: stored under unguessable ids."""

from __future__ import annotations

import re

import pytest

from advisor.models import Assessment, PackVersion, RulePack
from advisor.packs import clear_caches

URL = "/api/v1/assessments"
ANSWERS = {"clients": ["web", "mobile"], "backend_teams": 2, "architecture_style": "monolith"}
URL_SAFE_22 = re.compile(r"^[A-Za-z0-9_-]{22}$")


def create(client, answers: dict = ANSWERS):
    return client.post(URL, {"answers": answers}, content_type="application/json")


@pytest.mark.django_db
def test_it_stores_answers_and_result_and_answers_201(client):
    response = create(client)

    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"id", "created", "pack", "answers", "result", "links"}
    assert data["answers"] == ANSWERS
    assert data["result"]["answers"] == ANSWERS
    published = RulePack.objects.get(id="default").published
    assert data["pack"] == {
        "id": "default",
        "version": published.pack_version,
        "revision": published.number,
    }
    assert data["created"].endswith("Z")
    stored = Assessment.objects.get(id=data["id"])
    assert stored.pack_version == published
    assert stored.result == data["result"]


@pytest.mark.django_db
def test_ids_are_22_url_safe_characters_and_not_sequential(client):
    first, second = create(client).json()["id"], create(client).json()["id"]

    assert URL_SAFE_22.match(first)
    assert URL_SAFE_22.match(second)
    assert first != second
    for assessment_id in (first, second):
        with pytest.raises(ValueError):
            int(assessment_id)


@pytest.mark.django_db
def test_location_names_the_permalink_which_returns_the_same_json(client):
    created = create(client)
    location = created["Location"]
    data = created.json()

    assert location == f"http://testserver/api/v1/assessments/{data['id']}"
    assert data["links"] == {"self": location}

    again = client.get(location)
    assert again.status_code == 200
    assert again.json() == data


@pytest.mark.django_db
def test_the_stored_result_includes_what_if(client):
    decisions = create(client).json()["result"]["decisions"]

    assert all("what_if" in d for d in decisions)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "assessment_id", ["AAAAAAAAAAAAAAAAAAAAAA", "1", "x" * 300, "..%2F", "a%00b", "%ED%A0%80"]
)
def test_an_unknown_id_is_a_404_in_the_error_shape(client, assessment_id):
    response = client.get(f"{URL}/{assessment_id}")

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("assessment_id", ["a%00b", "A" * 21, "A" * 23, "AAAAAAAAAAAAAAAAAAAAA="])
def test_a_malformed_id_is_a_404_without_a_query(client, django_assert_num_queries, assessment_id):
    # PostgreSQL refuses a NUL in a query parameter: such ids must never reach it.
    with django_assert_num_queries(0):
        response = client.get(f"{URL}/{assessment_id}")

    assert response.status_code == 404


@pytest.mark.django_db
def test_invalid_answers_store_nothing(client):
    before = Assessment.objects.count()

    response = create(client, {"clients": ["nope"]})

    assert response.status_code == 400
    assert "answers.clients[0]" in response.json()["error"]["fields"]
    assert Assessment.objects.count() == before


@pytest.mark.django_db
def test_an_assessment_keeps_the_pack_version_it_was_made_with(client):
    data = create(client).json()
    PackVersion.objects.filter(pack_id="default").update(status=PackVersion.Status.RETIRED)
    clear_caches()

    # Even with no published pack, the stored assessment is served as it was.
    response = client.get(f"{URL}/{data['id']}")

    assert response.status_code == 200
    assert response.json() == data
    assert create(client).status_code == 503
