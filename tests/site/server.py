"""A real `gunicorn -c gunicorn.conf.py` on a free loopback port, for tests that need sockets."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests import support as _support

BIN = Path(sys.executable).parent
START_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[dict]:
        """The JSON lines the app logged so far (gunicorn's own lines are left out)."""
        lines = []
        for text in self.log_path.read_text().splitlines():
            if text.startswith("{"):
                lines.append(json.loads(text))
        return lines


def _environment(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return (
        keep
        | {
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            # Its own SQLite file: what these tests check does not depend on the database.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "LOG_FORMAT": "json",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        | env
    )


def _wait_until_up(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log_path.read_text()}")
        try:
            urllib.request.urlopen(server.url + "/healthz", timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers; the test decides what the status should be
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer in {START_SECONDS} s")


@contextmanager
def gunicorn(tmp_path: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Migrate a fresh database, start gunicorn with the project's config, stop it after."""
    port = free_port()
    full_env = _environment(tmp_path, {"PORT": str(port), **(env or {})})
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=_support.REPO,
        env=full_env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    server = Server(port, tmp_path / f"gunicorn-{port}.log")
    with server.log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=_support.REPO,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(server, process)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
