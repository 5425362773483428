"""The founder's answers while the questionnaire is in progress, kept in a signed cookie.

A refresh, the browser's back button or a closed tab loses nothing: every step posted (and
every live-preview request) writes the draft back. A signed cookie rather than the session
table keeps the live preview free of database writes; the answers are the founder's own, and
the engine checks them again before anything is evaluated or stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "assess_draft"
SALT = "advisor.web.draft"
MAX_AGE = 30 * 24 * 3600  # a month to come back and finish


@dataclass
class Draft:
    answers: dict[str, object] = field(default_factory=dict)
    parent: str | None = None  # the assessment whose answers are being edited
    changed: bool = False

    def merge(self, changes: Mapping[str, object]) -> None:
        """One step's answers over the draft; None removes an answer ("not sure")."""
        merged = {k: v for k, v in {**self.answers, **changes}.items() if v is not None}
        if merged != self.answers:
            self.answers, self.changed = merged, True


def load(request: HttpRequest) -> Draft:
    """The draft of this browser; a missing, expired or tampered cookie is an empty draft."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return Draft()
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return Draft()
    answers = data.get("answers") if isinstance(data, dict) else None
    parent = data.get("parent") if isinstance(data, dict) else None
    return Draft(
        answers if isinstance(answers, dict) else {},
        parent if isinstance(parent, str) else None,
    )


def save(response: HttpResponse, draft: Draft) -> HttpResponse:
    # Compressed URL-safe base64 needs no cookie quoting, which is slow to undo on every read.
    payload = signing.dumps(
        {"answers": draft.answers, "parent": draft.parent}, salt=SALT, compress=True
    )
    response.set_cookie(
        COOKIE,
        payload,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def clear(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE, samesite="Lax")
    return response
