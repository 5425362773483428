"""GET /api/v1/packs, /api/v1/packs/{id}/versions and /api/v1/pack-schema.json."""

from __future__ import annotations

from datetime import datetime

import pytest
from jsonschema import Draft202012Validator

from advisor.models import RulePack


@pytest.mark.django_db
def test_it_lists_the_packs_with_their_published_version(client):
    response = client.get("/api/v1/packs")

    assert response.status_code == 200
    packs = response.json()
    default = RulePack.objects.get(id="default")
    assert {
        "id": "default",
        "name": default.name,
        "description": default.description,
        "published_version": default.versions.get(status="published").number,
    } in packs
    assert all(set(p) == {"id", "name", "description", "published_version"} for p in packs)


@pytest.mark.django_db
def test_it_lists_the_versions_of_the_default_pack(client):
    response = client.get("/api/v1/packs/default/versions")

    assert response.status_code == 200
    versions = response.json()
    assert versions
    assert [v["number"] for v in versions] == sorted(v["number"] for v in versions)
    published = [v for v in versions if v["status"] == "published"]
    assert len(published) == 1
    questionnaire = client.get("/api/v1/questionnaire").json()
    assert published[0]["number"] == questionnaire["pack"]["revision"]
    assert published[0]["pack_version"] == questionnaire["pack"]["version"]
    first = versions[0]
    assert set(first) == {
        "number",
        "created",
        "author",
        "message",
        "status",
        "pack_version",
        "parent",
    }
    assert first["parent"] is None
    assert first["created"].endswith("Z")
    datetime.fromisoformat(first["created"])


@pytest.mark.django_db
@pytest.mark.parametrize("pack_id", ["nope", "Default", "bad%20pack", "x" * 200])
def test_an_unknown_pack_is_a_404_in_the_error_shape(client, pack_id):
    response = client.get(f"/api/v1/packs/{pack_id}/versions")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_the_pack_schema_is_a_draft_2020_12_json_schema(client):
    response = client.get("/api/v1/pack-schema.json")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    schema = response.json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
