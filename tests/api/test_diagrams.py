"""GET /api/v1/assessments/{id}/diagram.svg|.png|.dot|.mmd: the stored assessment's picture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from defusedxml import ElementTree

from advisor.exports import diagrams

ANSWERS = {
    "project_name": "Acme Invoicing",
    "clients": ["web", "mobile"],
    "cloud": "aws",
    "async_jobs": True,
}
HOSTILE_NAMES = [
    'Evil"]; x [image="/etc/passwd"]; <script>alert(1)</script>',
    "<<FONT FACE='x\"/&gt;&lt;script&gt;alert(1)&lt;/script&gt;'>hi</FONT>>",
]


def stored(client, answers: dict = ANSWERS) -> str:
    response = client.post(
        "/api/v1/assessments", {"answers": answers}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def diagram(client, assessment_id: str, fmt: str, **headers: str):
    return client.get(f"/api/v1/assessments/{assessment_id}/diagram.{fmt}", **headers)


@pytest.mark.django_db
def test_the_svg_is_served_with_headers_that_keep_it_inert(client):
    response = diagram(client, stored(client), "svg", HTTP_ACCEPT="image/svg+xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert response["Content-Disposition"] == 'inline; filename="acme-invoicing-architecture.svg"'
    svg = b"".join(response.streaming_content).decode()
    assert svg.startswith("<svg")
    assert "Acme Invoicing" in svg and "Amazon SQS" in svg


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "media", "disposition", "starts"),
    [
        ("png", "image/png", "inline", b"\x89PNG"),
        ("dot", "text/vnd.graphviz; charset=utf-8", "attachment", b"digraph architecture {"),
        ("mmd", "text/plain; charset=utf-8", "attachment", b'---\ntitle: "Acme Invoicing'),
    ],
)
def test_png_dot_and_mermaid_downloads(client, fmt, media, disposition, starts):
    response = diagram(client, stored(client), fmt)

    assert response.status_code == 200
    assert response["Content-Type"] == media
    assert response["Content-Disposition"] == (
        f'{disposition}; filename="acme-invoicing-architecture.{fmt}"'
    )
    assert b"".join(response.streaming_content).startswith(starts)


@pytest.mark.django_db
def test_an_unknown_or_malformed_id_is_a_404_in_the_error_shape(client):
    for assessment_id in ("A" * 22, "short", "%00" * 8):
        response = diagram(client, assessment_id, "svg", HTTP_ACCEPT="image/svg+xml")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_without_graphviz_the_picture_is_a_503_that_says_why(client, monkeypatch, tmp_path: Path):
    assessment_id = stored(client)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on it

    response = diagram(client, assessment_id, "png", HTTP_ACCEPT="image/png")

    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "code": "diagram_unavailable",
            "message": "no diagram: Graphviz (the `dot` program) is not installed here",
        }
    }
    assert diagram(client, assessment_id, "dot").status_code == 200  # text needs no Graphviz


@pytest.mark.django_db
def test_the_second_request_is_served_from_the_cache(client, monkeypatch):
    assessment_id = stored(client)
    runs: list[str] = []
    real_run = diagrams.run_dot

    def counting(source: str, *, fmt: str):
        runs.append(fmt)
        return real_run(source, fmt=fmt)

    monkeypatch.setattr(diagrams, "run_dot", counting)
    first = b"".join(diagram(client, assessment_id, "svg").streaming_content)
    second = b"".join(diagram(client, assessment_id, "svg").streaming_content)

    assert runs == ["svg"]
    assert first == second


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_project_name_reaches_the_svg_as_text_only(client, name):
    response = diagram(client, stored(client, {**ANSWERS, "project_name": name}), "svg")
    root = ElementTree.fromstring(b"".join(response.streaming_content))

    tags = {element.tag.rsplit("}", 1)[-1].lower() for element in root.iter()}
    assert tags.isdisjoint({"script", "image", "foreignobject", "a"})
    assert name in ["".join(element.itertext()) for element in root.iter()]
    assert not any(key.lower().startswith("on") for e in root.iter() for key in e.attrib)


@pytest.mark.django_db
def test_a_hostile_name_gives_a_safe_file_name(client):
    name = "Acme\"; filename*=UTF-8''evil.html"
    response = diagram(client, stored(client, {**ANSWERS, "project_name": name}), "dot")

    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+-architecture\.dot"', disposition)


@pytest.mark.django_db
def test_a_deleted_assessment_is_a_404_even_with_its_picture_in_the_cache(client):
    from advisor.models import Assessment

    assessment_id = stored(client)
    assert diagram(client, assessment_id, "svg").status_code == 200
    Assessment.objects.filter(id=assessment_id).delete()

    assert diagram(client, assessment_id, "svg").status_code == 404
