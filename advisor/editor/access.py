"""Who may use the editor pages: signed in (else the sign-in page) and an editor (else 403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http.response import HttpResponseBase

from advisor.models import EDIT_PERMISSION

View = Callable[..., HttpResponseBase]


def editor_required(view: View) -> View:
    """Anonymous -> the sign-in page; signed in without the permission -> 403."""
    checked: Callable[..., Any] = permission_required(EDIT_PERMISSION, raise_exception=True)(view)
    return login_required(checked)
