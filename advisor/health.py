"""GET /healthz for load balancers and operators: can this app server do its work right now?

It checks what a request needs: the database, the cache (throttle counters and diagrams) and
Graphviz. 200 when all answer, 503 naming the one that does not. Reasons are exception class
names only: a connection error's text can carry host names and user names.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

DOT_TIMEOUT_SECONDS = 5


def database_status() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def cache_status() -> str:
    token = secrets.token_hex(8)
    cache.set("healthz", token, timeout=10)
    return "ok" if cache.get("healthz") == token else "down: the cache did not keep a value"


def graphviz_status() -> str:
    subprocess.run(["dot", "-V"], capture_output=True, check=True, timeout=DOT_TIMEOUT_SECONDS)
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": database_status,
    "cache": cache_status,
    "graphviz": graphviz_status,
}


def _status(check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as exc:  # any failure means "not able to serve", whatever raised it
        return f"down: {type(exc).__name__}"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {name: _status(check) for name, check in CHECKS.items()}
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
