"""GET /api/v1/questionnaire: the published pack's steps and questions, cacheable by ETag."""

from __future__ import annotations

import pytest

from advisor.models import PackVersion, RulePack
from advisor.packs import clear_caches

URL = "/api/v1/questionnaire"
QUESTION_KEYS = {
    "id",
    "type",
    "text",
    "help",
    "step",
    "required",
    "options",
    "min",
    "max",
    "max_length",
    "show_if",
}


@pytest.fixture
def questionnaire(client, db) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    return response.json()


def by_id(questionnaire: dict) -> dict[str, dict]:
    return {q["id"]: q for q in questionnaire["questions"]}


def test_it_names_the_published_pack(questionnaire):
    published = RulePack.objects.get(id="default").published

    assert set(questionnaire) == {"pack", "steps", "questions"}
    assert questionnaire["pack"] == {
        "id": "default",
        "name": published.pack.name,
        "version": published.pack_version,
        "revision": published.number,
    }


def test_it_lists_steps_and_questions_in_their_shape(questionnaire):
    steps = questionnaire["steps"]
    assert steps
    assert all(set(step) == {"id", "title", "intro"} for step in steps)
    step_ids = [step["id"] for step in steps]
    assert len(step_ids) == len(set(step_ids))

    questions = questionnaire["questions"]
    assert all(set(q) == QUESTION_KEYS for q in questions)
    assert all(q["step"] in step_ids for q in questions)
    assert all(q["type"] in {"single", "multi", "boolean", "integer", "text"} for q in questions)
    for q in questions:
        if q["type"] in {"single", "multi"}:
            assert q["options"]
            assert all(set(o) == {"id", "label", "help", "exclusive"} for o in q["options"])
        else:
            assert q["options"] == []


def test_show_if_is_null_or_a_condition_with_words(questionnaire):
    conditions = [q["show_if"] for q in questionnaire["questions"] if q["show_if"] is not None]

    assert conditions, "some questions are asked only after certain answers"
    for show_if in conditions:
        assert set(show_if) == {"condition", "text"}
        assert isinstance(show_if["condition"], dict)
        assert show_if["text"].startswith("asked when ")


def test_it_describes_the_domain_questions(questionnaire):
    questions = by_id(questionnaire)

    assert questions["project_name"]["type"] == "text"
    assert questions["project_name"]["max_length"] == 120
    assert questions["backend_teams"]["type"] == "integer"
    assert questions["backend_teams"]["min"] == 1
    assert questions["backend_teams"]["max_length"] is None
    assert questions["clients"]["type"] == "multi"
    assert "web" in {o["id"] for o in questions["clients"]["options"]}
    assert questions["architecture_style"]["type"] == "single"
    assert questions["clients"]["required"] is True


def test_it_sends_an_etag_and_answers_304_when_unchanged(client, db):
    first = client.get(URL)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Cache-Control"] == "no-cache"

    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_a_stale_etag_gets_the_full_questionnaire(client, db):
    response = client.get(URL, HTTP_IF_NONE_MATCH='"0123456789abcdef0123456789abcdef"')

    assert response.status_code == 200
    assert response.json()["questions"]


def test_same_pack_same_etag_and_body(client, db):
    first, second = client.get(URL), client.get(URL)

    assert first["ETag"] == second["ETag"]
    assert first.content == second.content


def test_without_a_published_pack_it_answers_503_in_the_error_shape(client, db):
    PackVersion.objects.filter(pack_id="default").update(status=PackVersion.Status.RETIRED)
    clear_caches()

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "pack_unavailable"
