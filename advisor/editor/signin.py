"""Sign in and out, with failed attempts limited per client address and per user name.

Each failure counts against both keys in the shared cache; past the limit the form is not
even checked until the window ends, so guessing passwords costs a window per few tries.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

FAILURES_ALLOWED = 5
WINDOW_SECONDS = 15 * 60


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    # DRF's client address honours NUM_PROXIES, like the API's throttles.
    address = BaseThrottle().get_ident(request)  # type: ignore[arg-type]
    return f"signin:ip:{address}", f"signin:user:{username.strip().lower()[:150]}"


def is_blocked(request: HttpRequest, username: str) -> bool:
    return any(cache.get(key, 0) >= FAILURES_ALLOWED for key in _keys(request, username))


def count_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


class SignInView(LoginView):
    template_name = "editor/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        if is_blocked(request, username):
            context = {"minutes": WINDOW_SECONDS // 60}
            return render(request, "editor/login_blocked.html", context, status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back: wrong name or password
            count_failure(request, username)
        return response
