"""The REST API under gunicorn, next to a bare Django JSON view and a plain DRF serializer view.

One run starts gunicorn (2 sync workers on loopback, DEBUG off, a throwaway SECRET_KEY and a
temporary SQLite database, migrated first) with the settings of bench/api_site/, which serve the
app's URLs plus the two reference views. wrk then POSTs the same realistic answer set (33
answers) to each endpoint in turn and reports requests/s, median and p99 latency and errors;
two more rows post 1,000 random answer sets one after another, so that parts of results kept
from earlier requests cannot flatter the figure.

Targets (issue 17), as shares of the bare view's requests/s in the same run, with no errors:
POST /api/v1/recommendations?what_if=false >= 75 %, with what-if >= 50 %, ?view=summary >= 85 %
(PRODUCT.md §10 asked for 50 % without what-if). A miss is printed, not fatal.

The figures are written into the "## API (under gunicorn)" section of docs/benchmarks.md.
Usage: .venv/bin/python bench/bench_api.py [--seconds 10] [--no-docs]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # advisor

from answer_sets import API_ANSWERS as ANSWERS
from timing import ROOT, cpu_model
from varied_answers import varied_answer_sets

from advisor.engine import load_pack

BIN = Path(sys.executable).parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## API (under gunicorn)"
# endpoint key -> (share of the bare view's requests/s it must reach, what it is called)
TARGETS = {
    "recommend": (0.75, "recommendations (what_if=false)"),
    "what_if": (0.50, "recommendations with what-if"),
    "summary": (0.85, "the summary view (?view=summary)"),
}
THREADS, CONNECTIONS = 1, 8

BODY = json.dumps({"answers": ANSWERS}, separators=(",", ":"))


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    path: str
    varied: bool = False  # posts VARIED_COUNT different answer sets in turn, not BODY


RECOMMEND = Endpoint(
    "recommend",
    "POST /api/v1/recommendations?what_if=false",
    "/api/v1/recommendations?what_if=false",
)
BARE = Endpoint("bare", "bare Django view (json.loads -> JsonResponse)", "/bench/bare")
DRF = Endpoint("drf", "DRF APIView + 33-field Serializer", "/bench/drf")
WHAT_IF = Endpoint(
    "what_if", "POST /api/v1/recommendations (with what-if)", "/api/v1/recommendations"
)
SUMMARY = Endpoint(
    "summary",
    "POST /api/v1/recommendations?view=summary",
    "/api/v1/recommendations?view=summary",
)
VARIED_COUNT = 1000
RECOMMEND_VARIED = Endpoint(
    "recommend_varied",
    f"POST /api/v1/recommendations?what_if=false, {VARIED_COUNT:,} answer sets in turn",
    "/api/v1/recommendations?what_if=false",
    varied=True,
)
SUMMARY_VARIED = Endpoint(
    "summary_varied",
    f"POST /api/v1/recommendations?view=summary, {VARIED_COUNT:,} answer sets in turn",
    "/api/v1/recommendations?view=summary",
    varied=True,
)
ENDPOINTS = (RECOMMEND, BARE, DRF, WHAT_IF, SUMMARY, RECOMMEND_VARIED, SUMMARY_VARIED)

# wrk's summary as one JSON line (read back by `wrk()`); every wrk script here ends with it.
DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, " ..
    "\\"connect\\": %d, \\"read\\": %d, \\"write\\": %d, \\"timeout\\": %d, " ..
    "\\"status\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d}\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
"""
LUA = """\
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[%(body)s]==]
""" + DONE.replace("%", "%%")
# One body after another from a table (wrk -t1: one Lua state, so the turn is global).
VARIED_LUA = """\
local bodies = {
%(bodies)s
}
local turn = 0
local headers = {["Content-Type"] = "application/json"}
request = function()
  turn = turn %% #bodies + 1
  return wrk.format("POST", nil, headers, bodies[turn])
end
""" + DONE.replace("%", "%%")


def varied_bodies() -> list[str]:
    """The bodies the varied endpoints post: random answer sets of the default pack, so the
    figure includes building what no earlier request met (see bench/varied_answers.py)."""
    pack = load_pack(ROOT / "rules")
    return [
        json.dumps({"answers": answers}, separators=(",", ":"))
        for answers in varied_answer_sets(pack, VARIED_COUNT)
    ]


def varied_script(bodies: list[str]) -> str:
    if any("]==]" in body for body in bodies):
        raise ValueError("a body would end its Lua long bracket")
    return VARIED_LUA % {"bodies": ",\n".join(f"[==[{body}]==]" for body in bodies)}


@dataclass(frozen=True)
class Result:
    endpoint: Endpoint
    requests: int
    seconds: float
    bytes: int
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    response_bytes: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.api_site.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/api/v1/packs", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


