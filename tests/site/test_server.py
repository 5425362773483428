"""The app under `gunicorn -c gunicorn.conf.py`, over real sockets (SECURITY.md rows 23-25).

- Slow clients: several connections that send half a body and stall do not stop ordinary
  requests, and each stalled request ends with a 408 in the API's error shape.
- Forwarded headers: X-Forwarded-Proto is trusted only with BEHIND_PROXY and only from
  FORWARDED_ALLOW_IPS.
- Chunked bodies are read.
"""

from __future__ import annotations

import http.client
import json
import socket
from pathlib import Path

import pytest

from tests.site.server import Server, gunicorn

ANSWERS = {"answers": {"clients": ["web"], "architecture_style": "monolith"}}
SLOW_CLIENTS = 6  # more than the 2 workers, fewer than their 2 x 8 threads
# Generous bounds: the point is "answers at all" (it waited ~36 s before), not a speed figure.
CLIENT_TIMEOUT = 60


def get(
    server: Server, path: str, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=CLIENT_TIMEOUT)
    connection.request("GET", path, headers=headers or {})
    return connection.getresponse()


def half_a_body(server: Server) -> socket.socket:
    """A POST that promises 1,000 bytes of JSON, sends 20 and stalls."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=CLIENT_TIMEOUT)
    sock.sendall(
        b"POST /api/v1/recommendations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        b'{"answers": {"clien'
    )
    return sock


def status_and_body(sock: socket.socket) -> tuple[int, dict]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, json.loads(response.read())


def test_slow_clients_do_not_stall_other_requests(tmp_path: Path) -> None:
    with gunicorn(tmp_path, {"CLIENT_BODY_TIMEOUT": "5"}) as server:
        stalled = [half_a_body(server) for _ in range(SLOW_CLIENTS)]

        ordinary = [get(server, "/api/v1/questionnaire").status for _ in range(10)]
        endings = [status_and_body(sock) for sock in stalled]

    assert ordinary == [200] * 10
    assert (
        endings
        == [
            (
                408,
                {
                    "error": {
                        "code": "request_timeout",
                        "message": "the request body stopped arriving; send it again",
                    }
                },
            )
        ]
        * SLOW_CLIENTS
    )


@pytest.mark.parametrize(
    ("env", "redirected"),
    [
        ({}, True),
        ({"BEHIND_PROXY": "1", "FORWARDED_ALLOW_IPS": "192.0.2.1"}, True),
        ({"BEHIND_PROXY": "1", "FORWARDED_ALLOW_IPS": "127.0.0.1"}, False),
    ],
    ids=["no-proxy", "proxy-elsewhere", "proxy-here"],
)
def test_x_forwarded_proto_is_trusted_only_from_the_configured_proxy(
    tmp_path: Path, env: dict[str, str], redirected: bool
) -> None:
    with gunicorn(tmp_path, {"SECURE_SSL_REDIRECT": "1", **env}) as server:
        response = get(server, "/api/v1/packs", {"X-Forwarded-Proto": "https"})

    assert response.status == (301 if redirected else 200)
    if redirected:
        assert response.headers["Location"] == f"https://127.0.0.1:{server.port}/api/v1/packs"


def test_a_chunked_body_is_read(tmp_path: Path) -> None:
    with gunicorn(tmp_path) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=CLIENT_TIMEOUT)
        chunks = iter([json.dumps(ANSWERS).encode()[:10], json.dumps(ANSWERS).encode()[10:]])
        connection.request(
            "POST",
            "/api/v1/recommendations?what_if=false",
            body=chunks,
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        body = json.loads(response.read())

    assert response.status == 200, body
    assert body["answers"]["architecture_style"] == "monolith"


def test_each_request_is_one_json_log_line_with_the_id_sent_back(tmp_path: Path) -> None:
    with gunicorn(tmp_path) as server:
        response = get(server, "/api/v1/packs")
        response.read()
        lines = [line for line in server.log_lines() if line["logger"] == "advisor.requests"]

    [line] = [line for line in lines if line["path"] == "/api/v1/packs"]
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert (line["method"], line["status"], line["level"]) == ("GET", 200, "INFO")
    assert isinstance(line["duration_ms"], float)
