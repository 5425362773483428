"""Where POST /api/v1/recommendations?what_if=false spends its time, measured in-process.

The request goes through Django's test client with all middleware, as under gunicorn. The parts
of the work are wrapped in timers (`perf_counter_ns` around each call, ~0.1 µs each), so their
times add up; "the rest" is what is left of the request once the bare view's cost (Django,
middleware, the test client) and the timed parts are taken away. Blocks of requests to the
API and to the bare view are interleaved; the fastest block of each is kept, since on a shared
machine the minimum is the figure least disturbed by other processes.

bench/bench_api.py runs it with its settings and database and reads the JSON it prints:
    DJANGO_SETTINGS_MODULE=bench.api_site.settings python -m bench.api_site.breakdown BODY_FILE
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import django

django.setup()

from django.test import Client  # noqa: E402

from advisor import services  # noqa: E402
from advisor.api import quick  # noqa: E402
from advisor.engine.evaluate import Recommendation  # noqa: E402

URL = "/api/v1/recommendations?what_if=false"
BLOCKS, REQUESTS = 60, 25

QUICK = "the quick path (advisor/api/quick.py) around them: body, query, JSON parsing, envelope"
# (label, owner, attribute): each is timed on every call during a block.
PARTS = [
    ("evaluate: check the answers, fire the rules, resolve the decisions", services, "evaluate"),
    (
        "to_json_bytes: the result's JSON, from parts encoded once per pack",
        Recommendation,
        "to_json_bytes",
    ),
    (QUICK, quick, "recommendation"),
]


def timed_parts(spent: dict[str, int]) -> ExitStack:
    stack = ExitStack()
    for label, owner, name in PARTS:
        original = getattr(owner, name)

        def timer(*args: object, _f: Callable = original, _label: str = label, **kwargs: object):
            start = time.perf_counter_ns()
            try:
                return _f(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter_ns() - start

        stack.enter_context(mock.patch.object(owner, name, functools.wraps(original)(timer)))
    return stack


def block(client: Client, url: str, body: str) -> int:
    gc.collect()
    start = time.perf_counter_ns()
    for _ in range(REQUESTS):
        response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    return time.perf_counter_ns() - start


def main() -> None:
    body = Path(sys.argv[1]).read_text(encoding="utf-8")
    client = Client(HTTP_HOST="127.0.0.1")  # the benchmark's ALLOWED_HOSTS
    spent = dict.fromkeys((label for label, _, _ in PARTS), 0)
    best_total, best_bare, best_parts = float("inf"), float("inf"), {}
    with timed_parts(spent):
        for number in range(BLOCKS + 1):
            bare = block(client, "/bench/bare", body)
            spent.update(dict.fromkeys(spent, 0))
            total = block(client, URL, body)
            if number:  # block 0 warms everything up
                best_bare = min(best_bare, bare)
                if total < best_total:
                    best_total, best_parts = total, dict(spent)
    per_request = {label: ns / REQUESTS / 1000 for label, ns in best_parts.items()}
    # The quick path's timer includes the evaluation and the JSON, which have their own rows.
    per_request[QUICK] -= per_request[PARTS[0][0]] + per_request[PARTS[1][0]]
    total_us, bare_us = best_total / REQUESTS / 1000, best_bare / REQUESTS / 1000
    print(
        json.dumps(
            {
                "total_us": total_us,
                "bare_us": bare_us,
                "parts_us": per_request,
                "rest_us": total_us - bare_us - sum(per_request.values()),
            }
        )
    )


if __name__ == "__main__":
    main()