def verify(base: str, bodies: list[str]) -> dict[str, int]:
    """One request each (every varied body for the varied endpoints): each answers 200 with
    JSON; returns the response sizes (the mean for the varied ones)."""
    sizes = {}
    for endpoint in ENDPOINTS:
        if endpoint.varied:
            sizes[endpoint.key] = verify_varied(base, endpoint, bodies)
            continue
        status, content = post(base + endpoint.path, BODY.encode())
        if status != 200:
            sys.exit(f"{endpoint.label}: expected 200, got {status}: {content[:500]!r}")
        data = json.loads(content)
        if endpoint is SUMMARY:
            assert data["view"] == "summary" and data["decisions"], "not a summary"
        elif endpoint in (RECOMMEND, WHAT_IF):
            assert data["answers"] == ANSWERS, "the answer set no longer fits the pack"
            assert all(("what_if" in d) == (endpoint is WHAT_IF) for d in data["decisions"])
        else:
            assert data["answers"]["backend_teams"] == ANSWERS["backend_teams"]
        sizes[endpoint.key] = len(content)
    return sizes


def verify_varied(base: str, endpoint: Endpoint, bodies: list[str]) -> int:
    total = 0
    for body in bodies:
        status, content = post(base + endpoint.path, body.encode())
        if status != 200:
            sys.exit(f"{endpoint.label}: expected 200, got {status} for {body}: {content[:500]!r}")
        total += len(content)
    return total // len(bodies)


def wrk(url: str, script: Path, seconds: int) -> dict[str, int]:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def measure(
    base: str, scripts: dict[bool, Path], seconds: int, rounds: int, sizes: dict[str, int]
) -> list[Result]:
    """`rounds` wrk runs per endpoint, interleaved (the order reversed every other round) so
    that a busy phase of the shared machine does not land on one endpoint; the best round of
    each endpoint is kept (errors are summed over all of them)."""
    for endpoint in ENDPOINTS:
        wrk(base + endpoint.path, scripts[endpoint.varied], 2)  # warm both workers' caches
    runs: dict[str, list[Result]] = {e.key: [] for e in ENDPOINTS}
    for number in range(rounds):
        order = ENDPOINTS if number % 2 == 0 else ENDPOINTS[::-1]
        for endpoint in order:
            raw = wrk(base + endpoint.path, scripts[endpoint.varied], seconds)
            runs[endpoint.key].append(
                Result(
                    endpoint=endpoint,
                    requests=raw["requests"],
                    seconds=raw["duration_us"] / 1e6,
                    bytes=raw["bytes"],
                    non_2xx=raw["status"],
                    socket_errors=raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
                    p50_ms=raw["p50_us"] / 1000,
                    p99_ms=raw["p99_us"] / 1000,
                    response_bytes=sizes[endpoint.key],
                )
            )
            print(f"  round {number + 1}: {endpoint.label}: {runs[endpoint.key][-1].rps:,.0f}/s")
    best = []
    for endpoint in ENDPOINTS:
        results = runs[endpoint.key]
        top = max(results, key=lambda r: r.rps)
        best.append(
            replace(
                top,
                non_2xx=sum(r.non_2xx for r in results),
                socket_errors=sum(r.socket_errors for r in results),
            )
        )
    return best


