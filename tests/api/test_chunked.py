"""Chunked request bodies (SECURITY.md row 25): read when the server de-chunks them, else 411.

They were read as empty, so a full answer set got "answers: This field is required". Over a real
socket the same is checked under gunicorn in tests/site/test_server.py.
"""

from __future__ import annotations

import io
import json

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/recommendations?what_if=false"
BODY = json.dumps({"answers": {"clients": ["web"], "architecture_style": "monolith"}}).encode()


def chunked_post(client, body: bytes, *, terminated: bool, url: str = URL):
    """A POST as a WSGI server passes a chunked request: no Content-Length, the body in input."""
    environ = {
        "wsgi.input": io.BytesIO(body),
        "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_LENGTH": "",
        "CONTENT_TYPE": "application/json",
    }
    if terminated:
        environ["wsgi.input_terminated"] = True
    return client.generic("POST", url, **environ)


def test_a_chunked_body_is_read_when_the_server_de_chunks_it(client):
    response = chunked_post(client, BODY, terminated=True)

    assert response.status_code == 200, response.content
    assert response.json()["answers"]["architecture_style"] == "monolith"


def test_a_chunked_body_over_the_limit_is_a_413(client):
    response = chunked_post(client, b" " * (256 * 1024 + 1), terminated=True)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_a_chunked_body_a_server_cannot_bound_is_a_411_in_the_error_shape(client):
    response = chunked_post(client, BODY, terminated=False)

    assert response.status_code == 411
    assert response.json() == {
        "error": {
            "code": "length_required",
            "message": "a chunked request body cannot be read here; send it with a Content-Length",
        }
    }


def test_a_chunked_form_to_a_page_is_a_plain_411(client):
    response = chunked_post(client, b"a=1", terminated=False, url="/")

    assert response.status_code == 411
    assert response["Content-Type"].startswith("text/plain")
