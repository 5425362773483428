"""The OpenAPI document and the docs pages (Swagger UI, Redoc) served by the app itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from openapi_spec_validator import validate
from playwright.sync_api import expect

from advisor.api.urls import v1 as api_v1

ERROR_REF = "#/components/schemas/ErrorOut"
ERROR_DETAIL_REF = "#/components/schemas/ErrorDetail"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document() -> dict:
    from django.test import Client

    response = Client().get("/api/schema?format=json")
    assert response.status_code == 200
    return response.json()


def openapi_path(route: str) -> str:
    """`packs/<slug:pack_id>/versions` -> `/api/v1/packs/{pack_id}/versions`."""
    return "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def operations_of_urls() -> list[tuple[str, str]]:
    found = []
    for pattern in api_v1:
        view_class = pattern.callback.view_class
        for method in METHODS:
            if hasattr(view_class, method):
                found.append((openapi_path(str(pattern.pattern)), method))
    return found


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.")


def test_yaml_is_the_default_format_and_says_the_same(client, document):
    response = client.get("/api/schema")

    assert response.status_code == 200
    assert "openapi" in response["Content-Type"]
    assert yaml.safe_load(response.content) == document


# POSTs that take no input: the path says everything (re-run this assessment).
BODILESS = {"assessment_rerun"}


@pytest.mark.parametrize(("path", "method"), operations_of_urls())
def test_every_api_url_is_documented_with_schemas(document, path, method):
    operation = document["paths"][path][method]

    assert operation["operationId"]
    assert operation["summary"]
    if method == "post" and operation["operationId"] not in BODILESS:
        assert operation["requestBody"]["content"]["application/json"]["schema"]
    success = [code for code in operation["responses"] if code.startswith("2")]
    assert success
    for code in success:
        content = operation["responses"][code]["content"]
        assert content, "every success response names its media type"
        assert all(media["schema"] for media in content.values())


def test_nothing_is_documented_that_no_url_serves(document):
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }

    assert documented == set(operations_of_urls())


def test_every_error_response_is_the_error_shape(document):
    errors = [
        (path, method, code, response)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for code, response in operation["responses"].items()
        if int(code) >= 400
    ]

    assert errors
    schemas = document["components"]["schemas"]
    for path, method, code, response in errors:
        schema = response["content"]["application/json"]["schema"]
        if schema != {"$ref": ERROR_REF}:
            # An error with more to say (a save conflict's diffs) is the same shape plus keys.
            extended = schemas[schema["$ref"].rsplit("/", 1)[1]]
            assert extended["properties"]["error"] == {"$ref": ERROR_DETAIL_REF}, (
                path,
                method,
                code,
            )
            assert "error" in extended["required"]
    error = document["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"code", "message"}
    assert set(error["properties"]) == {"code", "message", "fields"}


def test_answer_endpoints_document_their_client_errors(document):
    for path in ("/api/v1/recommendations", "/api/v1/assessments"):
        assert {"400", "413", "415"} <= set(document["paths"][path]["post"]["responses"])
    assert "429" in document["paths"]["/api/v1/assessments"]["post"]["responses"]
    assert "404" in document["paths"]["/api/v1/assessments/{assessment_id}"]["get"]["responses"]


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.inline_styles = 0
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1
        if tag == "style" or "style" in values:
            self.inline_styles += 1
        self.urls += [v for k, v in attrs if k in {"src", "href"} and v]


@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc"])
def test_the_docs_pages_are_self_contained_html(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assets = _Assets()
    assets.feed(response.content.decode())
    assert assets.inline_scripts == 0
    assert assets.inline_styles == 0
    assert assets.urls
    assert all(url.startswith("/") for url in assets.urls), assets.urls


def test_only_redoc_gets_a_style_nonce(client):
    redoc = client.get("/api/redoc")["Content-Security-Policy"]
    docs = client.get("/api/docs")["Content-Security-Policy"]

    style_src = next(d for d in redoc.split("; ") if d.startswith("style-src"))
    assert re.fullmatch(r"style-src 'self' 'nonce-[A-Za-z0-9+/=]+'", style_src)
    assert "script-src 'self';" in redoc + ";"
    assert "nonce-" not in docs


def test_redoc_works_in_a_browser_under_the_strict_csp(page, console_errors, artifacts_dir):
    page.goto("/api/redoc")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Architecture Decision Advisor")
    summary = re.compile("Recommend an architecture for answers")
    expect(page.get_by_role("heading", name=summary)).to_be_visible()
    # Redoc's run-time styles carry the nonce and apply: every <style> has a sheet, except the
    # perfect-scrollbar stylesheet its bundle adds before any nonce is known (native scrollbars
    # are used instead).
    unapplied = page.evaluate(
        "[...document.querySelectorAll('style')].filter(s => !s.sheet)"
        ".map(s => s.textContent.slice(0, 4))"
    )
    assert unapplied in ([], [".ps{"])
    # Search runs in a blob: worker, which this page's CSP allows.
    page.get_by_placeholder("Search...").fill("assessment")
    results = page.locator("[data-role='search:results']")
    expect(results.get_by_role("menuitem", name="Store answers and their result")).to_be_visible()
    page.screenshot(path=artifacts_dir / "api-redoc.png")

    unexpected = [
        e
        for e in console_errors
        # Redoc's "API docs by Redocly" badge is fetched from its CDN; the CSP blocks it and
        # Redoc hides the image.
        if "cdn.redoc.ly" not in e
        and not (e.startswith("Applying inline style violates") and len(unapplied) == 1)
    ]
    assert unexpected == []


def test_the_response_headers_are_documented(document):
    paths = document["paths"]

    created = paths["/api/v1/assessments"]["post"]["responses"]
    assert "Location" in created["201"]["headers"]
    assert created["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    questionnaire = paths["/api/v1/questionnaire"]["get"]["responses"]
    assert "ETag" in questionnaire["200"]["headers"]
    assert "ETag" in questionnaire["304"]["headers"]
