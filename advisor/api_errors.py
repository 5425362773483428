"""One error shape for the whole API: {"error": {"code", "message", "fields"?}}.

DRF's own errors, Django's 404/500 and the body-size limit all end up in this shape, so
clients parse one thing and every field at fault is named by its path.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils import encoders

from advisor.engine import AnswersError
from advisor.engine.answers import field_path
from advisor.packs import PackUnavailable


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"the request body is larger than {limit // 1024} KB")


class Unavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "pack_unavailable"


class AnswersInvalid(exceptions.ValidationError):
    """Answers that do not fit the pack; `fields` are already `answers.<question>` paths."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(fields)
        self.fields = fields


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = key if key != api_settings.NON_FIELD_ERRORS_KEY else "body"
            out.update(_flatten(value, f"{prefix}.{name}" if prefix else str(name)))
        return out
    if isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        return {prefix or "body": [str(d) for d in detail]}
    if isinstance(detail, list):
        out = {}
        for index, value in enumerate(detail):
            out.update(_flatten(value, f"{prefix}[{index}]"))
        return out
    return {prefix or "body": [str(detail)]}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler (for status and headers such as Retry-After), then our body shape."""
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, which names this module,
    # so importing it at the top fails whenever this module is imported before DRF's views.
    from rest_framework.views import exception_handler

    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, AnswersError):
        exc = AnswersInvalid({field_path(f): messages for f, messages in exc.errors.items()})
    elif isinstance(exc, PackUnavailable):
        exc = Unavailable(str(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, AnswersInvalid):
        fields = exc.fields
        message = "the answers do not fit the questionnaire"
    elif isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "the request is not valid"
    else:
        fields = None
        message = str(getattr(exc, "detail", exc))
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    response.data = error_body(code, message, fields)
    return response


# A \uD800-\uDFFF escape: valid JSON, but a character only as half of a surrogate pair.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(data: object) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class BoundedJSONParser(JSONParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE, read without trusting Content-Length.

    A lone surrogate (`"\\ud800"`) parses into a string that cannot be encoded as UTF-8, so
    echoing it back or storing it would fail with a 500: such bodies are refused here.
    """

    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001, ANN201
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise RequestTooLarge()
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge()
        try:
            data = json.loads(body.decode("utf-8"))
            if _SURROGATE_ESCAPE.search(body) and _has_lone_surrogate(data):
                raise exceptions.ParseError(
                    "the body has a lone surrogate escape (such as \\ud800), which is no character"
                )
        except (UnicodeDecodeError, ValueError) as exc:
            raise exceptions.ParseError(f"the body is not valid JSON: {exc}") from None
        except RecursionError:
            raise exceptions.ParseError("the body is nested too deeply") from None
        return data


class WritingThrottle(AnonRateThrottle):
    """Anonymous limit on endpoints that store something; rate read at request time."""

    scope = "writes"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            error_body("not_found", f"no such endpoint: {request.path}"), status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", "something went wrong on our side"), status=500
        )
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler; RequestDataTooBig (raised while reading a body) arrives here too."""
    if _is_api(request) and isinstance(exception, RequestDataTooBig):
        too_large = RequestTooLarge()
        return JsonResponse(error_body(too_large.default_code, str(too_large.detail)), status=413)
    if _is_api(request):
        return JsonResponse(error_body("bad_request", "the request could not be read"), status=400)
    return defaults.bad_request(request, exception)


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson: encoding a recommendation is a large share of a request.

    Compact UTF-8 output; anything orjson does not know (lazy strings, decimals) goes through
    DRF's own encoder.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:  # noqa: ANN001
        if data is None:
            return b""
        return orjson.dumps(data, default=_drf_encoder.default)


_drf_encoder = encoders.JSONEncoder()


class JsonFirstNegotiation(DefaultContentNegotiation):
    """Skip parsing the Accept header in the common cases where JSON is plainly acceptable."""

    def select_renderer(self, request, renderers, format_suffix=None):  # noqa: ANN001, ANN201
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        first = renderers[0]
        by_format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if not by_format and accept in ("*/*", "", first.media_type):
            return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)
