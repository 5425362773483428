"""Fixtures shared by the tests: hypothesis profiles, static files without collectstatic, and a
real Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import settings

# Property tests draw `tests.support.examples(n)` examples: n under `dev`, a tenth under `ci`.
# HYPOTHESIS_PROFILE chooses (`make test` says ci, `make test-slow` dev); otherwise CI=true
# means ci and a developer's run is thorough.
settings.register_profile("dev", max_examples=1000, deadline=None)
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
_ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _ON_CI else "dev"))

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_collectstatic() -> Iterator[None]:
    # Production settings want the hashed files of `collectstatic`; tests serve the sources.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file instead of shared-cache memory.

    Shared-cache memory databases lock whole tables and fail at once instead of waiting, so
    two threads writing (the editor's concurrent saves) would fail where a real SQLite file
    makes the second writer wait, as it does when the app runs.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tmp_path_factory.mktemp("db")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test starts without compiled packs or throttle counts that another test left."""
    from django.core.cache import cache

    from advisor.packs import clear_caches

    clear_caches()
    cache.clear()
    yield
    clear_caches()


@pytest.fixture(scope="session")
def browser():
    """One headless system Chromium for the whole session (per xdist worker)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page at 1280x800 whose relative URLs go to the live server."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console errors and page errors seen by `page`, such as CSP violations or 404s."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


ONE_WEB_APP = {"clients": ["web"], "backend_teams": 1, "architecture_style": "monolith"}


@pytest.fixture
def publish_changed_pack(tmp_path):
    """Publishes a copy of rules/ in which a single web app on a monolith gets a shared gateway
    instead of calling the API directly, so ONE_WEB_APP's bff decision changes; returns the
    new PackVersion."""
    import shutil

    import yaml

    from advisor.packs import default_rules_path, import_pack

    def publish():
        rules = tmp_path / "rules"
        shutil.copytree(default_rules_path(), rules)
        bff = rules / "rules" / "bff.yaml"
        data = yaml.safe_load(bff.read_text(encoding="utf-8"))
        rule = next(
            r for r in data["rules"] if r["id"] == "direct-calls-for-one-app-on-one-deployable"
        )
        rule["effects"] = [{"decision": "bff", "option": "single_gateway", "score": 5}]
        bff.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        # Scenarios that expected no BFF would now fail, and a pack with failing scenarios is
        # never published: they stop expecting anything of the bff decision.
        for scenarios in (rules / "scenarios").glob("*.yaml"):
            text = scenarios.read_text(encoding="utf-8")
            kept = [line for line in text.splitlines(True) if line.strip() != "bff: none"]
            scenarios.write_text("".join(kept), encoding="utf-8")
        outcome = import_pack(rules, message="a changed pack for a test")
        assert outcome.created, outcome.problems
        return outcome.version

    return publish


EDITOR_PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture
def editor_user(db):
    """A member of the Rule editors group (made by migration 0004)."""
    from django.contrib.auth.models import User

    from advisor.models import ensure_editors_group

    user = User.objects.create_user("consultant", password=EDITOR_PASSWORD)
    user.groups.add(ensure_editors_group())
    return user


@pytest.fixture
def plain_user(db):
    """Signed in, but not an editor: may read, never change rules."""
    from django.contrib.auth.models import User

    return User.objects.create_user("founder", password=EDITOR_PASSWORD)


@pytest.fixture
def editor_client(client, editor_user):
    client.force_login(editor_user)
    return client
