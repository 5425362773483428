"""A Python client generated from the live OpenAPI document works end to end.

openapi-python-client builds the client from /api/schema as served; every public operation is
then called with a plain `Client` (no credentials) against the live server, as an integrator
would. Public operations declare no security requirement, so the generated functions accept a
plain client instead of insisting on an `AuthenticatedClient`.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import get_args

import pytest

from tests.support import REPO

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "advisor_api_client"
CONFIG = (
    f"project_name_override: advisor-api-client\npackage_name_override: {PACKAGE}\n"
    # The generator reads files only as octet-stream (PNG, zip) or text (SVG).
    "content_type_overrides:\n  image/png: application/octet-stream\n"
    "  image/svg+xml: text/plain\n  application/zip: application/octet-stream\n"
)
ANSWERS = {"clients": ["web", "mobile"], "backend_teams": 2, "architecture_style": "monolith"}


@pytest.fixture(scope="module")
def generated(
    live_server, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    """The client package, generated from the schema the live server serves."""
    root = tmp_path_factory.mktemp("client")
    # The server checks its database connection at each request, even for the schema.
    with (
        django_db_blocker.unblock(),
        urllib.request.urlopen(f"{live_server.url}/api/schema?format=json") as response,
    ):
        (root / "openapi.json").write_bytes(response.read())
    (root / "config.yaml").write_text(CONFIG + "post_hooks: []\n")
    generate = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(root / "openapi.json"),
            "--config",
            str(root / "config.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(root / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    assert "Warning" not in generate.stdout + generate.stderr, generate.stdout + generate.stderr
    sys.path.insert(0, str(root))
    try:
        importlib.import_module(f"{PACKAGE}.models")  # so that `generated.models` is there
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def operation(name: str) -> ModuleType:
    """A generated operation module, by tag and operation id: `assessments.assessment_read`."""
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def operations(package: ModuleType) -> set[str]:
    api = importlib.import_module(f"{package.__name__}.api")
    return {
        f"{tag.name}.{op.name}"
        for tag in pkgutil.iter_modules(api.__path__)
        for op in pkgutil.iter_modules([str(Path(api.__path__[0]) / tag.name)])
    }


@pytest.fixture
def client(generated: ModuleType, live_server):
    return generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)


EDITOR_OPERATIONS = {
    "editor.pack_version",
    "editor.pack_validate",
    "editor.pack_simulate",
    "editor.pack_version_create",
    "editor.pack_version_publish",
}


def test_the_client_covers_exactly_the_public_and_editor_operations(generated):
    assert operations(generated) - EDITOR_OPERATIONS == {
        "questionnaire.questionnaire",
        "recommendations.recommend",
        "assessments.assessment_create",
        "assessments.assessment_read",
        "assessments.assessment_rerun",
        "assessments.compare",
        "assessments.assessment_diagram_svg",
        "assessments.assessment_diagram_png",
        "assessments.assessment_diagram_dot",
        "assessments.assessment_diagram_mmd",
        "assessments.assessment_records",
        "assessments.assessment_report",
        "assessments.assessment_result",
        "packs.packs",
        "packs.pack_versions",
        "packs.pack_schema",
    }
    assert operations(generated) >= EDITOR_OPERATIONS


def test_every_public_operation_takes_a_plain_client(generated):
    for name in operations(generated) - EDITOR_OPERATIONS:
        annotation = inspect.signature(operation(name).sync_detailed).parameters["client"]
        # AuthenticatedClient | Client when no credentials are needed; AuthenticatedClient
        # alone when the document asks for a security scheme (as `security: [{}]` did).
        assert generated.Client in get_args(annotation.annotation), f"{name}: {annotation}"


def test_the_editor_operations_ask_for_credentials(generated):
    for name in EDITOR_OPERATIONS:
        annotation = inspect.signature(operation(name).sync_detailed).parameters["client"]
        assert annotation.annotation is generated.AuthenticatedClient or (
            generated.Client not in get_args(annotation.annotation)
        ), f"{name}: {annotation}"


@pytest.mark.django_db(transaction=True)
def test_questionnaire(client):
    questionnaire = operation("questionnaire.questionnaire").sync(client=client)
    assert questionnaire.pack.id == "default"
    assert {q.id for q in questionnaire.questions} >= set(ANSWERS)
    assert {q.step for q in questionnaire.questions} <= {s.id for s in questionnaire.steps}


@pytest.mark.django_db(transaction=True)
def test_recommend(client, generated):
    models = generated.models
    body = models.AnswersInputRequest(answers=models.AnswersInputRequestAnswers.from_dict(ANSWERS))
    result = operation("recommendations.recommend").sync(client=client, body=body)
    assert isinstance(result, models.RecommendationOut)
    assert result.answers.to_dict() == ANSWERS
    assert result.decisions
    assert all(isinstance(d.what_if, list) for d in result.decisions)
    plain = operation("recommendations.recommend").sync(client=client, body=body, what_if=False)
    assert all(not d.what_if for d in plain.decisions)


@pytest.mark.django_db(transaction=True)
def test_create_then_read_an_assessment(client, generated):
    models = generated.models
    body = models.AnswersInputRequest(answers=models.AnswersInputRequestAnswers.from_dict(ANSWERS))
    created = operation("assessments.assessment_create").sync_detailed(client=client, body=body)
    assert created.status_code == 201
    assessment = created.parsed
    assert isinstance(assessment, models.AssessmentOut)
    assert created.headers["location"] == assessment.links.self_
    read = operation("assessments.assessment_read").sync(assessment_id=assessment.id, client=client)
    assert isinstance(read, models.AssessmentOut)
    assert (read.id, read.answers.to_dict()) == (assessment.id, ANSWERS)
    assert read.result.to_dict() == assessment.result.to_dict()


# Each download and bytes near its start that say what it is.
DOWNLOADS = {
    "assessment_diagram_svg": b"<svg ",
    "assessment_diagram_png": b"\x89PNG",
    "assessment_diagram_dot": b"digraph",
    "assessment_diagram_mmd": b"\nflowchart LR",
    "assessment_records": b"PK\x03\x04",
    "assessment_report": b"# ",
    "assessment_result": b"{",
}


@pytest.mark.django_db(transaction=True)
def test_every_download_of_an_assessment(client, generated):
    models = generated.models
    body = models.AnswersInputRequest(answers=models.AnswersInputRequestAnswers.from_dict(ANSWERS))
    assessment = operation("assessments.assessment_create").sync(client=client, body=body)
    for name, start in DOWNLOADS.items():
        got = operation(f"assessments.{name}").sync_detailed(
            assessment_id=assessment.id, client=client
        )
        assert got.status_code == 200, name
        assert start in got.content[:200], name


@pytest.mark.django_db(transaction=True)
def test_rerun_then_compare(client, generated):
    models = generated.models
    body = models.AnswersInputRequest(answers=models.AnswersInputRequestAnswers.from_dict(ANSWERS))
    original = operation("assessments.assessment_create").sync(client=client, body=body)
    rerun = operation("assessments.assessment_rerun").sync(assessment_id=original.id, client=client)
    assert isinstance(rerun, models.RerunOut)
    compared = operation("assessments.compare").sync(
        client=client, a=original.id, b=rerun.assessment.id
    )
    assert isinstance(compared, models.ComparisonOut)
    assert (compared.a.id, compared.differing_decisions) == (original.id, 0)


@pytest.mark.django_db(transaction=True)
def test_a_400_is_parsed_as_the_error_shape(client, generated):
    models = generated.models
    body = models.AnswersInputRequest(
        answers=models.AnswersInputRequestAnswers.from_dict({"clients": ["fax"]})
    )
    response = operation("recommendations.recommend").sync_detailed(client=client, body=body)
    assert response.status_code == 400
    error = response.parsed
    assert isinstance(error, models.ErrorOut)
    assert error.error.code == "invalid"
    assert list(error.error.fields.to_dict()) == ["answers.clients[0]"]


@pytest.mark.django_db(transaction=True)
def test_packs_their_versions_and_the_pack_schema(client, generated):
    [pack] = operation("packs.packs").sync(client=client)
    assert (pack.id, pack.published_version) == ("default", 1)
    versions = operation("packs.pack_versions").sync(pack_id=pack.id, client=client)
    assert [(v.number, v.status.value) for v in versions] == [(1, "published")]
    missing = operation("packs.pack_versions").sync(pack_id="nope", client=client)
    assert isinstance(missing, generated.models.ErrorOut)
    schema = operation("packs.pack_schema").sync(client=client)
    assert json.loads(json.dumps(schema.to_dict()))["title"].startswith("Architecture Decision")
