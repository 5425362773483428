from __future__ import annotations

from django.urls import reverse


def test_it_renders_the_home_page_with_the_start_link(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'id="start-link"' in html
    assert f'href="{reverse("start")}"' in html
    assert "recommended API, Backend-for-Frontend and messaging architecture" in html
    assert "decision records your team can keep in its repository" in html
    for audience in ("Founders and tech leads", "Teams", "Consultants", "Integrators"):
        assert audience in html


def test_it_links_the_stylesheet_and_htmx_without_inline_code(client):
    html = client.get("/").content.decode()

    assert "/static/css/site.css" in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html


def test_it_sends_the_csrf_token_with_htmx_requests(client):
    response = client.get("/")

    token = response.cookies["csrftoken"].value
    assert token
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()


def test_it_sends_the_start_link_to_the_questionnaire(client):
    response = client.get(reverse("start"))

    assert response.status_code == 302
    assert response["Location"] == "/assess/"


def test_it_serves_the_api_docs_and_schema(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")


def test_it_refuses_to_post_to_the_home_page(client):
    assert client.post("/").status_code == 405
