"""Who may use every editor page and endpoint (SECURITY row 18), as one table.

anonymous -> the sign-in page (pages) or 401 (API); signed in without the permission -> 403;
editor -> 200 or 201. Every editor URL must appear here (a meta-test checks it).
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from advisor.editor.urls import urlpatterns as editor_urls
from advisor.models import PackVersion
from advisor.packs.archive import files_from_folder
from tests.support import DEFAULT_RULES

pytestmark = pytest.mark.django_db

FILES = files_from_folder(DEFAULT_RULES)


def published_number() -> int:
    return PackVersion.objects.get(pack_id="default", status="published").number


def zip_upload():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in FILES.items():
            archive.writestr(f"pack/{name}", text.replace("1.0.0", "1.0.1", 1))
    buffer.seek(0)
    buffer.name = "pack.zip"
    return buffer


# (name, method, path, body kind, editor's status). {n} is the published version's number.
PAGES = [
    ("home", "get", "/editor/", None, 200),
    ("pack", "get", "/editor/default/", None, 200),
    ("version", "get", "/editor/default/v{n}/", None, 200),
    ("edit", "get", "/editor/default/v{n}/edit", None, 200),
    ("diff", "get", "/editor/default/diff?a={n}&b={n}", None, 200),
    ("audit", "get", "/editor/audit", None, 200),
    ("import", "get", "/editor/import", None, 200),
    ("import", "post", "/editor/import", "zip", 302),
    ("export", "get", "/editor/default/v{n}/export.zip", None, 200),
    ("publish", "post", "/editor/default/v{n}/publish", "form", 302),
    ("preview", "post", "/editor/default/preview", "preview", 200),
    ("references", "post", "/editor/default/references", "references", 200),
]

API = [
    ("version", "get", "/api/v1/packs/default/versions/{n}", None, 200),
    ("validate", "post", "/api/v1/packs/default/validate", "files", 200),
    ("simulate", "post", "/api/v1/packs/default/simulate", "simulate", 200),
    ("save", "post", "/api/v1/packs/default/versions", "save", 201),
    ("publish", "post", "/api/v1/packs/default/versions/{n}/publish", "empty", 200),
]


def body(kind: str | None, n: int) -> dict:
    json_bodies = {
        "files": {"files": FILES},
        "simulate": {"files": FILES, "answers": {"clients": ["web"]}},
        "save": {"base_version": n, "message": "permission table", "files": FILES},
        "preview": {"files": FILES, "scenario": "marketplace-team-per-app"},
        "references": {"files": FILES, "id": "clients"},
        "empty": {},
    }
    if kind in json_bodies:
        return {"data": json.dumps(json_bodies[kind]), "content_type": "application/json"}
    if kind == "zip":
        return {"data": {"archive": zip_upload(), "message": "imported"}}
    return {"data": {}} if kind == "form" else {}


def call(client, method: str, path: str, kind: str | None):
    n = published_number()
    return getattr(client, method)(path.format(n=n), **body(kind, n))


@pytest.mark.parametrize(("name", "method", "path", "kind", "status"), PAGES)
def test_pages_send_anonymous_visitors_to_sign_in(client, name, method, path, kind, status):
    response = call(client, method, path, kind)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("name", "method", "path", "kind", "status"), PAGES + API)
def test_signed_in_users_without_the_permission_get_403(
    client, plain_user, name, method, path, kind, status
):
    client.force_login(plain_user)
    before = PackVersion.objects.count()

    assert call(client, method, path, kind).status_code == 403
    assert PackVersion.objects.count() == before


@pytest.mark.parametrize(("name", "method", "path", "kind", "status"), API)
def test_the_api_answers_anonymous_requests_401(client, name, method, path, kind, status):
    response = call(client, method, path, kind)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("name", "method", "path", "kind", "status"), PAGES + API)
def test_editors_may_use_every_page_and_endpoint(editor_client, name, method, path, kind, status):
    assert call(editor_client, method, path, kind).status_code == status


def test_a_superuser_is_an_editor_without_the_group(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x-Long-enough-9")
    client.force_login(admin)

    assert client.get("/editor/").status_code == 200


def test_every_editor_url_is_in_the_table():
    tabled = {name for name, *_ in PAGES}

    assert {p.name for p in editor_urls} == tabled


def test_the_api_accepts_a_token(client, editor_user):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=editor_user)
    n = published_number()
    response = client.get(
        f"/api/v1/packs/default/versions/{n}", HTTP_AUTHORIZATION=f"Token {token.key}"
    )

    assert response.status_code == 200
    assert response.json()["files"] == FILES


def test_a_session_post_without_the_csrf_token_is_refused(editor_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_user)
    response = client.post(
        "/api/v1/packs/default/validate",
        json.dumps({"files": FILES}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
