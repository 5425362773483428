"""Signing in and out: the app's own pages, failed attempts limited, the editor link for editors."""

from __future__ import annotations

import pytest

from tests.conftest import EDITOR_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, password: str, username: str = "consultant", **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_an_editor_signs_in_and_lands_in_the_editor(client, editor_user):
    response = sign_in(client, EDITOR_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/editor/"
    page = client.get("/").content.decode()
    assert 'id="nav-editor"' in page
    assert "Sign out consultant" in page


def test_a_wrong_password_shows_the_form_again_with_an_error(client, editor_user):
    response = sign_in(client, "wrong")

    assert response.status_code == 200
    assert 'id="login-error"' in response.content.decode()


def test_after_five_failures_even_the_right_password_waits(client, editor_user):
    for _ in range(5):
        assert sign_in(client, "wrong").status_code == 200

    response = sign_in(client, EDITOR_PASSWORD)

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_for_one_name_from_many_addresses_still_count(client, editor_user):
    for n in range(5):
        sign_in(client, "wrong", REMOTE_ADDR=f"10.0.0.{n}")

    assert sign_in(client, EDITOR_PASSWORD, REMOTE_ADDR="10.0.0.99").status_code == 429


def test_the_editor_link_is_for_editors_only(client, plain_user):
    assert 'id="nav-editor"' not in client.get("/").content.decode()
    client.force_login(plain_user)
    page = client.get("/").content.decode()
    assert 'id="nav-editor"' not in page
    assert "Sign out founder" in page


def test_signing_out_needs_a_post_and_leads_home(editor_client):
    assert editor_client.get("/accounts/logout/").status_code == 405

    response = editor_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert editor_client.get("/editor/").status_code == 302
