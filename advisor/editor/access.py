"""Who may use the editor pages: signed in (else the sign-in page) and an editor (else 403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.decorators import login_required, permission_required

from advisor.models import EDIT_PERMISSION

View = TypeVar("View", bound=Callable[..., object])


def editor_required(view: View) -> View:
    """Anonymous -> the sign-in page; signed in without the permission -> 403."""
    return login_required(permission_required(EDIT_PERMISSION, raise_exception=True)(view))  # type: ignore[return-value]
