"""Every API error comes in one JSON shape: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory

from advisor import services
from advisor.api.errors import RequestTooLarge, bad_request
from advisor.api.http import BoundedJSONParser

URL = "/api/v1/recommendations"
LIMIT = 256 * 1024

pytestmark = pytest.mark.django_db


def error_of(response, status: int, *, field: str | None = None) -> dict:
    """The error object of `response`, after checking status, media type and shape."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"code", "message", "fields"}
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if "fields" in error:
        assert error["fields"]
        for path, messages in error["fields"].items():
            assert isinstance(path, str)
            assert messages and all(isinstance(m, str) and m for m in messages)
    if field is not None:
        assert field in error.get("fields", {}), error
    return error


def post(client, body: str | bytes, content_type: str = "application/json", url: str = URL):
    return client.post(url, body, content_type=content_type)


def post_answers(client, answers: object, url: str = URL):
    return post(client, json.dumps({"answers": answers}), url=url)


@pytest.mark.parametrize("body", ["nope", "{", '{"answers": }', "{'answers': {}}", ""])
def test_a_body_that_is_not_json_is_a_400(client, body):
    error = error_of(post(client, body), 400)

    assert error["code"] in {"parse_error", "invalid"}


def test_a_body_that_is_not_utf8_is_a_400(client):
    error_of(post(client, b'{"answers": {"project_name": "\xff"}}'), 400)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_body_that_is_not_declared_json_is_a_415(client, content_type):
    error = error_of(post(client, '{"answers": {}}', content_type), 415)

    assert error["code"] == "unsupported_media_type"


def test_many_form_fields_are_refused_without_being_parsed(client):
    body = "&".join(f"field{i}=x" for i in range(1500))

    error_of(post(client, body, "application/x-www-form-urlencoded"), 415)


def test_an_unknown_question_names_the_nearest_id(client):
    error = error_of(post_answers(client, {"backend_team": 2}), 400, field="answers.backend_team")

    assert "did you mean 'backend_teams'?" in error["fields"]["answers.backend_team"][0]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"backend_teams": "two"}, "answers.backend_teams"),
        ({"backend_teams": 2.5}, "answers.backend_teams"),
        ({"backend_teams": True}, "answers.backend_teams"),
        ({"clients": "web"}, "answers.clients"),
        ({"clients": {"web": True}}, "answers.clients"),
        ({"architecture_style": 3}, "answers.architecture_style"),
        ({"architecture_style": ["monolith"]}, "answers.architecture_style"),
        ({"project_name": 5}, "answers.project_name"),
        ({"project_name": ["a"]}, "answers.project_name"),
    ],
)
def test_a_wrong_type_names_the_question(client, answers, field):
    error_of(post_answers(client, answers), 400, field=field)


def test_an_unknown_option_names_its_index(client):
    error = error_of(
        post_answers(client, {"clients": ["web", "carrier_pigeon"]}),
        400,
        field="answers.clients[1]",
    )

    assert "answers.clients[0]" not in error["fields"]
    error_of(post_answers(client, {"clients": ["webb"]}), 400, field="answers.clients[0]")
    error_of(
        post_answers(client, {"architecture_style": "mono"}),
        400,
        field="answers.architecture_style",
    )


def test_an_integer_out_of_range_is_a_400(client):
    maximum = next(
        q["max"]
        for q in client.get("/api/v1/questionnaire").json()["questions"]
        if q["id"] == "backend_teams"
    )

    error_of(post_answers(client, {"backend_teams": 0}), 400, field="answers.backend_teams")
    error_of(post_answers(client, {"backend_teams": -1}), 400, field="answers.backend_teams")
    if maximum is not None:
        too_many = {"backend_teams": maximum + 1}
        error_of(post_answers(client, too_many), 400, field="answers.backend_teams")
    error_of(post_answers(client, {"backend_teams": 10**400}), 400, field="answers.backend_teams")


def test_text_over_its_max_length_is_a_400(client):
    error = error_of(
        post_answers(client, {"project_name": "a" * 121}), 400, field="answers.project_name"
    )

    assert "120" in error["fields"]["answers.project_name"][0]


@pytest.mark.parametrize("text", ["a\x01b", "a\x00b", "a\x1bb", "a\x7fb"])
def test_control_characters_in_text_are_a_400_naming_the_field(client, text):
    error_of(post_answers(client, {"project_name": text}), 400, field="answers.project_name")


def test_a_body_over_256_kb_is_a_413(client):
    body = json.dumps({"answers": {"project_name": "a" * LIMIT}})

    error = error_of(post(client, body), 413)

    assert error["code"] == "request_too_large"
    assert "256 KB" in error["message"]


