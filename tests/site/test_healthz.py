"""GET /healthz: 200 with each dependency's state; 503 when the database, the cache or Graphviz
is not there (each really absent: nothing listening on its port, no `dot` on the PATH)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests import support as _support

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sqlite_in(folder: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}


def healthz_in_a_fresh_process(env: dict[str, str]) -> tuple[int, dict]:
    code = (
        "import json; from django.test import Client;"
        " r = Client(HTTP_HOST='localhost').get('/healthz');"
        " print(r.status_code, json.dumps(r.json()))"
    )
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | env
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity=0", "--command", code],
        cwd=_support.REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, _, body = result.stdout.strip().splitlines()[-1].partition(" ")
    return int(status), json.loads(body)


def test_all_up_is_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "graphviz": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_over_plain_http_with_the_ssl_redirect_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/packs").status_code == 301


def test_a_database_that_is_down_is_a_503():
    env = {"DATABASE_URL": f"postgres://advisor:x@127.0.0.1:{closed_port()}/advisor"}

    status, body = healthz_in_a_fresh_process(env)

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"] == "down: OperationalError"
    assert (body["cache"], body["graphviz"]) == ("ok", "ok")


def test_a_cache_that_is_down_is_a_503(tmp_path):
    env = {"REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0", **sqlite_in(tmp_path)}

    status, body = healthz_in_a_fresh_process(env)

    assert status == 503
    assert body["cache"] == "down: ConnectionError"
    assert body["database"] == "ok"


def test_graphviz_missing_is_a_503(tmp_path):
    python_only = tmp_path / "bin"
    python_only.mkdir()

    status, body = healthz_in_a_fresh_process({"PATH": str(python_only), **sqlite_in(tmp_path)})

    assert status == 503
    assert body["graphviz"] == "down: FileNotFoundError"
    assert body["database"] == "ok"
