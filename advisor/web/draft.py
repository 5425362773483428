"""The founder's answers while the questionnaire is in progress, kept in the session.

A refresh, the browser's back button or a closed tab loses nothing: every step posted (and
every live-preview request) updates the draft. Answers are kept as JSON, as the API takes them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.sessions.backends.base import SessionBase

KEY = "assess_draft"


def answers(session: SessionBase) -> dict[str, object]:
    return dict(session.get(KEY, {}).get("answers", {}))


def parent_id(session: SessionBase) -> str | None:
    """The assessment whose answers are being edited, if any."""
    return session.get(KEY, {}).get("parent")


def save(session: SessionBase, *, changes: Mapping[str, object]) -> None:
    """Merge one step's answers into the draft; None removes an answer ("not sure")."""
    draft = dict(session.get(KEY, {}))
    stored = dict(draft.get("answers", {}))
    merged = {k: v for k, v in {**stored, **changes}.items() if v is not None}
    if merged != stored or KEY not in session:
        draft["answers"] = merged
        session[KEY] = draft


def start_editing(session: SessionBase, *, answers: Mapping[str, object], parent: str) -> None:
    session[KEY] = {"answers": dict(answers), "parent": parent}


def clear(session: SessionBase) -> None:
    session.pop(KEY, None)
