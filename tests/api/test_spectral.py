"""The OpenAPI document passes Spectral's OpenAPI rules (PRODUCT §7), warnings included."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests import support as _support

REPO = _support.REPO
SPECTRAL = REPO / "node_modules" / ".bin" / "spectral"


@pytest.mark.django_db
def test_the_openapi_document_passes_spectral(client, tmp_path: Path) -> None:
    assert SPECTRAL.exists(), "Spectral is missing: run `make setup` (npm ci installs it)"
    response = client.get("/api/schema?format=json")
    assert response.status_code == 200
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(response.json()))
    lint = subprocess.run(
        [
            str(SPECTRAL),
            "lint",
            str(document),
            "--ruleset",
            str(REPO / ".spectral.yaml"),
            "--fail-severity=warn",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
