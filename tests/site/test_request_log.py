"""One log line per request with its id, status and duration; a bad Host is one WARNING line."""

from __future__ import annotations

import json
import logging

import pytest

from advisor.logs import JsonFormatter

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "Project Nightingale"


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "advisor.requests"]


def test_each_request_is_one_line_with_its_id_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/api/v1/packs")

    [line] = request_lines(caplog)
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    assert (line.method, line.path, line.status) == ("GET", "/api/v1/packs", 200)
    assert line.duration_ms >= 0
    assert line.request_id == rid


def test_a_well_formed_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client, caplog):
    with caplog.at_level(logging.INFO):
        kept = client.get("/api/v1/packs", HTTP_X_REQUEST_ID="lb-7f3a.42")
        replaced = client.get("/api/v1/packs", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b" + "y" * 99)

    assert kept["X-Request-ID"] == "lb-7f3a.42"
    assert len(replaced["X-Request-ID"]) == 32
    assert [r.request_id for r in request_lines(caplog)] == ["lb-7f3a.42", replaced["X-Request-ID"]]


def test_answers_never_reach_the_log(client, caplog):
    body = {"answers": {"project_name": SECRET_ANSWER, "backend_teams": "many"}}
    with caplog.at_level(logging.DEBUG):
        client.post("/api/v1/recommendations", body, content_type="application/json")

    [line] = request_lines(caplog)
    assert line.status == 400
    formatted = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert SECRET_ANSWER not in formatted
    assert "many" not in formatted


def test_the_json_formatter_writes_one_object_per_line(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/api/v1/packs", HTTP_X_REQUEST_ID="abc")

    [line] = request_lines(caplog)
    text = JsonFormatter().format(line)
    assert "\n" not in text
    data = json.loads(text)
    assert data["level"] == "INFO" and data["logger"] == "advisor.requests"
    assert data["request_id"] == "abc" and data["status"] == 200
    assert data["message"].startswith("GET /api/v1/packs 200 ")


def test_a_bad_host_header_is_one_warning_without_a_traceback(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/api/v1/packs", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    refused = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert [(r.levelname, r.exc_info, r.exc_text) for r in refused] == [("WARNING", None, None)]
    assert "Invalid HTTP_HOST header: 'evil.example.com'" in refused[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
