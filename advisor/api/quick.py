"""The common case of POST /api/v1/recommendations, answered without DRF's request machinery.

A recommendation is the API's busiest call: the questionnaire's live preview posts one per
change. For a well-formed request (a JSON body that is exactly `{"answers": {...}}`, JSON
acceptable, only the documented query parameters) DRF's Request, content negotiation,
authentication, permission and Response objects have nothing to decide, yet cost about half as
much as the evaluation itself. `recommendation` answers such a request with the same status,
headers and bytes as the DRF view. Anything else returns None (or raises, for answers that do
not fit the pack), and the view hands the request to DRF, so every error keeps its one shape.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from advisor import services

JSON = "application/json"
ACCEPTS_JSON = frozenset(("", "*/*", JSON))
# ?what_if's values (views._what_if reads them too) and ?view's (views.VIEWS)
WHAT_IF = {"true": True, "false": False, "1": True, "0": False}
VIEWS = frozenset(("full", "summary"))
PARAMETERS = frozenset(("what_if", "view"))
PLAIN = frozenset((str, int, bool, type(None)))


def _options(request: HttpRequest) -> tuple[bool, str] | None:
    """(what_if, view) when the query string holds nothing but one valid value of each
    (written plainly: anything percent-encoded is left to DRF)."""
    query = request.META.get("QUERY_STRING", "")
    given: dict[str, str] = {}
    for pair in query.split("&") if query else ():
        key, _, value = pair.partition("=")
        if key not in PARAMETERS or key in given or "%" in pair or "+" in pair:
            return None
        given[key] = value
    what_if = WHAT_IF.get(given.get("what_if", "true").lower())
    view = given.get("view", "full")
    if what_if is None or view not in VIEWS:
        return None
    return what_if, view


def _plain(answers: dict[str, object]) -> bool:
    """Whether every answer is a string, an integer, a boolean, null or a list of strings.

    Anything else is left to DRF's parser, which words it the same way it always has: a float
    (how orjson reads an integer beyond 64 bits, which Python's json reads as an int), and a
    nested list or mapping (orjson accepts nesting that Python's json refuses as too deep).
    """
    for value in answers.values():
        if type(value) is list:
            if not all(type(item) is str for item in value):
                return False
        elif type(value) not in PLAIN:
            return False
    return True


def _plain_json_post(request: HttpRequest) -> bool:
    """A POST of a JSON body of a declared length within the limit, asking for JSON."""
    meta = request.META
    length = meta.get("CONTENT_LENGTH", "")
    return (
        request.method == "POST"
        and request.content_type == JSON
        and (request.content_params or {}).get("charset", "utf-8").lower() == "utf-8"
        and meta.get("HTTP_ACCEPT", "*/*") in ACCEPTS_JSON
        and length.isascii()  # "²".isdigit() is true, int("²") fails
        and length.isdigit()
        and len(length) <= 9
        and 0 < int(length) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )


def recommendation(request: HttpRequest, allow: str) -> HttpResponse | None:
    """The DRF view's response to `request`, or None when DRF should handle it.

    Raises what the DRF view would raise for the same request (AnswersError for answers that do
    not fit, PackUnavailable), for the caller to hand to DRF's exception handling. `allow` is
    the view's Allow header.
    """
    if not _plain_json_post(request):
        return None
    options = _options(request)
    if options is None:
        return None
    try:
        data = orjson.loads(request.body)
    except orjson.JSONDecodeError:  # DRF's parser words the error (or accepts NaN and the like)
        return None
    if type(data) is not dict or len(data) != 1 or type(data.get("answers")) is not dict:
        return None
    answers = data["answers"]
    if not _plain(answers):
        return None
    what_if, view = options
    if view == "summary":  # what-if is not part of the summary: not worked out
        content = orjson.dumps(services.recommend(answers, what_if=False).summary())
    else:
        content = services.recommend(answers, what_if=what_if).to_json_bytes()
    return HttpResponse(content, content_type=JSON, headers={"Allow": allow})
