"""JSON bodies of the editor's live requests (whole packs, so over Django's form limit)."""

from __future__ import annotations

import json

from django.http import HttpRequest

from advisor.packs.checking import MAX_BODY_BYTES, files_problems


class BadBody(Exception):
    """The body is not what the editor's script sends; the message says what is wrong."""


def json_body(request: HttpRequest) -> dict[str, object]:
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise BadBody(f"the request is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadBody("the request is not JSON") from None
    if not isinstance(data, dict):
        raise BadBody("expected a JSON object")
    return data


def files_of(data: dict[str, object]) -> dict[str, str]:
    files = data.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise BadBody("`files` must map file names to text")
    problems = files_problems(files)
    if problems:
        raise BadBody("; ".join(problems[:3]))
    return files