def test_a_declared_content_length_over_256_kb_is_a_413_before_reading(client):
    response = client.generic(
        "POST", URL, b"{}", content_type="application/json", CONTENT_LENGTH=str(LIMIT + 1)
    )

    error_of(response, 413)


def test_a_body_over_the_limit_is_refused_even_without_a_content_length():
    parser = BoundedJSONParser()
    stream = io.BytesIO(b'"' + b"a" * LIMIT + b'"')

    with pytest.raises(RequestTooLarge):
        parser.parse(stream, "application/json", {})


def test_django_refusing_a_big_body_on_an_api_path_answers_413_json():
    request = RequestFactory().post(URL)

    response = bad_request(request, RequestDataTooBig("too big"))

    error_of(response, 413)


def test_the_assessments_endpoint_refuses_big_bodies_too(client):
    body = json.dumps({"answers": {"project_name": "a" * LIMIT}})

    error_of(post(client, body, url="/api/v1/assessments"), 413)


@pytest.mark.parametrize("body", ["[]", '[{"answers": {}}]', '"answers"', "42", "null", "true"])
def test_a_body_that_is_not_an_object_is_a_400(client, body):
    error_of(post(client, body), 400)


@pytest.mark.parametrize("answers", [[], "clients", 1, None])
def test_answers_that_are_not_an_object_are_a_400(client, answers):
    error_of(post_answers(client, answers), 400, field="answers")


def test_missing_answers_is_a_400(client):
    error_of(post(client, "{}"), 400, field="answers")


def test_extra_top_level_keys_are_a_400_naming_each(client):
    body = json.dumps({"answers": {}, "what_if": False, "pack": "default"})

    error = error_of(post(client, body), 400, field="what_if")

    assert "pack" in error["fields"]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        "[" * 100_000 + "]" * 100_000,
        '{"answers": ' + '{"a": ' * 20_000,
        '{"answers": {"project_name": ' + "[" * 5000 + "]" * 5000 + "}}",
    ],
)
def test_deeply_nested_json_is_a_400_not_a_500(client, body):
    error_of(post(client, body), 400)


def test_nesting_the_parser_accepts_is_refused_by_the_answer_checks(client):
    nested = "[" * 500 + "]" * 500
    body = '{"answers": {"project_name": ' + nested + ', "clients": [' + nested + "]}}"

    error = error_of(post(client, body), 400, field="answers.project_name")

    assert "answers.clients[0]" in error["fields"]


def test_an_unknown_api_path_is_a_404_in_json(client, settings):
    assert settings.DEBUG is False

    for path in ["/api/v1/nope", "/api/v1/questionnaire/", "/api/v2/questionnaire", "/api/"]:
        error = error_of(client.get(path), 404)
        assert error["code"] == "not_found"


def test_an_unknown_page_outside_the_api_stays_html(client):
    response = client.get("/nope")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", URL),
        ("put", URL),
        ("delete", "/api/v1/assessments"),
        ("post", "/api/v1/questionnaire"),
        ("post", "/api/v1/packs"),
    ],
)
def test_a_wrong_method_is_a_405_in_the_shape(client, method, url):
    response = getattr(client, method)(url)

    error = error_of(response, 405)
    assert error["code"] == "method_not_allowed"
    assert response["Allow"]


def test_an_unacceptable_accept_header_is_a_406_in_the_shape(client):
    error_of(client.get("/api/v1/questionnaire", HTTP_ACCEPT="text/html"), 406)


def test_an_unexpected_exception_is_a_500_in_json(client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "recommend", explode)
    client.raise_request_exception = False

    error = error_of(post_answers(client, {}), 500)

    assert error["code"] == "server_error"
    assert "boom" not in error["message"]


def test_more_answers_than_questions_are_refused_before_the_engine_explains_each(client):
    questions = len(client.get("/api/v1/questionnaire").json()["questions"])
    made_up = {f"q{i}": 1 for i in range(20_000)}

    response = post_answers(client, made_up)

    error = error_of(response, 400, field="answers")
    assert error["fields"] == {"answers": [f"20000 answers; the questionnaire has {questions}"]}
    assert len(response.content) < 1000


def test_a_multi_answer_longer_than_its_options_is_refused_whole(client):
    clients = next(
        q for q in client.get("/api/v1/questionnaire").json()["questions"] if q["id"] == "clients"
    )
    options = len(clients["options"])

    assert post_answers(client, {"clients": ["web"] * options}).status_code == 200
    response = post_answers(client, {"clients": [f"w{i}" for i in range(20_000)]})

    error = error_of(response, 400, field="answers.clients")
    assert list(error["fields"]) == ["answers.clients"]
    assert len(response.content) < 1000


