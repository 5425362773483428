"""Middleware every request passes: the request log with its id, and chunked request bodies."""

from __future__ import annotations

import io
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from advisor.logs import request_id

log = logging.getLogger("advisor.requests")

Handler = Callable[[HttpRequest], HttpResponse]
# An id a proxy in front set is kept when it looks like one; anything else is replaced.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_log(get_response: Handler) -> Handler:
    """One line per request: id (also sent back as X-Request-ID), method, path, status, time."""

    def middleware(request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = get_response(request)
            response["X-Request-ID"] = rid
            _log_request(request, response.status_code, started)
            return response
        finally:
            request_id.reset(token)

    return middleware


def _log_request(request: HttpRequest, status: int, started: float) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    log.info(
        "%s %s %s %sms",
        request.method,
        request.path,
        status,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": duration_ms,
        },
    )


def chunked_bodies(get_response: Handler) -> Handler:
    """Read a `Transfer-Encoding: chunked` body, or refuse it with 411.

    Django reads Content-Length bytes, so a chunked body looked empty ("answers: This field is
    required"). A server that de-chunks (gunicorn sets wsgi.input_terminated) lets us read it,
    bounded like any other body; elsewhere the client is told to send a length.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return get_response(request)
        if not request.META.get("wsgi.input_terminated"):
            return _length_required(request)
        body = request.META["wsgi.input"].read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        request.META["CONTENT_LENGTH"] = str(len(body))
        request._stream = io.BytesIO(body)
        return get_response(request)

    return middleware


def _length_required(request: HttpRequest) -> HttpResponse:
    message = "a chunked request body cannot be read here; send it with a Content-Length"
    if request.path.startswith("/api/"):
        body = {"error": {"code": "length_required", "message": message}}
        return JsonResponse(body, status=411)
    return HttpResponse(message, status=411, content_type="text/plain; charset=utf-8")
