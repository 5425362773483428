"""Redis as the shared cache of several workers (run by `make test-redis`).

With a per-process cache each worker counted writes on its own, so the limit was the setting
times the workers. Here 2 gunicorn workers share one redis-server: the limit holds in total.
Stopping that redis-server turns /healthz into a 503.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.site.server import Server, free_port, gunicorn

pytestmark = pytest.mark.services

LIMIT = 5
WRITES = 40
BODY = json.dumps({"answers": {"clients": ["web"], "architecture_style": "monolith"}})


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of this test's own, stopped at the end if the test has not."""
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode:
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.2)
    yield f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def store(server: Server) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("POST", "/api/v1/assessments", BODY, {"Content-Type": "application/json"})
    return connection.getresponse().status


def healthz(server: Server) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def test_the_write_limit_holds_across_two_workers(tmp_path: Path, redis_url: str) -> None:
    env = {"REDIS_URL": redis_url, "THROTTLE_WRITES": f"{LIMIT}/minute", "WEB_CONCURRENCY": "2"}
    with gunicorn(tmp_path, env) as server, ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(lambda _: store(server), range(WRITES)))
        lines = [line for line in server.log_lines() if line.get("path") == "/api/v1/assessments"]

    assert statuses == {201: LIMIT, 429: WRITES - LIMIT}
    assert len({line["pid"] for line in lines}) == 2, "both workers should have answered"


def test_healthz_is_a_503_once_redis_stops(tmp_path: Path, redis_url: str) -> None:
    with gunicorn(tmp_path, {"REDIS_URL": redis_url}) as server:
        before = healthz(server)
        port = redis_url.rsplit(":", 1)[1].split("/")[0]
        subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True)
        after = healthz(server)

    assert before == (200, {"status": "ok", "database": "ok", "cache": "ok", "graphviz": "ok"})
    assert after[0] == 503
    assert after[1]["cache"] == "down: ConnectionError"