@pytest.mark.parametrize(
    "body",
    [
        r'{"answers": {"project_name": "a\ud800b"}}',
        r'{"answers": {"project_name": "\udfff"}}',
        r'{"answers": {"clients": ["\ud800"]}}',
        r'{"answers": {"\ud83d": 1}}',
        r'{"answers": {}, "\ud800": 1}',
    ],
)
@pytest.mark.parametrize("url", [URL, "/api/v1/assessments"])
def test_a_lone_surrogate_escape_is_a_400_not_a_500(client, body, url):
    error = error_of(post(client, body, url=url), 400)

    assert error["code"] == "parse_error"


def test_an_escaped_surrogate_pair_is_a_character(client):
    response = post(client, r'{"answers": {"project_name": "Rocket \ud83d\ude80"}}')

    assert response.status_code == 200
    assert response.json()["answers"]["project_name"] == "Rocket 🚀"


# --- echoes, formats and hidden characters (issue 16, item 6) --------------------------------


def test_a_huge_unknown_key_is_echoed_cut_short(client):
    key = "k" * 250_000

    response = post_answers(client, {key: 1})

    assert len(response.content) < 2_000
    error = error_of(response, 400)
    [(path, [message])] = error["fields"].items()
    assert path.startswith("answers.kkkk") and path.endswith("... (250,008 characters)")
    assert message.endswith("(250,033 characters)")


def test_a_huge_option_value_is_echoed_cut_short(client):
    response = post_answers(client, {"clients": ["w" * 100_000]})

    assert len(response.content) < 2_000
    message = error_of(response, 400, field="answers.clients[0]")["fields"]["answers.clients[0]"]
    assert message[0].startswith("'wwww") and "characters)" in message[0]


@pytest.mark.parametrize("url", ["/api/v1/questionnaire?format=xml", "/api/v1/packs?format=api"])
def test_an_unknown_format_is_a_406_naming_the_formats_offered(client, url):
    error = error_of(client.get(url), 406)

    assert error["code"] == "not_acceptable"
    assert error["message"].endswith("is not offered here; use json")


def test_an_unknown_format_on_a_post_is_a_406_too(client):
    response = post(client, '{"answers": {}}', url=URL + "?format=xml")

    assert error_of(response, 406)["code"] == "not_acceptable"


def test_the_schema_with_a_bogus_format_answers_in_json(client):
    error = error_of(client.get("/api/schema?format=bogus"), 406)

    assert error["message"] == "?format=bogus is not offered here; use json, yaml"


def test_the_schema_formats_still_work(client):
    assert client.get("/api/schema?format=json")["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    assert client.get("/api/schema")["Content-Type"].startswith("application/vnd.oai.openapi")


@pytest.mark.parametrize(
    "name", ["Acme\u202egpj.exe", "Acme\x85", "Acme\x9b[31m", "Acme\ufdd0", "Acme\U0001ffff"]
)
def test_bidi_overrides_c1_controls_and_noncharacters_are_refused(client, name):
    error = error_of(post_answers(client, {"project_name": name}), 400)

    assert list(error["fields"]) == ["answers.project_name"]


def test_ordinary_text_in_any_script_is_kept(client):
    name = "Café Ñandú 日本 \u200fשלום\u200e 😀"
    response = post_answers(client, {"project_name": name})

    assert response.status_code == 200, response.content
    assert response.json()["answers"]["project_name"] == name


SUMMARY = URL + "?view=summary"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field"),
    [
        ("nope", "application/json", 400, None),
        ("answers=1", "application/x-www-form-urlencoded", 415, None),
        (
            json.dumps({"answers": {"clients": ["fax"]}}),
            "application/json",
            400,
            "answers.clients[0]",
        ),
        (json.dumps({"answers": {}, "extra": 1}), "application/json", 400, "extra"),
        ("x" * (LIMIT + 1), "application/json", 413, None),
    ],
)
def test_the_summary_view_errs_in_the_same_shape(client, body, content_type, status, field):
    error_of(post(client, body, content_type, url=SUMMARY), status, field=field)


def test_an_unknown_view_is_a_400_in_the_shape(client):
    error_of(post_answers(client, {}, url=URL + "?view=tiny"), 400, field="view")


def test_the_summary_of_an_unknown_assessment_is_a_404_in_the_shape(client):
    response = client.get("/api/v1/assessments/" + "A" * 22 + "?view=summary")
    error_of(response, 404)
