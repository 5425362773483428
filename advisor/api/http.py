"""HTTP plumbing of the API: the bounded JSON parser, the orjson renderer, content negotiation
and the write throttle."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

import orjson
from django.conf import settings
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils import encoders

from advisor.api.errors import RequestTooLarge, clip

if TYPE_CHECKING:  # rest_framework.views reads the parser setting, which names this module
    from rest_framework.views import APIView

# A \uD800-\uDFFF escape: valid JSON, but a character only as half of a surrogate pair.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(data: object) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class BoundedJSONParser(BaseParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE, read without trusting Content-Length.

    Not a JSONParser subclass on purpose: DRF reads `request.body` first for those, which
    applies Django's limit to every view, so the editor's whole packs (over 256 KB) would be
    refused before its own larger limit is asked.

    A lone surrogate (`"\\ud800"`) parses into a string that cannot be encoded as UTF-8, so
    echoing it back or storing it would fail with a 500: such bodies are refused here.
    """

    media_type = "application/json"

    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        context = parser_context or {}
        # A view may allow more (the editor sends whole packs); the default is Django's limit.
        limit = getattr(context.get("view"), "max_body_bytes", settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        request = context.get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise RequestTooLarge(limit)
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge(limit)
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
    """Anonymous limit on endpoints that store something; rate read at request time.

    DRF's throttle reads the request history, appends and writes it back, so concurrent
    requests (several workers over one Redis) each saw room: 9 of 40 got through a limit of 5.
    This one counts per fixed window with the cache's atomic increment (INCR on Redis).
    """

    scope = "writes"
    window_end = 0.0
    # Set by SimpleRateThrottle.__init__ from the rate (used only when a rate is set).
    num_requests: int
    duration: int

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def allow_request(self, request: Request, view: APIView) -> bool:
        key = self.get_cache_key(request, view)
        if self.rate is None or key is None:
            return True
        # The window opens with a client's first write and lasts `duration` seconds.
        self.cache.add(f"{key}_start", self.timer(), timeout=self.duration)
        self.window_end = float(self.cache.get(f"{key}_start", self.timer())) + self.duration
        return self._count(f"{key}_count") <= self.num_requests

    def _count(self, key: str) -> int:
        self.cache.add(key, 0, timeout=self.duration)
        try:
            return self.cache.incr(key)
        except ValueError:  # expired between add and incr: this request starts a new count
            self.cache.add(key, 1, timeout=self.duration)
            return 1

    def wait(self) -> float:
        return max(self.window_end - self.timer(), 1.0)


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

    def filter_renderers(
        self, renderers: Iterable[BaseRenderer], format: str
    ) -> list[BaseRenderer]:
        """The renderers of ?format=; an unknown format is a 406 naming the ones offered."""
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            offered = ", ".join(sorted({str(renderer.format) for renderer in renderers}))
            raise exceptions.NotAcceptable(
                f"?format={clip(format, 40)} is not offered here; use {offered}"
            )
        return chosen

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
