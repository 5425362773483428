"""The founders' pages under gunicorn: the live preview and the result page, each next to the
request it is measured against.

One run starts gunicorn (2 sync workers on loopback, DEBUG off, a temporary SQLite database,
migrated first) with bench/web_site/settings.py: the app's URLs plus a bare template page.
Before measuring, a client fills the questionnaire's draft with the 33 answers of
bench_api.py, step by step through the real forms, and one assessment is stored.

- The preview: POST /assess/clients/preview as htmx sends it (form body, CSRF header, draft
  cookie), two bodies in turn so that every request changes the draft and rewrites its cookie,
  against POST /api/v1/recommendations?what_if=false with the same answers as JSON.
  Target: the preview at 50 % or more of the API's requests/s.
- The result page: GET /a/<id>/ (warm: the pack compiled, the page's parts rendered once),
  against GET /bench/page, the site's base template filled with paragraphs to the same size.
  Target: the result page at 50 % or more of the bare page's requests/s.

The figures are written into the "## Web pages (under gunicorn)" section of docs/benchmarks.md.
Usage: .venv/bin/python bench/bench_web.py [--seconds 10] [--rounds 2] [--no-docs]
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPResponse
from pathlib import Path

from bench_api import (
    ANSWERS,
    BODY,
    CONNECTIONS,
    DOCS,
    DONE,
    ROOT,
    THREADS,
    commit,
    machine,
    para,
    server_env,
    server_sentence,
    serving,
    versions,
    write_docs,
    wrk,
    wrk_missing,
    wrk_parser,
)

SECTION = "## Web pages (under gunicorn)"
TARGET = 0.5
PREVIEW_STEP = "clients"
# The two preview bodies alternate: a founder ticking and unticking "desktop".
CLIENTS_A = ["web", "mobile", "internal_tools"]
CLIENTS_B = ["web", "mobile", "desktop", "internal_tools"]


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    path: str
    lua: str


@dataclass(frozen=True)
class Result:
    endpoint: Endpoint
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


class Session:
    """Cookies by hand: the session and CSRF cookies are Secure with DEBUG off, and a cookie
    jar would not send them over plain HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> bytes:
        all_headers = {"Cookie": self.cookie_header(), **(headers or {})}
        if data is not None:
            all_headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        request = urllib.request.Request(self.base + path, data=data, headers=all_headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as exc:
            response = exc
        self.keep_cookies(response)
        status = response.status if hasattr(response, "status") else response.code
        if status >= 400:
            raise RuntimeError(f"{path}: HTTP {status}: {response.read()[:500]!r}")
        return response.read()

    def keep_cookies(self, response: HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def form_pairs(answers: dict[str, object]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in answers.items():
        if isinstance(value, bool):
            pairs.append((key, "yes" if value else "no"))
        elif isinstance(value, list):
            pairs += [(key, str(v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return pairs


def fill_draft(session: Session) -> list[str]:
    """Post every step's answers through the step forms; returns the step ids."""
    questionnaire = json.loads(session.request("/api/v1/questionnaire"))
    steps = [s["id"] for s in questionnaire["steps"]]
    session.request(f"/assess/{steps[0]}/")  # the CSRF cookie
    for step in steps:
        mine = {q["id"] for q in questionnaire["questions"] if q["step"] == step}
        shown = ",".join(q["id"] for q in questionnaire["questions"] if q["id"] in mine)
        answers = {k: v for k, v in ANSWERS.items() if k in mine}
        body = urllib.parse.urlencode([*form_pairs(answers), ("__shown", shown), ("go", step)])
        session.request(f"/assess/{step}/", body.encode(), _form_headers())
    return steps


def _form_headers() -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded"}


def preview_bodies() -> list[str]:
    step_answers = {
        k: ANSWERS[k]
        for k in ("project_name", "client_needs_differ", "frontend_team_per_client")
        if k in ANSWERS
    }
    shown = "client_needs_differ,frontend_team_per_client"
    return [
        urllib.parse.urlencode(
            [*form_pairs({**step_answers, "clients": clients}), ("__shown", shown)]
        )
        for clients in (CLIENTS_A, CLIENTS_B)
    ]


def preview_lua(session: Session) -> str:
    bodies = ", ".join(f"[==[{b}]==]" for b in preview_bodies())
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
wrk.headers["X-CSRFToken"] = [==[{session.cookies["csrftoken"]}]==]
wrk.headers["Cookie"] = [==[{session.cookie_header()}]==]
local bodies = {{{bodies}}}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[n % 2 + 1])
end
{DONE}"""


def json_lua() -> str:
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{BODY}]==]
{DONE}"""


def get_lua() -> str:
    return f'wrk.method = "GET"\n{DONE}'


def endpoints(session: Session, assessment_id: str, page_bytes: int) -> list[Endpoint]:
    return [
        Endpoint(
            "preview",
            f"POST /assess/{PREVIEW_STEP}/preview (htmx)",
            f"/assess/{PREVIEW_STEP}/preview",
            preview_lua(session),
        ),
        Endpoint(
            "api",
            "POST /api/v1/recommendations?what_if=false",
            "/api/v1/recommendations?what_if=false",
            json_lua(),
        ),
        Endpoint("result", "GET /a/<id>/ (result page, warm)", f"/a/{assessment_id}/", get_lua()),
        Endpoint(
            "bare",
            "GET /bench/page (bare template page, same size)",
            f"/bench/page?bytes={page_bytes}",
            get_lua(),
        ),
    ]


def run_wrk(base: str, endpoint: Endpoint, tmp_dir: Path, seconds: int) -> Result:
    script = tmp_dir / f"{endpoint.key}.lua"
    script.write_text(endpoint.lua, encoding="utf-8")
    raw = wrk(base + endpoint.path, script, seconds)
    errors = raw["status"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return Result(
        endpoint,
        raw["requests"] / (raw["duration_us"] / 1e6),
        raw["p50_us"] / 1000,
        raw["p99_us"] / 1000,
        errors,
    )


def measure(
    base: str, points: list[Endpoint], tmp_dir: Path, seconds: int, rounds: int
) -> list[Result]:
    """Interleaved rounds (the order reversed every other round); each endpoint's best round,
    with the errors of all rounds."""
    for endpoint in points:
        run_wrk(base, endpoint, tmp_dir, 2)
    runs: dict[str, list[Result]] = {e.key: [] for e in points}
    for number in range(rounds):
        for endpoint in points if number % 2 == 0 else points[::-1]:
            result = run_wrk(base, endpoint, tmp_dir, seconds)
            runs[endpoint.key].append(result)
            print(f"  round {number + 1}: {endpoint.label}: {result.rps:,.0f}/s", flush=True)
    best = []
    for endpoint in points:
        top = max(runs[endpoint.key], key=lambda r: r.rps)
        errors = sum(r.errors for r in runs[endpoint.key])
        best.append(Result(endpoint, top.rps, top.p50_ms, top.p99_ms, errors))
    return best


def ratios(results: list[Result]) -> dict[str, float]:
    by_key = {r.endpoint.key: r.rps for r in results}
    return {
        "preview": by_key["preview"] / by_key["api"],
        "result": by_key["result"] / by_key["bare"],
    }


def table(results: list[Result], sizes: dict[str, int]) -> list[str]:
    rows = [
        "| request | requests/s | median | p99 | errors | response |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r.endpoint.label} | {r.rps:,.0f} | {r.p50_ms:.2f} ms | {r.p99_ms:.2f} ms "
            f"| {r.errors} | {sizes[r.endpoint.key] / 1024:.1f} KB |"
        )
    return rows


def verdicts(results: list[Result]) -> list[tuple[str, float, bool]]:
    clean = all(r.errors == 0 for r in results)
    found = ratios(results)
    return [
        ("preview partial vs the recommendations API", found["preview"], clean),
        ("warm result page vs a bare template page of the same size", found["result"], clean),
    ]


def section(
    results: list[Result], sizes: dict[str, int], seconds: int, rounds: int, load: float
) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        SECTION,
        "",
        para(
            f"""{server_sentence("bench/bench_web.py", "bench/web_site/settings.py")} the
            app's URLs plus a bare template page. A session first fills the questionnaire's
            draft with the 33 answers of `bench_api.py` through the real step forms. The
            preview is posted as htmx posts it (form body, CSRF header, signed draft cookie), with
            two bodies in turn (ticking and unticking one client), so every request also
            rewrites the draft cookie; the API gets the same answers as JSON. The result page is
            a stored assessment of the same answers; the bare page is `base.html` filled with
            paragraphs to the same size. A 2 s warm-up each, then {rounds} interleaved rounds of
            {seconds} s; each row is the best round (errors counted over all rounds)."""
        ),
        "",
        "```sh",
        ".venv/bin/python bench/bench_web.py   # run by `make bench`",
        f"# each request: wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s --latency -s <script> URL",
        "```",
        "",
        para(
            f"""Measured {today} at commit `{commit()}` on {machine()}; {versions()}. 1-minute
            load average {load:.2f} at the start; wrk shares the 2 cores with the workers."""
        ),
        "",
        *table(results, sizes),
        "",
        "| target (same run) | ratio | verdict |",
        "|---|---:|---|",
    ]
    for name, ratio, clean in verdicts(results):
        verdict = "PASS" if ratio >= TARGET and clean else "MISS"
        lines.append(f"| {name} ≥ 50 % | {ratio:.0%} | **{verdict}** |")
    lines.append("")
    return "\n".join(lines)


def prepare(base: str) -> tuple[Session, str, dict[str, int]]:
    """The draft, one stored assessment, and the size of every response."""
    session = Session(base)
    fill_draft(session)
    created = json.loads(
        session.request(
            "/api/v1/assessments",
            json.dumps({"answers": ANSWERS}).encode(),
            {"Content-Type": "application/json"},
        )
    )
    page = session.request(f"/a/{created['id']}/")
    preview = session.request(
        f"/assess/{PREVIEW_STEP}/preview",
        preview_bodies()[0].encode(),
        {**_form_headers(), "HX-Request": "true"},
    )
    assert b'id="preview-body"' in preview, "the preview did not answer with its partial"
    api = session.request(
        "/api/v1/recommendations?what_if=false", BODY.encode(), {"Content-Type": "application/json"}
    )
    bare = session.request(f"/bench/page?bytes={len(page)}")
    sizes = {"preview": len(preview), "api": len(api), "result": len(page), "bare": len(bare)}
    return session, created["id"], sizes


def main() -> int:
    args = wrk_parser(__doc__.splitlines()[0], seconds=4, rounds=5).parse_args()
    if wrk_missing("web"):
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        tmp_dir = Path(tmp)
        env = {
            **server_env(tmp_dir / "bench.sqlite3"),
            "DJANGO_SETTINGS_MODULE": "bench.web_site.settings",
            "BENCH_STATIC_ROOT": str(tmp_dir / "static"),
        }
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run(
                [sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True
            )
        with serving(env, tmp_dir) as (base, log):
            try:
                session, assessment_id, sizes = prepare(base)
            except RuntimeError as exc:
                sys.exit(f"{exc}\n{log.read_text()[-3000:]}")
            points = endpoints(session, assessment_id, sizes["result"])
            print(f"gunicorn on {base}; measuring…", flush=True)
            load = os.getloadavg()[0]
            results = measure(base, points, tmp_dir, args.seconds, args.rounds)
    print()
    print("\n".join(table(results, sizes)))
    print()
    for name, ratio, clean in verdicts(results):
        status = "PASS" if ratio >= TARGET and clean else "MISS"
        print(f"{status}: {name} at {ratio:.0%} (target 50 %)")
    if not args.no_docs:
        write_docs(section(results, sizes, args.seconds, args.rounds, load), SECTION)
        print(f"wrote the '{SECTION}' section of {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
