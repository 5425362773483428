"""gunicorn settings of `make serve`, read from the environment (see docs/deploy.md).

Threaded workers (gthread): a client that sends its body slowly holds one thread, not a whole
worker, and a body that stops arriving for CLIENT_BODY_TIMEOUT seconds ends the request with
408. Forwarded headers (X-Forwarded-Proto) are trusted only with BEHIND_PROXY on, and then only
from the addresses in FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


wsgi_app = "advisor.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 8)
timeout = 30  # a worker that stops answering its master for this long is restarted
graceful_timeout = 30
keepalive = 5
accesslog = None  # advisor.requests logs one line per request, with its id
errorlog = "-"

# Without a proxy nobody may claim the request came over HTTPS; gunicorn's default trusts
# X-Forwarded-Proto from 127.0.0.1, which let a plain-HTTP request skip the HTTPS redirect.
BEHIND_PROXY = _on("BEHIND_PROXY")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if BEHIND_PROXY else ""
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"} if BEHIND_PROXY else {}

CLIENT_BODY_TIMEOUT = _int("CLIENT_BODY_TIMEOUT", 10)


def pre_request(worker: object, req: object) -> None:
    """Bound every socket read of this request, so a stalled body frees its thread."""
    sock = getattr(getattr(req, "unreader", None), "sock", None)
    if sock is not None:
        sock.settimeout(CLIENT_BODY_TIMEOUT)
