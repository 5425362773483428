"""The result page's download buttons, clicked in a real Chromium."""

from __future__ import annotations

import io
import zipfile

import pytest

from advisor import services
from tests.exports.helpers import SAAS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("button", "file_name"),
    [
        ("#export-madr", "acme-invoicing-decisions.zip"),
        ("#export-nygard", "acme-invoicing-decisions.zip"),
        ("#export-report", "acme-invoicing-report.md"),
        ("#export-json", "acme-invoicing-result.json"),
    ],
)
def test_each_export_button_downloads_its_file(page, button, file_name, tmp_path):
    assessment = services.create_assessment(answers=SAAS)
    page.goto(f"/a/{assessment.id}/")

    with page.expect_download() as download:
        page.click(button)

    assert download.value.suggested_filename == file_name
    saved = tmp_path / file_name
    download.value.save_as(saved)
    if file_name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
        first = archive.read(sorted(archive.namelist())[0]).decode()
        assert first.startswith("# 1. " if button == "#export-nygard" else "---\nstatus:")
    else:
        assert saved.stat().st_size > 1000
