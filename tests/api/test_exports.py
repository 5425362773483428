"""GET assessments/{id}/records.zip, report.md and result.json: downloads with safe names."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from advisor import services
from advisor.models import Assessment
from tests.exports.helpers import SAAS, headings

RECORD_NAME = re.compile(r"docs/decisions/(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.md")


def create(client, answers: dict = SAAS) -> str:
    response = client.post(
        "/api/v1/assessments", {"answers": answers}, content_type="application/json"
    )
    assert response.status_code == 201
    return response.json()["id"]


def download(client, url: str, **headers: str) -> tuple[object, bytes]:
    response = client.get(url, **headers)
    return response, b"".join(
        response.streaming_content
    ) if response.streaming else response.content


def unzip(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.django_db
def test_records_zip_unpacks_into_docs_decisions_numbered_from_start(client):
    assessment_id = create(client)

    response, data = download(client, f"/api/v1/assessments/{assessment_id}/records.zip?start=42")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="acme-invoicing-decisions.zip"'
    files = unzip(data)
    records = sorted(name for name in files if RECORD_NAME.fullmatch(name))
    assert sorted(set(files) - set(records)) == [
        "docs/decisions/README.md",
        "docs/decisions/architecture.mmd",
        "docs/decisions/architecture.svg",
    ]
    numbers = [int(RECORD_NAME.fullmatch(name).group(1)) for name in records]
    decisions = Assessment.objects.get(id=assessment_id).result["decisions"]
    assert numbers == list(range(42, 42 + len(decisions)))
    index = files["docs/decisions/README.md"].decode()
    assert all(name.removeprefix("docs/decisions/") in index for name in records)
    assert "![Architecture diagram of Acme Invoicing](architecture.svg)" in index
    assert files["docs/decisions/architecture.svg"].startswith(b"<svg ")
    assert files["docs/decisions/architecture.mmd"].startswith(b"---\ntitle:")


@pytest.mark.django_db
def test_records_link_the_assessment_and_carry_the_decision_makers(client):
    assessment_id = create(client)
    url = f"/api/v1/assessments/{assessment_id}/records.zip?decision_makers=Ada%20Lovelace,%20Bob"

    _, data = download(client, url)

    first = next(v.decode() for k, v in sorted(unzip(data).items()) if k.endswith(".md"))
    assert 'decision-makers: "Ada Lovelace, Bob"' in first
    assert f"[the assessment](http://testserver/a/{assessment_id}/)" in first


@pytest.mark.django_db
def test_nygard_format_is_chosen_by_the_format_parameter(client):
    assessment_id = create(client)

    _, data = download(client, f"/api/v1/assessments/{assessment_id}/records.zip?format=nygard")

    first = unzip(data)["docs/decisions/0001-backend-for-frontend-clients-call-the-api-directly.md"]
    assert headings(first.decode())[0] == (
        1,
        "1. Backend-for-Frontend: Clients call the API directly",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=docx", "format"),
        ("start=0", "start"),
        ("start=abc", "start"),
        ("start=9999", "start"),
        ("supersedes=1", "supersedes"),
        ("decision_makers=" + "a" * 301, "decision_makers"),
        ("colour=blue", "colour"),
    ],
)
def test_bad_query_parameters_are_400_in_the_error_shape(client, query, field):
    assessment_id = create(client)

    response = client.get(
        f"/api/v1/assessments/{assessment_id}/records.zip?{query}", HTTP_ACCEPT="application/zip"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["error"]["fields"]) == [field]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["records.zip", "report.md", "result.json"])
def test_an_unknown_assessment_is_404_in_the_error_shape(client, suffix):
    response = client.get(f"/api/v1/assessments/{'x' * 22}/{suffix}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_report_md_is_a_markdown_download(client):
    assessment_id = create(client)

    response, data = download(client, f"/api/v1/assessments/{assessment_id}/report.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acme-invoicing-report.md"'
    text = data.decode()
    assert headings(text)[0] == (1, "Architecture report for Acme Invoicing")
    assert re.search(r"^- \[ \] ", text, re.MULTILINE)
    assert [h for level, h in headings(text) if level == 4][:4] == [
        "Why",
        "Alternatives",
        "Trade-offs",
        "Revisit when",
    ]


@pytest.mark.django_db
def test_result_json_is_the_stored_result(client):
    assessment_id = create(client)

    response, data = download(client, f"/api/v1/assessments/{assessment_id}/result.json")

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="acme-invoicing-result.json"'
    assert json.loads(data) == Assessment.objects.get(id=assessment_id).result


@pytest.mark.django_db
def test_a_hostile_project_name_gives_a_safe_encoded_download_name(client):
    assessment_id = create(client, {**SAAS, "project_name": "Acme\"; filename*=UTF-8''evil.html"})

    response, _ = download(client, f"/api/v1/assessments/{assessment_id}/report.md")

    assert response["Content-Disposition"] == (
        'attachment; filename="acme-filename-utf-8-evil-html-report.md"'
    )


@pytest.mark.django_db
def test_a_rerun_supersedes_the_changed_decisions_of_the_earlier_records(client):
    parent = services.create_assessment(answers=SAAS)
    changed = {**SAAS, "frontend_team_per_client": True}
    result = services.recommend(changed).to_dict()
    rerun = Assessment.objects.create(
        pack_version=parent.pack_version,
        parent=parent,
        origin=Assessment.Origin.RERUN,
        answers=result["answers"],
        result=result,
    )
    url = f"/api/v1/assessments/{rerun.id}/records.zip?start=20&supersedes=1"

    response, data = download(client, url)

    assert response.status_code == 200
    files = unzip(data)
    before = {d["id"]: d["option"] for d in parent.result["decisions"]}
    changed_ids = [d["id"] for d in result["decisions"] if before[d["id"]] != d["option"]]
    assert len(files) == len(changed_ids) + 3  # the index and the diagram too
    bff = next(v for k, v in files.items() if k.startswith("docs/decisions/0020-backend-for"))
    assert 'status: "proposed, supersedes ADR-0001"' in bff.decode()
    overlapping = client.get(f"/api/v1/assessments/{rerun.id}/records.zip?start=5&supersedes=1")
    assert overlapping.status_code == 400
    assert list(overlapping.json()["error"]["fields"]) == ["start"]


@pytest.mark.django_db
def test_without_graphviz_the_records_say_why_and_keep_the_mermaid_diagram(
    client, monkeypatch, tmp_path
):
    assessment_id = create(client)
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without `dot`

    response, data = download(client, f"/api/v1/assessments/{assessment_id}/records.zip")
    _, report = download(client, f"/api/v1/assessments/{assessment_id}/report.md")

    assert response.status_code == 200
    files = unzip(data)
    assert "docs/decisions/architecture.svg" not in files
    assert "docs/decisions/architecture.mmd" in files
    index = files["docs/decisions/README.md"].decode()
    assert "The diagram could not be drawn here: " in index
    assert "architecture.svg" not in index
    assert "```mermaid" in report.decode()
    assert "diagram.svg" not in report.decode()


@pytest.mark.django_db
def test_records_of_a_rerun_on_a_new_pack_supersede_the_earlier_record(
    client, publish_changed_pack
):
    one_web_app = {"clients": ["web"], "backend_teams": 1, "architecture_style": "monolith"}
    first = create(client, one_web_app)
    publish_changed_pack()
    rerun = client.post(f"/api/v1/assessments/{first}/rerun").json()["assessment"]["id"]

    _, data = download(client, f"/api/v1/assessments/{rerun}/records.zip?start=12&supersedes=1")

    files = unzip(data)
    records = [name for name in files if RECORD_NAME.fullmatch(name)]
    assert records == ["docs/decisions/0012-backend-for-frontend-one-shared-aggregation-layer.md"]
    front = files[records[0]].decode()
    assert 'status: "proposed, supersedes ADR-0001"' in front
    assert "[ADR-0001](0001-backend-for-frontend-clients-call-the-api-directly.md)" in front
    index = files["docs/decisions/README.md"].decode()
    assert "* ADR-0002: API style for your own frontends: " in index


@pytest.mark.django_db
def test_sources_in_records_link_to_their_anchor_on_the_sources_page(client):
    assessment_id = create(client)

    _, data = download(client, f"/api/v1/assessments/{assessment_id}/records.zip")

    text = b"".join(v for k, v in unzip(data).items() if k.endswith(".md")).decode()
    links = set(re.findall(r"\]\(http://testserver/sources/#([\w-]+)\)", text))
    assert "faq-bff" in links
    page = client.get("/sources/").content.decode()
    assert all(f'id="{key}"' in page for key in links)
