"""HTTP plumbing of the API: the bounded JSON parser, the orjson renderer, content negotiation
and the write throttle."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any

import orjson
from django.conf import settings
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils import encoders

from advisor.api.errors import RequestTooLarge

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

    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
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
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson: encoding a recommendation is a large share of a request.

    Compact UTF-8 output; anything orjson does not know (lazy strings, decimals) goes through
    DRF's own encoder.
    """

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_drf_encoder.default)


_drf_encoder = encoders.JSONEncoder()


class JsonFirstNegotiation(DefaultContentNegotiation):
    """Skip parsing the Accept header in the common cases where JSON is plainly acceptable."""

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        first = next(iter(renderers))  # DRF passes a list: nothing is consumed
        by_format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if not by_format and accept in ("*/*", "", first.media_type):
            return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)


class DownloadNegotiation(BaseContentNegotiation):
    """For views that answer with a file: errors are always JSON, and `?format=` is the
    view's own parameter (the records' format), not DRF's renderer override."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
