"""Live validation in the rule editor: the server's time for one check after a keystroke.

The editor POSTs every file of the pack to /api/v1/packs/default/validate after each pause in
typing. This script times that request in-process (Django's test client, so the figure is
the server's work: middleware, session and permission check, JSON parsing, the check itself
and the JSON answer, with no network), on a temporary SQLite database, signed in as an editor.

Rows, interleaved round by round:
- one-character edit: each request inserts one character into the next file's first line
  (a comment, so the pack stays valid), cumulatively, as typing does; every file gets its turn.
- one-character edit of decisions.yaml: the largest file (43 KB), edited every time.
- nothing changed: the same files again (the whole check is cached by fingerprint).
- whole pack, nothing cached: every cache cleared before the request; what a check would
  cost without compiling only what changed (timed in its own loop after the others, since
  clearing the caches between them would make every row cold).

Wall-clock and CPU time are both reported: on a shared machine the wall clock includes the
time spent waiting for a core, the CPU time is the request's own work.

Target: median wall-clock time of the one-character edit under 100 ms on this machine. A
miss is reported, not fatal.
Usage: .venv/bin/python bench/bench_editor.py [--rounds 30] [--json PATH]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import string
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import (
    Target,
    add_repo_root_to_path,
    fmt_time,
    print_header,
    print_targets,
    summarize,
    table,
    write_json,
)

TARGET_MS = 100
URL = "/api/v1/packs/default/validate"


def setup_django(folder: str) -> None:
    add_repo_root_to_path()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Typist:
    """Inserts one character at a time into the first line of a file, file after file."""

    def __init__(self, files: dict[str, str], names: list[str]) -> None:
        self.files = dict(files)
        self.names = names
        self.count = 0

    def keystroke(self) -> dict[str, str]:
        name = self.names[self.count % len(self.names)]
        char = string.ascii_lowercase[self.count % 26]
        text = self.files[name]
        cut = text.index("\n") if text.startswith("#") else 0
        prefix = "" if text.startswith("#") else "#"
        self.files[name] = text[:cut] + prefix + char + text[cut:]
        self.count += 1
        return self.files


def make_calls() -> tuple[list[str], list[Callable[[], object]], Callable[[], object]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from advisor.models import ensure_editors_group
    from advisor.packs import clear_caches, published_version

    user = User.objects.create_user("bench-editor")
    user.groups.add(ensure_editors_group())
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    files = dict(published_version().files)

    def post(body: dict[str, str]) -> None:
        response = client.post(URL, json.dumps({"files": body}), content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        assert response.json()["valid"], response.json()["problems"][:3]

    every_file, largest = Typist(files, sorted(files)), Typist(files, ["decisions.yaml"])

    labels = [
        "one-character edit (each file in turn)",
        "one-character edit of decisions.yaml (43 KB)",
        "nothing changed",
    ]
    calls = [
        lambda: post(every_file.keystroke()),
        lambda: post(largest.keystroke()),
        lambda: post(files),
    ]

    def cold() -> None:
        clear_caches()
        post(files)

    return labels, calls, cold


def time_with_cpu(
    calls: list[Callable[[], object]], rounds: int, warmup: int
) -> tuple[list[list[int]], list[list[int]]]:
    """Wall-clock and CPU time (this thread's) of each call, interleaved round by round.

    On a shared machine the wall clock includes waiting for a core; the CPU time is the work.
    """
    for _ in range(warmup):
        for call in calls:
            call()
    wall: list[list[int]] = [[] for _ in calls]
    cpu: list[list[int]] = [[] for _ in calls]
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for index, call in enumerate(calls):
                start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
                call()
                cpu[index].append(time.thread_time_ns() - start_cpu)
                wall[index].append(time.perf_counter_ns() - start)
    finally:
        gc.enable()
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", default=None, help="save the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        print_header("Rule editor: live validation of the default pack (in-process)")
        labels, calls, cold = make_calls()
        samples, cpu = time_with_cpu(calls, args.rounds, warmup=3)
        # Timed on its own: clearing the caches between the rows above would make them cold too.
        cold_samples, cold_cpu = time_with_cpu([cold], args.rounds, warmup=1)
        samples, cpu = samples + cold_samples, cpu + cold_cpu
        labels.append("whole pack, nothing cached (timed after the others)")
    stats = [summarize(s) for s in samples]
    cpu_stats = [summarize(s) for s in cpu]
    cold_median = stats[-1].median_ns
    rows = [
        [
            label,
            s.runs,
            fmt_time(s.median_ns),
            fmt_time(s.p95_ns),
            fmt_time(c.median_ns),
            f"{s.median_ns / cold_median:.2f}",
        ]
        for label, s, c in zip(labels, stats, cpu_stats, strict=True)
    ]
    headers = ["request", "runs", "median", "p95", "CPU median", "vs nothing cached"]
    print(table(headers, rows))
    edit = stats[0]
    print_targets(
        [
            Target(
                "validate after a one-character edit",
                fmt_time(edit.median_ns),
                f"median < {TARGET_MS} ms",
                edit.median_ns < TARGET_MS * 1_000_000,
            )
        ]
    )
    write_json(
        args.json,
        {
            "wall": dict(zip(labels, stats, strict=True)),
            "cpu": dict(zip(labels, cpu_stats, strict=True)),
        },
    )


if __name__ == "__main__":
    main()
