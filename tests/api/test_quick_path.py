"""POST /api/v1/recommendations: well-formed requests skip DRF's machinery (advisor/api/quick.py)
and get exactly what the DRF view gives; everything else still goes through DRF."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from rest_framework.views import APIView

from advisor.engine import load_pack
from advisor.models import PackVersion
from tests.engine.test_properties import PACKS

URL = "/api/v1/recommendations"
# An Accept header that is fine for JSON but not one the quick path knows: DRF answers it.
THROUGH_DRF = {"HTTP_ACCEPT": "application/json;q=1"}
# Headers that differ per response whatever the path
PER_RESPONSE = {"X-Request-ID", "Content-Security-Policy"}
QUERIES = ["", "?what_if=false", "?what_if=0", "?view=summary", "?view=full&what_if=TRUE"]


def post(client, body: str | bytes, query: str = "", **extra):
    return client.post(URL + query, body, content_type="application/json", **extra)


def comparable(response) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in response.headers.items() if k not in PER_RESPONSE}
    return response.status_code, headers, response.content


def body(answers: object) -> str:
    return json.dumps({"answers": answers})


def drf_never_runs() -> mock._patch:
    """Fails the request if DRF's request handling (negotiation, auth, permissions) starts."""
    return mock.patch.object(APIView, "initial", side_effect=AssertionError("DRF ran"))


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_the_quick_path_gives_the_drf_views_bytes_and_headers_for_every_scenario(client, query):
    scenarios = load_pack(PACKS["default"]).scenarios
    for scenario in [*scenarios[::6], None]:
        sent = body(scenario.answers if scenario else {})
        with drf_never_runs():
            quick = post(client, sent, query)
        assert quick.status_code == 200
        assert comparable(quick) == comparable(post(client, sent, query, **THROUGH_DRF))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"backend_teams": "three"}, "answers.backend_teams"),
        ({"clients": ["web", "fax"]}, "answers.clients[1]"),
        ({"no_such_question": 1}, "answers.no_such_question"),
    ],
)
def test_answers_that_do_not_fit_get_drfs_error_without_drfs_request_handling(
    client, answers, field
):
    with drf_never_runs():
        quick = post(client, body(answers))
    assert quick.status_code == 400
    assert field in quick.json()["error"]["fields"]
    assert comparable(quick) == comparable(post(client, body(answers), **THROUGH_DRF))


@pytest.mark.django_db
def test_no_published_pack_is_the_same_503_either_way(client):
    PackVersion.objects.filter(status=PackVersion.Status.PUBLISHED).update(
        status=PackVersion.Status.DRAFT
    )
    from advisor.packs import cache

    cache.published.clear()
    with drf_never_runs():
        quick = post(client, body({}))
    assert quick.status_code == 503
    assert comparable(quick) == comparable(post(client, body({}), **THROUGH_DRF))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "query", "extra", "status"),
    [
        ('{"answers": {"project_name": "\\ud800"}}', "", {}, 400),  # lone surrogate
        ('{"answers": {"peak_rps": NaN}}', "", {}, 400),  # not JSON for orjson
        ('{"answers": {}, "extra": 1}', "", {}, 400),  # not the plain envelope
        ('{"answers": {"peak_rps": 123456789012345678901}}', "", {}, 400),
        ('{"answers": []}', "", {}, 400),
        ("[1, 2]", "", {}, 400),
        ("{}", "?what_if=maybe", {}, 400),
        (body({}), "?view=short", {}, 400),
        (body({}), "?what_if=false&what_if=true", {}, 200),  # repeated: DRF reads the last
        (body({}), "?format=json", {}, 200),
        (body({}), "?what_if=%66alse", {}, 200),  # percent-encoded
        (body({}), "?view=summary&view=full", {}, 200),
        ('{"answers": {"peak_rps": 12.5}}', "", {}, 400),  # a float
        (body({}), "", {"HTTP_ACCEPT": "text/html"}, 406),
        (body({}), "", {"HTTP_ACCEPT": "application/json, text/plain"}, 200),
    ],
)
def test_other_requests_go_through_drf_as_before(client, sent, query, extra, status):
    original = APIView.initial
    with mock.patch.object(APIView, "initial", autospec=True, side_effect=original) as initial:
        response = post(client, sent, query, **extra)
    assert initial.called
    assert response.status_code == status, response.content[:300]
    if status != 200:
        assert "error" in response.json()


@pytest.mark.django_db
def test_an_integer_beyond_64_bits_is_read_as_drfs_parser_reads_it(client):
    huge = '{"answers": {"peak_rps": 99999999999999999999999}}'
    error = post(client, huge).json()["error"]
    assert error["fields"]["answers.peak_rps"] == [
        "99999999999999999999999 is above the maximum of 10000000"
    ]


@pytest.mark.django_db
def test_a_declared_charset_other_than_utf8_goes_through_drf(client):
    sent = json.dumps({"answers": {"project_name": "Café"}}, ensure_ascii=False)
    original = APIView.initial
    with mock.patch.object(APIView, "initial", autospec=True, side_effect=original) as initial:
        response = client.post(
            URL,
            sent,
            content_type="application/json; charset=latin-1",  # sent as Latin-1
        )
    assert initial.called
    assert response.status_code == 400  # DRF's parser reads UTF-8 only, and says so
    assert "not valid JSON" in response.json()["error"]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ('{"a": ', "}")])
def test_answers_nested_deeper_than_pythons_json_reads_get_drfs_400(client, opening, closing):
    """orjson reads 1,000 levels; Python's json (DRF's parser) refuses them as too deep."""
    nested = opening * 1000 + "1" + closing * 1000
    sent = '{"answers": {"peak_rps": ' + nested + "}}"
    response = post(client, sent)
    assert response.status_code == 400
    assert comparable(response) == comparable(post(client, sent, **THROUGH_DRF))


@pytest.mark.django_db
@pytest.mark.parametrize("length", ["\u00b2", "9" * 5000])
def test_a_content_length_that_is_not_a_plain_number_goes_through_drf(client, length):
    response = post(client, body({}), CONTENT_LENGTH=length)
    assert response.status_code == 400
    assert "error" in response.json()
