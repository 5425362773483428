"""The app under `make serve` on PostgreSQL (and Redis), driven by locust at saturation.

1. Mixed run, 60 s: questionnaire GET, recommendations POST, assessment POST and GET, and a
   bare Django JSON view, all at once. Every 201 is read back afterwards and compared.
2. The same run with one gunicorn worker killed (SIGKILL) at 20 s: the master starts another;
   requests in flight on the killed worker fail, no acknowledged write may be lost.
3. Throughput of recommendations (no what-if) against the bare view: 20 s of each alone.

Traffic goes only to 127.0.0.1. Figures go into the "## Load (locust, make serve on
PostgreSQL)" section of docs/benchmarks.md.
Usage: .venv/bin/python bench/bench_load.py [--seconds 60] [--users 16] [--no-docs]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Load (locust, make serve on PostgreSQL)"
TARGET = 0.5


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p99: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def service_url(*args: str) -> str:
    out = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), *args], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "PORT": str(port),
        "DATABASE_URL": service_url("postgres", "advisor_bench"),
        "REDIS_URL": service_url("redis", "1"),
        "DJANGO_SETTINGS_MODULE": "bench.api_site.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "THROTTLE_WRITES": "1000000/minute",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["make", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"make serve exited:\n{log.read_text()[-3000:]}")
            time.sleep(1)
    sys.exit(f"make serve did not answer in 300 s:\n{log.read_text()[-3000:]}")


def descendants(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    children = [int(p) for p in out.stdout.split()]
    return children + [d for c in children for d in descendants(c)]


def workers_of(server: subprocess.Popen[bytes]) -> list[int]:
    """gunicorn's workers: the processes under make whose parent is the gunicorn master."""
    tree = descendants(server.pid)
    masters = [p for p in tree if _command(p).endswith("gunicorn -c gunicorn.conf.py")]
    return [p for p in tree if masters and _parent(p) == masters[0]]


def _command(pid: int) -> str:
    return subprocess.run(
        ["ps", "-o", "args=", "-p", str(pid)], capture_output=True, text=True
    ).stdout.strip()


def _parent(pid: int) -> int:
    out = subprocess.run(["ps", "-o", "ppid=", "-p", str(pid)], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def locust(url: str, seconds: int, users: int, out: Path, tags: list[str] = ()) -> list[Row]:
    """Run locust headless; its stats rows (the Aggregated row last)."""
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--csv",
        str(out),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    if tags:
        command += ["--tags", *tags]
    env = os.environ | {"BENCH_WRITES_FILE": f"{out}.writes", "PYTHONPATH": str(ROOT)}
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=seconds + 120)
    with open(f"{out}_stats.csv") as handle:
        return [
            Row(
                r["Name"],
                int(r["Request Count"]),
                int(r["Failure Count"]),
                float(r["Requests/s"]),
                float(r["50%"]),
                float(r["99%"]),
            )
            for r in csv.DictReader(handle)
        ]


def lost_writes(url: str, writes_file: Path) -> tuple[int, int]:
    """(writes acknowledged with 201, those not read back identical)."""
    text = writes_file.read_text() if writes_file.exists() else ""
    writes = [json.loads(line) for line in text.splitlines() if line]
    lost = 0
    for assessment_id, body in writes:
        try:
            with urllib.request.urlopen(
                f"{url}/api/v1/assessments/{assessment_id}", timeout=30
            ) as r:
                lost += json.loads(r.read()) != json.loads(body)
        except OSError:
            lost += 1
    return len(writes), lost


def kill_a_worker_at(server: subprocess.Popen[bytes], seconds: float, killed: list[int]) -> None:
    time.sleep(seconds)
    workers = workers_of(server)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        killed.append(workers[0])


