"""The sample nginx configuration of docs/deploy.md passes `nginx -t` (run by make test-redis,
which installs nginx from Debian when run as root)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests import support as _support

pytestmark = pytest.mark.services

SAMPLE = _support.REPO / "deploy" / "nginx.conf"


def nginx() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def test_the_sample_nginx_config_passes_nginx_t(tmp_path: Path) -> None:
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=advisor.example.com",
            "-keyout",
            str(tmp_path / "privkey.pem"),
            "-out",
            str(tmp_path / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "advisor.conf"
    site.write_text(SAMPLE.read_text().replace("/etc/ssl/advisor/", f"{tmp_path}/"))
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {site};\n}}\n"
    )

    result = subprocess.run(
        [nginx(), "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_sample_sends_what_the_app_expects() -> None:
    text = SAMPLE.read_text()

    assert "proxy_request_buffering on;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "client_max_body_size 300k;" in text
