"""Saving drafts with optimistic locking (SECURITY row 20): a lost update is a 409 with diffs.

The concurrency test runs two threads against the database the suite uses: PostgreSQL when
DATABASE_URL points at one, else SQLite.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection

from advisor.models import AuditEvent, PackVersion, RulePack
from advisor.packs import Actor, SaveConflict, check_files, save_version
from advisor.packs.archive import files_from_folder
from tests.support import DEFAULT_RULES

FILES = files_from_folder(DEFAULT_RULES)
URL = "/api/v1/packs/default/versions"


def edited(old: str, new: str, name: str = "pack.yaml") -> dict[str, str]:
    files = dict(FILES)
    assert old in files[name]
    files[name] = files[name].replace(old, new, 1)
    return files


def save(client, base: int, files: dict[str, str], message: str = "an edit"):
    body = {"base_version": base, "message": message, "files": files}
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_a_save_makes_a_new_draft_on_top_of_its_base(editor_client, editor_user):
    head = RulePack.objects.get(id="default").head
    files = edited("1.0.0", "1.0.1")

    response = save(editor_client, head, files, "bump the version")

    assert response.status_code == 201
    data = response.json()
    assert data["number"] == head + 1
    assert data["parent"] == head
    assert data["status"] == "draft"
    assert data["author"] == "consultant"
    assert data["message"] == "bump the version"
    assert data["pack_version"] == "1.0.1"
    assert data["summary"]["errors"] == 0
    assert data["summary"]["failed"] == 0
    assert data["files"] == files
    assert RulePack.objects.get(id="default").head == head + 1
    event = AuditEvent.objects.get(action="save")
    assert (event.user, event.version.number, event.detail) == (
        editor_user,
        head + 1,
        "bump the version",
    )


@pytest.mark.django_db
def test_a_draft_with_errors_is_saved_with_its_problem_counts(editor_client):
    head = RulePack.objects.get(id="default").head
    files = edited(
        "{q: clients, answered: false}", "{q: clientz, answered: false}", "rules/bff.yaml"
    )

    response = save(editor_client, head, files, "work in progress")

    assert response.status_code == 201
    summary = response.json()["summary"]
    assert summary["errors"] == 1
    assert summary["by_file"] == {"rules/bff.yaml": {"error": 1}}


@pytest.mark.django_db
def test_a_second_save_from_the_same_base_is_refused_with_both_diffs(editor_client):
    head = RulePack.objects.get(id="default").head
    assert save(editor_client, head, edited("1.0.0", "1.0.1"), "theirs").status_code == 201
    mine = edited("1.0.0", "2.0.0")

    response = save(editor_client, head, mine, "mine")

    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "conflict"
    conflict = body["conflict"]
    assert conflict["base_version"] == head
    assert conflict["latest_version"] == head + 1
    assert conflict["latest_message"] == "theirs"
    assert '-  version: "1.0.0"\n+  version: "1.0.1"' in conflict["their_changes"]
    assert '-  version: "1.0.0"\n+  version: "2.0.0"' in conflict["your_changes"]
    assert PackVersion.objects.filter(pack_id="default").count() == head + 1
    assert RulePack.objects.get(id="default").head == head + 1


@pytest.mark.django_db
def test_after_a_conflict_the_same_files_save_on_top_of_the_latest(editor_client):
    head = RulePack.objects.get(id="default").head
    save(editor_client, head, edited("1.0.0", "1.0.1"), "theirs")
    mine = edited("1.0.0", "2.0.0")
    assert save(editor_client, head, mine, "mine").status_code == 409

    response = save(editor_client, head + 1, mine, "mine, after reading theirs")

    assert response.status_code == 201
    assert response.json()["files"] == mine


@pytest.mark.django_db
def test_a_base_version_that_does_not_exist_is_a_400(editor_client):
    head = RulePack.objects.get(id="default").head

    response = save(editor_client, head + 5, FILES)

    assert response.status_code == 400
    assert "has no version" in response.json()["error"]["fields"]["base_version"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "field"),
    [
        ({"../evil.yaml": "x: 1"}, "files"),
        ({"/etc/passwd.yaml": "x: 1"}, "files"),
        ({"notes.txt": "x"}, "files"),
        ({}, "files"),
        ({"pack.yaml": 3}, "files"),
    ],
    ids=["dot-dot", "absolute", "not-yaml", "empty", "not-text"],
)
def test_files_that_cannot_be_a_pack_are_a_400_naming_them(editor_client, files, field):
    head = RulePack.objects.get(id="default").head

    response = save(editor_client, head, files)

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert RulePack.objects.get(id="default").head == head


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_base_at_once_one_wins_one_gets_409():
    pack = RulePack.objects.get(id="default")
    base = pack.head
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def attempt(label: str, files: dict[str, str]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[label] = save_version(
                pack=pack, base=base, files=files, message=label, actor=Actor(None, label)
            )
        except SaveConflict as conflict:
            outcomes[label] = conflict
        finally:
            connection.close()

    first, second = edited("1.0.0", "1.1.0"), edited("1.0.0", "1.2.0")
    for files in (first, second):  # checked beforehand, so both threads reach the UPDATE together
        check_files(files)
    threads = [
        threading.Thread(target=attempt, args=("first", first)),
        threading.Thread(target=attempt, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    saved = [o for o in outcomes.values() if isinstance(o, PackVersion)]
    refused = [o for o in outcomes.values() if isinstance(o, SaveConflict)]
    assert len(saved) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert refused[0].head.number == base + 1
    assert refused[0].head.message == saved[0].message
    assert PackVersion.objects.filter(pack_id="default", number__gt=base).count() == 1
    assert RulePack.objects.get(id="default").head == base + 1