def run_all(url: str, server: subprocess.Popen[bytes], args: argparse.Namespace, tmp: Path) -> dict:
    results: dict = {}
    mixed = locust(url, args.seconds, args.users, tmp / "mixed")
    results["mixed"] = (mixed, lost_writes(url, tmp / "mixed.writes"))
    killed: list[int] = []
    killer = threading.Thread(target=kill_a_worker_at, args=(server, 20, killed))
    killer.start()
    kill = locust(url, args.seconds, args.users, tmp / "kill")
    killer.join()
    results["kill"] = (kill, lost_writes(url, tmp / "kill.writes"), killed)
    ratio = {}
    for tag in ("recommendations", "bare", "recommendations", "bare"):
        rows = locust(url, args.ratio_seconds, args.users, tmp / f"only-{tag}", [tag])
        ratio[tag] = max(ratio.get(tag, 0.0), rows[-1].rps)
    results["ratio"] = ratio
    return results


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| endpoint | requests | failures | requests/s | p50 | p99 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        name = "**all**" if r.name == "Aggregated" else r.name
        counts = f"{r.requests:,} | {r.failures} | {r.rps:,.0f}"
        lines.append(f"| {name} | {counts} | {r.p50:.0f} ms | {r.p99:.0f} ms |")
    return lines


def report(results: dict, args: argparse.Namespace, commit: str) -> str:
    mixed, (stored, lost) = results["mixed"]
    kill, (kill_stored, kill_lost), killed = results["kill"]
    ratio = results["ratio"]["recommendations"] / results["ratio"]["bare"]
    errors = mixed[-1].failures
    verdict = "PASS" if errors == 0 and lost == 0 and kill_lost == 0 and ratio >= TARGET else "MISS"
    load = os.getloadavg()[0]
    return "\n".join(
        [
            SECTION,
            "",
            "`bench/bench_load.py` starts `make serve` (gunicorn.conf.py: 2 gthread workers x 8"
            " threads, `DEBUG=0`, JSON request logs) on a throwaway PostgreSQL 15 database with"
            " Redis as the cache, plus the bare view of `bench/api_site/`. Locust (FastHttpUser,"
            f" {args.users} users, no wait, one process) runs on the same 2 cores. The diagram"
            " is the SVG of one of the first five stored assessments (cached after its first"
            " drawing). The founders' result page (/a/<id>/) is not on main yet, so the stored"
            " assessment is read through the API instead.",
            "",
            "```sh",
            f".venv/bin/python bench/bench_load.py --seconds {args.seconds} --users {args.users}"
            "   # run by `make bench`",
            "```",
            "",
            f"Measured {datetime.date.today()} at commit `{commit}`;"
            f" Python {platform.python_version()}, 1-minute load average {load:.1f} at the end"
            " (the machine is shared).",
            "",
            f"### Mixed run, {args.seconds} s",
            "",
            *table(mixed),
            "",
            f"Writes acknowledged with 201: {stored:,}; read back identical: {stored - lost:,};"
            f" **lost: {lost}**.",
            "",
            "### The same run with one worker killed (SIGKILL) at 20 s",
            "",
            *table(kill),
            "",
            f"Killed worker pid {killed[0] if killed else 'none found'};"
            " gunicorn started a new one."
            " Failures are the requests in flight on the killed worker (connection closed);"
            f" none was acknowledged. Writes acknowledged: {kill_stored:,}; **lost: {kill_lost}**.",
            "",
            "### Recommendations against the bare view",
            "",
            f"Each alone for {args.ratio_seconds} s, twice, interleaved; best of each:"
            f" recommendations (no what-if) {results['ratio']['recommendations']:,.0f} requests/s,"
            f" bare view {results['ratio']['bare']:,.0f} requests/s: **{ratio:.0%}** of the bare"
            f" view (target >= {TARGET:.0%}).",
            "",
            f"Result: {errors} errors in the mixed run, {lost} + {kill_lost} lost writes,"
            f" ratio {ratio:.0%}: **{verdict}**.",
            "",
        ]
    )


def write_docs(text: str) -> None:
    content = DOCS.read_text()
    start = content.find(SECTION)
    if start == -1:
        DOCS.write_text(content.rstrip("\n") + "\n\n" + text)
        return
    end = content.find("\n## ", start + len(SECTION))
    DOCS.write_text(content[:start] + text + (content[end + 1 :] if end != -1 else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ratio-seconds", type=int, default=20)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        server = start_server(port, tmp / "serve.log")
        try:
            results = run_all(url, server, args, tmp)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    text = report(results, args, commit)
    print(text)
    if not args.no_docs:
        write_docs(text)
    mixed, (_, lost) = results["mixed"]
    if mixed[-1].failures or lost or results["kill"][1][1]:
        sys.exit(1)


if __name__ == "__main__":
    main()