def breakdown(env: dict[str, str], tmp_dir: Path) -> dict:
    """In-process cost of the parts of a recommendations request (bench/api_site/breakdown.py)."""
    body_file = tmp_dir / "body.json"
    body_file.write_text(BODY, encoding="utf-8")
    command = [sys.executable, "-m", "bench.api_site.breakdown", str(body_file)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the breakdown failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def breakdown_table(parts: dict, results: list[Result]) -> list[str]:
    total = parts["total_us"]
    rows = [
        ("Django, its middleware and the test client: what the bare view costs", parts["bare_us"]),
        *parts["parts_us"].items(),
        ("the rest: the view's dispatch, the response through the middleware", parts["rest_us"]),
    ]
    lines = [
        "| part of POST /api/v1/recommendations?what_if=false | µs per request | share |",
        "|---|---:|---:|",
    ]
    for name, cost in rows:
        lines.append(f"| {name} | {cost:,.0f} | {cost / total:.0%} |")
    lines.append(f"| **in-process total** (Django test client) | **{total:,.0f}** | 100% |")
    by_key = {r.endpoint.key: r for r in results}
    for key, label in (("recommend", "recommendations"), ("bare", "bare view")):
        per_request = (os.cpu_count() or 1) / by_key[key].rps * 1e6
        lines.append(f"| under gunicorn, cores ÷ requests/s: {label} | {per_request:,.0f} | |")
    return lines


def versions() -> str:
    import django
    import gunicorn
    import rest_framework

    wrk_banner = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    wrk_version = wrk_banner.split()[1] if wrk_banner.startswith("wrk ") else "?"
    return (
        f"Python {platform.python_version()}, Django {django.__version__}, "
        f"DRF {rest_framework.__version__}, gunicorn {gunicorn.__version__}, wrk {wrk_version}"
    )


def commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip() or "?"


def machine() -> str:
    return f"{os.cpu_count()} cores ({cpu_model()}), {platform.system()} {platform.release()}"


def table(results: list[Result]) -> list[str]:
    rows = [
        "| endpoint | requests/s | median | p99 | non-2xx | socket errors | response |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r.endpoint.label} | {r.rps:,.0f} | {r.p50_ms:.2f} ms | {r.p99_ms:.2f} ms "
            f"| {r.non_2xx} | {r.socket_errors} | {r.response_bytes / 1024:.1f} KB |"
        )
    return rows


def shares(results: list[Result]) -> dict[str, float]:
    """Each endpoint's requests/s as a share of the bare view's."""
    by_key = {r.endpoint.key: r for r in results}
    return {key: r.rps / by_key["bare"].rps for key, r in by_key.items()}


def verdicts(results: list[Result]) -> list[tuple[str, float, float, bool]]:
    """(what, share, target, met) per target; any error anywhere misses them all."""
    clean = all(r.non_2xx == 0 and r.socket_errors == 0 for r in results)
    share = shares(results)
    return [
        (label, share[key], target, clean and share[key] >= target)
        for key, (target, label) in TARGETS.items()
    ]


def verdict_lines(results: list[Result]) -> list[str]:
    return [
        f"{'PASS' if met else 'MISS'}: {label} at {share:.0%} of the bare view "
        f"(target {target:.0%})"
        for label, share, target, met in verdicts(results)
    ]


def server_sentence(script: str, settings: str) -> str:
    """How a wrk benchmark serves the app, for its section of docs/benchmarks.md."""
    return (
        f"`{script}` starts gunicorn (2 sync workers on 127.0.0.1, `DEBUG=0`, a temporary "
        f"SQLite database migrated first) with `{settings}`:"
    )


def para(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=100, break_on_hyphens=False)


def section(
    results: list[Result],
    seconds: int,
    rounds: int,
    load: float,
    parts: dict | None,
) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        SECTION,
        "",
        para(
            f"""{server_sentence("bench/bench_api.py", "bench/api_site/settings.py")} the
            app's URLs plus two reference views. wrk POSTs the same realistic answer set (33
            answers, {len(BODY.encode())} bytes of JSON) to each endpoint, except the two rows
            "answer sets in turn", which post {VARIED_COUNT:,} random answer sets of the default
            pack one after another (`bench/varied_answers.py`, 840 bytes on average), so their
            figure includes the parts of a result that no earlier request met. A 2 s warm-up
            each, then {rounds} rounds of one wrk run per endpoint, interleaved; each row is the
            endpoint's best round (errors are counted over all rounds)."""
        ),
        "",
        "```sh",
        ".venv/bin/python bench/bench_api.py   # run by `make bench`",
        f"# each endpoint: wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s --latency -s post.lua URL",
        "```",
        "",
        para(
            f"""Measured {today} at commit `{commit()}` on {machine()}; {versions()}. 1-minute
            load average {load:.2f} at the start. wrk runs on the same 2 cores as the 2 gunicorn
            workers, so every figure is lower than with a separate load generator; the
            comparison between rows is what counts."""
        ),
        "",
        *table(results),
        "",
        para(
            """Targets (issue 17): shares of the bare view's requests/s in this run, with no
            errors. The bare view only echoes the body; the API validates 33 answers against
            the stored pack, evaluates every rule, explains 11 decisions and renders a response
            many times larger than the request (the response column)."""
        ),
        "",
        "| target | share of the bare view | result |",
        "|---|---:|---|",
        *(
            f"| {label} >= {target:.0%} | {share:.0%} | {'PASS' if met else 'MISS'} |"
            for label, share, target, met in verdicts(results)
        ),
        "",
    ]
    if parts is not None:
        lines += [
            "### Where the time of a recommendation goes",
            "",
            para(
                """`bench/api_site/breakdown.py` (run by the benchmark) sends the same request
                through Django's test client, all middleware included, with a timer around each
                part below; the fastest of 60 blocks of 25 requests is kept (interleaved with
                bare-view blocks). The last two rows turn the gunicorn figures above into CPU
                time per request (2 cores shared by the workers, wrk and the kernel)."""
            ),
            "",
            *breakdown_table(parts, results),
            "",
            gap(parts, results),
            "",
        ]
    return "\n".join(lines)


