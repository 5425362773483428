"""create_editor, and import_rules / export_rules with zips and audit events."""

from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from advisor.models import AuditEvent, PackVersion
from tests.support import DEFAULT_RULES, MINI

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_editor_makes_a_rule_editor_with_a_printed_password(client):
    out = run("create_editor", "ada", "--token")

    password = next(
        line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("password")
    )
    user = User.objects.get(username="ada")
    assert user.has_perm("advisor.change_rulepack")
    assert user.check_password(password)
    assert "API token: " in out
    assert client.login(username="ada", password=password)
    assert client.get("/editor/").status_code == 200


def test_create_editor_refuses_a_weak_password():
    with pytest.raises(CommandError, match="too short|too common"):
        run("create_editor", "bob", "--password", "abc")
    assert not User.objects.filter(username="bob").exists()


def test_import_and_export_go_through_zips_and_are_audited(tmp_path: Path):
    archive = tmp_path / "mini.zip"
    run("import_rules", str(MINI))

    out = run("export_rules", str(archive), "--pack", "mini")

    assert "wrote" in out
    names = zipfile.ZipFile(archive).namelist()
    assert "mini-v1/pack.yaml" in names
    assert AuditEvent.objects.filter(pack_id="mini", action="export").count() == 1
    assert "unchanged; already version 1" in run("import_rules", str(archive))
    assert AuditEvent.objects.filter(pack_id="mini", action="import").count() == 1


def test_import_rules_draft_stores_without_publishing(tmp_path: Path):
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in DEFAULT_RULES.rglob("*.yaml"):
        target = folder / path.relative_to(DEFAULT_RULES)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            path.read_text(encoding="utf-8").replace("1.0.0", "1.0.5", 1), encoding="utf-8"
        )

    out = run("import_rules", str(folder), "--draft")

    assert "stored as a draft of version" in out
    version = PackVersion.objects.get(pack_id="default", pack_version="1.0.5")
    assert version.status == "draft"


def test_import_rules_refuses_links_in_the_folder(tmp_path: Path):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text((MINI / "pack.yaml").read_text())
    (folder / "secret.yaml").symlink_to("/etc/passwd")

    with pytest.raises(CommandError, match="not imported"):
        run("import_rules", str(folder))
