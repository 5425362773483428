"""Publishing and rolling back change what founders and the API get; broken drafts cannot be
published; assessments keep the result of the version they were made with."""

from __future__ import annotations

import json

import pytest

from advisor.models import AuditEvent, PackVersion, RulePack
from advisor.packs import Actor, PublishRefused, publish, save_version
from advisor.packs.archive import files_from_folder
from tests.support import DEFAULT_RULES

pytestmark = pytest.mark.django_db

FILES = files_from_folder(DEFAULT_RULES)
OLD_TEXT = "text: Who calls your backend?"
NEW_TEXT = "text: Which programs call your backend?"


def draft(files: dict[str, str], message: str = "a draft") -> PackVersion:
    pack = RulePack.objects.get(id="default")
    return save_version(
        pack=pack, base=pack.head, files=files, message=message, actor=Actor(None, "t")
    )


def renamed_question_text() -> dict[str, str]:
    files = dict(FILES)
    files["questions.yaml"] = files["questions.yaml"].replace(OLD_TEXT, NEW_TEXT, 1)
    return files


def clients_text(client) -> str:
    questions = client.get("/api/v1/questionnaire").json()["questions"]
    return next(q["text"] for q in questions if q["id"] == "clients")


def assess_page(client) -> str:
    """The founders' questionnaire (its first step asks about clients)."""
    response = client.get("/assess/clients/")
    assert response.status_code == 200
    return response.content.decode()


def publish_url(version: PackVersion) -> str:
    return f"/api/v1/packs/default/versions/{version.number}/publish"


def test_publishing_a_draft_changes_the_questionnaire_and_rolling_back_restores_it(
    editor_client, client
):
    first = PackVersion.objects.get(pack_id="default", status="published")
    assert clients_text(client) == "Who calls your backend?"
    version = draft(renamed_question_text())

    response = editor_client.post(publish_url(version), "{}", content_type="application/json")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert clients_text(client) == "Which programs call your backend?"
    assert "Which programs call your backend?" in assess_page(client)
    assert client.get("/api/v1/questionnaire").json()["pack"]["revision"] == version.number
    first.refresh_from_db()
    assert first.status == "retired"

    rolled = editor_client.post(publish_url(first), "{}", content_type="application/json")

    assert rolled.status_code == 201
    restored = rolled.json()
    assert restored["number"] == version.number + 1
    assert restored["status"] == "published"
    assert restored["parent"] == version.number
    assert restored["files"] == first.files
    assert clients_text(client) == "Who calls your backend?"
    assert "Who calls your backend?" in assess_page(client)
    assert "Which programs call your backend?" not in assess_page(client)
    assert PackVersion.objects.filter(pack_id="default", status="published").count() == 1
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["publish", "rollback", "rollback"]


def test_the_editor_page_publishes_and_rolls_back_too(editor_client, client):
    first = PackVersion.objects.get(pack_id="default", status="published")
    version = draft(renamed_question_text())

    response = editor_client.post(f"/editor/default/v{version.number}/publish", {"note": "go"})

    assert response.status_code == 302
    assert clients_text(client) == "Which programs call your backend?"
    assert AuditEvent.objects.filter(action="publish").latest("id").detail.endswith(": go")
    response = editor_client.post(f"/editor/default/v{first.number}/publish")
    assert response.status_code == 302
    assert response["Location"] == f"/editor/default/v{version.number + 1}/"
    assert clients_text(client) == "Who calls your backend?"


@pytest.mark.parametrize(
    ("name", "old", "new", "reason"),
    [
        (
            "rules/bff.yaml",
            "{q: clients, answered: false}",
            "{q: clientz, answered: false}",
            "unknown question 'clientz'; did you mean 'clients'?",
        ),
        (
            "scenarios/consumer_apps.yaml",
            "bff: bff_per_client",
            "bff: none",
            "scenario ",
        ),
    ],
    ids=["pack-error", "failing-scenario"],
)
def test_a_version_with_errors_or_failing_scenarios_cannot_be_published(
    editor_client, client, name, old, new, reason
):
    files = dict(FILES)
    assert old in files[name]
    files[name] = files[name].replace(old, new, 1)
    before = client.get("/api/v1/questionnaire").json()
    version = draft(files)

    response = editor_client.post(publish_url(version), "{}", content_type="application/json")

    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "not_publishable"
    assert any(reason in r for r in body["reasons"])
    version.refresh_from_db()
    assert version.status == "draft"
    assert client.get("/api/v1/questionnaire").json() == before
    page = editor_client.post(f"/editor/default/v{version.number}/publish")
    assert page.status_code == 422
    assert reason.encode() in page.content.replace(b"&#x27;", b"'")
    with pytest.raises(PublishRefused):
        publish(version, actor=Actor(None, "t"))


def test_files_of_another_pack_cannot_be_published_here(editor_client):
    files = dict(FILES)
    files["pack.yaml"] = files["pack.yaml"].replace("id: default", "id: other", 1)
    version = draft(files)

    response = editor_client.post(publish_url(version), "{}", content_type="application/json")

    assert response.status_code == 422
    assert "'other' is not the pack being edited" in " ".join(response.json()["reasons"])


def test_old_assessments_keep_their_results_after_a_publish(client, editor_client):
    answers = {"answers": {"clients": ["web", "mobile"], "client_needs_differ": "very"}}
    old = client.post(
        "/api/v1/assessments", json.dumps(answers), content_type="application/json"
    ).json()
    files = dict(FILES)
    files["decisions.yaml"] = files["decisions.yaml"].replace(
        "title: One Backend-for-Frontend per client experience", "title: A BFF per client app", 1
    )
    version = draft(files)
    editor_client.post(publish_url(version), "{}", content_type="application/json")

    new = client.post(
        "/api/v1/assessments", json.dumps(answers), content_type="application/json"
    ).json()

    assert new["pack"]["revision"] == version.number
    assert client.get(old["links"]["self"]).json() == old
    assert old["pack"]["revision"] < version.number