def gap(parts: dict, results: list[Result]) -> str:
    """What the target asks for in CPU time per request, against where the time goes."""
    cores = os.cpu_count() or 1
    by_key = {r.endpoint.key: r for r in results}
    api_us, bare_us = (cores / by_key[k].rps * 1e6 for k in ("recommend", "bare"))
    costs = parts["parts_us"]
    result_us = sum(v for k, v in costs.items() if k.startswith("to_json_bytes"))
    view_us = sum(v for k, v in costs.items() if k.startswith("the quick path")) + parts["rest_us"]
    evaluate_us = sum(v for k, v in costs.items() if k.startswith("evaluate"))
    total = parts["total_us"]
    target = TARGETS["recommend"][0]
    budget = bare_us / target
    over = (
        f"{api_us - budget:,.0f} µs over" if api_us > budget else f"{budget - api_us:,.0f} µs under"
    )
    size = by_key["recommend"].response_bytes / 1024
    return para(
        f"""{target:.0%} of the bare view's throughput allows {budget:,.0f} µs per request under
        gunicorn; the recommendation takes {api_us:,.0f} µs, {over}. In-process, building the
        {size:.0f} KB of JSON takes {result_us:,.0f} µs ({result_us / total:.0%}), the view
        around it {view_us:,.0f} µs ({view_us / total:.0%}), and the evaluation itself
        {evaluate_us:,.0f} µs ({evaluate_us / total:.0%})."""
    )


def write_docs(text: str, section: str = SECTION) -> None:
    """Replace a section of docs/benchmarks.md (or add it), leaving every other one alone."""
    if not DOCS.exists():
        DOCS.parent.mkdir(parents=True, exist_ok=True)
        DOCS.write_text(text, encoding="utf-8")
        return
    current = DOCS.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1).rstrip("\n") + "\n"
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    DOCS.write_text(updated, encoding="utf-8")


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """gunicorn with 2 sync workers on loopback, its output in `log`.

    An empty config file keeps the repository's gunicorn.conf.py (`make serve`: gthread with
    8 threads and keep-alive) out, so the figures stay comparable with earlier runs.
    """
    config = log.with_name("gunicorn.bench.conf.py")
    config.write_text("# the command line says it all\n", encoding="utf-8")
    command = [
        str(BIN / "gunicorn"),
        f"--config={config}",
        "advisor.wsgi:application",
        "--workers=2",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    with log.open("w") as log_file:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )


@contextmanager
def serving(env: dict[str, str], tmp_dir: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn up and answering for the block, stopped after it: (its URL, its log)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_dir / "gunicorn.log"
    server = start_server(env, port, log)
    try:
        wait_until_up(base, server, log)
        yield base, log
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def wrk_parser(description: str, *, seconds: int, rounds: int) -> argparse.ArgumentParser:
    """The options of every benchmark that drives a server with wrk."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=int, default=seconds, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=rounds, help="wrk runs per endpoint")
    parser.add_argument("--no-docs", action="store_true", help="do not update the docs")
    return parser


def wrk_missing(benchmark: str) -> bool:
    if shutil.which("wrk") is None:
        print(f"wrk is not installed (make setup installs it); skipping the {benchmark} benchmark")
        return True
    return False


def main() -> int:
    parser = wrk_parser(__doc__.splitlines()[0], seconds=10, rounds=2)
    parser.add_argument(
        "--no-breakdown", action="store_true", help="skip the in-process cost breakdown"
    )
    args = parser.parse_args()
    if wrk_missing("API"):
        return 1

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        tmp_dir = Path(tmp)
        env = server_env(tmp_dir / "bench.sqlite3")
        script = tmp_dir / "post.lua"
        script.write_text(LUA % {"body": BODY}, encoding="utf-8")
        bodies = varied_bodies()
        varied = tmp_dir / "varied.lua"
        varied.write_text(varied_script(bodies), encoding="utf-8")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        with serving(env, tmp_dir) as (base, _):
            sizes = verify(base, bodies)
            print(f"gunicorn on {base}; every endpoint answers 200; measuring…", flush=True)
            load = os.getloadavg()[0]
            results = measure(base, {False: script, True: varied}, args.seconds, args.rounds, sizes)
        parts = None
        if not args.no_breakdown:
            print("in-process breakdown of a recommendations request…", flush=True)
            parts = breakdown(env, tmp_dir)

    print()
    print("\n".join(table(results)))
    print()
    if parts is not None:
        print("\n".join(breakdown_table(parts, results)))
        print()
    print("\n".join(verdict_lines(results)))
    if not args.no_docs:
        write_docs(section(results, args.seconds, args.rounds, load, parts))
        print(f"wrote the '{SECTION}' section of {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
