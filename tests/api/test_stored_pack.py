"""Importing the default pack from disk: unchanged files, a changed copy, a broken copy."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import yaml

from advisor.models import PackVersion
from advisor.packs import clear_caches, default_rules_path, import_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_path(), target)
    return target


def edit_description(rules: Path, description: str) -> None:
    pack_file = rules / "pack.yaml"
    data = yaml.safe_load(pack_file.read_text(encoding="utf-8"))
    data["pack"]["description"] = description
    pack_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def published() -> PackVersion:
    return PackVersion.objects.get(pack_id="default", status=PackVersion.Status.PUBLISHED)


def test_importing_unchanged_files_does_nothing():
    before = published()
    count = PackVersion.objects.count()

    outcome = import_pack(default_rules_path())

    assert outcome.created is False
    assert outcome.version == before
    assert PackVersion.objects.count() == count
    assert published() == before


def test_a_changed_pack_becomes_a_new_published_version(client, rules_copy):
    before = published()
    etag = client.get("/api/v1/questionnaire")["ETag"]
    edit_description(rules_copy, "Changed for a test of importing.")

    outcome = import_pack(rules_copy)

    assert outcome.created is True
    new = outcome.version
    assert new.number == before.number + 1
    assert new.status == PackVersion.Status.PUBLISHED
    assert new.parent == before
    before.refresh_from_db()
    assert before.status == PackVersion.Status.RETIRED
    assert published() == new

    packs = {p["id"]: p for p in client.get("/api/v1/packs").json()}
    assert packs["default"]["published_version"] == new.number
    assert packs["default"]["description"] == "Changed for a test of importing."
    versions = client.get("/api/v1/packs/default/versions").json()
    assert [(v["number"], v["status"]) for v in versions[-2:]] == [
        (before.number, "retired"),
        (new.number, "published"),
    ]
    assert versions[-1]["parent"] == before.number
    questionnaire = client.get("/api/v1/questionnaire")
    assert questionnaire.json()["pack"]["revision"] == new.number
    assert questionnaire["ETag"] != etag

    assert import_pack(rules_copy).created is False


def test_assessments_keep_the_version_they_were_made_with(client, rules_copy):
    body = {"answers": {"clients": ["web"]}}
    old = client.post("/api/v1/assessments", body, content_type="application/json").json()
    edit_description(rules_copy, "Changed again.")
    import_pack(rules_copy)

    new = client.post("/api/v1/assessments", body, content_type="application/json").json()

    assert new["pack"]["revision"] == old["pack"]["revision"] + 1
    assert client.get(old["links"]["self"]).json() == old


@pytest.mark.parametrize(
    ("file_name", "text"),
    [
        ("pack.yaml", "pack: [this is not closed\n"),
        ("questions.yaml", "questions:\n  - id: clients\n    type: multi\n  bad indent: [\n"),
        ("pack.yaml", "pack:\n  id: default\n  surprise_key: 1\n"),
    ],
    ids=["invalid-yaml", "broken-yaml-in-another-file", "schema-error"],
)
def test_a_broken_pack_is_not_imported_and_the_last_good_version_stays(
    client, rules_copy, caplog, file_name, text
):
    before = published()
    count = PackVersion.objects.count()
    questionnaire = client.get("/api/v1/questionnaire").json()
    (rules_copy / file_name).write_text(text, encoding="utf-8")

    with caplog.at_level(logging.ERROR, logger="advisor.packs"):
        outcome = import_pack(rules_copy)

    assert outcome.version is None
    assert outcome.created is False
    assert outcome.problems
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "advisor.packs"]
    assert len(errors) == 1
    assert str(rules_copy) in errors[0].getMessage()
    assert PackVersion.objects.count() == count
    assert published() == before
    clear_caches()
    response = client.get("/api/v1/questionnaire")
    assert response.status_code == 200
    assert response.json() == questionnaire
    answers = {"answers": {"clients": ["web"]}}
    recommended = client.post("/api/v1/recommendations", answers, content_type="application/json")
    assert recommended.status_code == 200
    assert recommended.json()["pack"]["version"] == before.pack_version
