"""One error shape for the whole API: {"error": {"code", "message", "fields"?}}.

DRF's own errors, Django's 404/500 and the body-size limit all end up in this shape, so
clients parse one thing and every field at fault is named by its path.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from advisor.engine import AnswersError
from advisor.engine.answers import field_path
from advisor.packs import PackUnavailable

# Errors echo what the client sent (unknown keys, option values): echoes are cut to these
# lengths so a 250 KB key cannot make a 500 KB error.
MAX_PATH_CHARS = 120
MAX_MESSAGE_CHARS = 400


def clip(text: str, limit: int) -> str:
    """`text`, or its start and a note of how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def _clipped(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path, messages in fields.items():
        out.setdefault(clip(path, MAX_PATH_CHARS), []).extend(
            clip(m, MAX_MESSAGE_CHARS) for m in messages
        )
    return out


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    error: dict[str, Any] = {"code": code, "message": clip(message, MAX_MESSAGE_CHARS)}
    if fields:
        error["fields"] = _clipped(fields)
    return {"error": error}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, limit: int | None = None) -> None:
        limit = limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"the request body is larger than {limit // 1024} KB")


class RequestTimeout(exceptions.APIException):
    status_code = status.HTTP_408_REQUEST_TIMEOUT
    default_code = "request_timeout"
    default_detail = "the request body stopped arriving; send it again"


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


def _unreadable(exc: UnreadablePostError) -> exceptions.APIException:
    """A body that stopped arriving (gunicorn's socket timeout) or a connection that broke."""
    cause: BaseException | None = exc
    while cause is not None:  # Django wraps the socket's error once or twice
        if isinstance(cause, TimeoutError):
            return RequestTimeout()
        cause = cause.__cause__
    return exceptions.ParseError("the body could not be read: the connection broke")


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler (for status and headers such as Retry-After), then our body shape."""
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, which names this module,
    # so importing it at the top fails whenever this module is imported before DRF's views.
    from rest_framework.views import exception_handler

    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "not found")
    elif isinstance(exc, UnreadablePostError):
        exc = _unreadable(exc)
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
    _render_as_json_if_negotiation_failed(context)
    return response


def _render_as_json_if_negotiation_failed(context: dict) -> None:
    """DRF then renders with a view's first renderer (YAML for the schema): errors are JSON."""
    from advisor.api.http import FastJSONRenderer

    request = context.get("request")
    if request is not None and getattr(request, "accepted_renderer", None) is None:
        request.accepted_renderer = FastJSONRenderer()
        request.accepted_media_type = FastJSONRenderer.media_type


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
