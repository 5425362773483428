"""Benchmark the architecture diagram: DOT generation, SVG rendering, the cached response.

    .venv/bin/python bench/bench_diagram.py            # what `make bench` runs
    .venv/bin/python bench/bench_diagram.py --json /tmp/diagram.json

Measures, with median and p95 of single-call times:
  1. DOT generation: build_graph + to_dot (the `graphviz` package) for every scenario of the
     default pack, interleaved, and the same through diagram_source once remembered;
  2. a cold SVG render (exports.diagrams.render with the cache empty: `dot` under its limits,
     the defusedxml check, the cache write) against a bare `dot -Tsvg` of the same source,
     interleaved in the same run, for the largest and a small scenario;
  3. a cached SVG response: GET /api/v1/assessments/{id}/diagram.svg through Django's whole
     WSGI stack (middleware included, no network) with the picture already in the cache, and
     the view alone.
Targets: cold render <= 1.2 x bare dot; cached response (view) < 1 ms. A miss is printed,
not fatal. Runs on a throwaway SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import (
    ROOT,
    Target,
    fmt_time,
    print_header,
    print_targets,
    summarize,
    table,
    time_call,
    time_round_robin,
    write_json,
)

RENDER_RATIO_TARGET = 1.2
CACHED_TARGET_NS = 1_000_000


def setup_django(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def dot_generation(pack, recs) -> dict[str, object]:
    from advisor.engine.diagram import build_graph, choices_from_recommendation, to_dot
    from advisor.exports.diagrams import diagram_source

    def fresh(rec):
        return lambda: to_dot(build_graph(pack, choices_from_recommendation(rec)))

    generated = time_round_robin([fresh(rec) for rec in recs], rounds=20, warmup=2)
    remembered = time_round_robin(
        [lambda rec=rec: diagram_source(rec, pack=pack) for rec in recs], rounds=200, warmup=2
    )
    fresh_stats = summarize([t for per in generated for t in per])
    memo_stats = summarize([t for per in remembered for t in per])
    print("1. DOT text per scenario (all scenarios of the default pack, interleaved)")
    print(
        table(
            ["call", "runs", "median", "p95"],
            [
                [
                    "build_graph + to_dot",
                    fresh_stats.runs,
                    fmt_time(fresh_stats.median_ns),
                    fmt_time(fresh_stats.p95_ns),
                ],
                [
                    "diagram_source, remembered",
                    memo_stats.runs,
                    fmt_time(memo_stats.median_ns),
                    fmt_time(memo_stats.p95_ns),
                ],
            ],
        )
    )
    return {"generate": fresh_stats, "remembered": memo_stats}


def render_ratio(sources: dict[str, str]) -> tuple[dict[str, object], list[Target]]:
    from django.core.cache import cache

    from advisor.exports.diagrams import render

    def bare(source: str):
        return lambda: subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True)

    def ours(source: str):
        def cold() -> None:
            cache.clear()
            assert render(source, fmt="svg").ok

        return cold

    print("\n2. Cold SVG render vs a bare `dot -Tsvg` of the same source (interleaved)")
    rows, figures, targets = [], {}, []
    for name, source in sources.items():
        bare_ns, ours_ns = time_round_robin([bare(source), ours(source)], rounds=30, warmup=3)
        b, o = summarize(bare_ns), summarize(ours_ns)
        ratio = o.median_ns / b.median_ns
        rows.append([name, fmt_time(b.median_ns), fmt_time(o.median_ns), f"{ratio:.2f} x"])
        figures[name] = {"bare": b, "ours": o, "ratio": ratio}
        targets.append(
            Target(
                f"cold render / bare dot ({name})",
                f"{ratio:.2f} x",
                "<= 1.2 x",
                ratio <= RENDER_RATIO_TARGET,
            )
        )
    print(table(["scenario", "bare dot -Tsvg", "render() cold", "ratio"], rows))
    return figures, targets


def cached_response(pack_answers: dict[str, object]) -> tuple[dict[str, object], Target]:
    from django.test import RequestFactory

    from advisor import services
    from advisor.api.views import DiagramSvgApi
    from advisor.wsgi import application

    assessment = services.create_assessment(answers=pack_answers)
    path = f"/api/v1/assessments/{assessment.id}/diagram.svg"
    environ = RequestFactory().get(path, HTTP_HOST="testserver").environ

    def through_wsgi() -> None:
        status: list[str] = []
        body = application(
            dict(environ, **{"wsgi.input": io.BytesIO()}), lambda s, h, e=None: status.append(s)
        )
        b"".join(body)
        assert status[0].startswith("200"), status

    view = DiagramSvgApi.as_view()
    factory = RequestFactory()

    def view_only() -> None:
        response = view(factory.get(path), assessment_id=assessment.id)
        b"".join(response.streaming_content)
        assert response.status_code == 200

    through_wsgi()  # renders once and fills the cache
    wsgi_stats = time_call(through_wsgi, runs=400, warmup=20)
    view_stats = time_call(view_only, runs=400, warmup=20)
    print("\n3. A cached SVG response (the picture already in the cache)")
    print(
        table(
            ["path", "runs", "median", "p95"],
            [
                [
                    "whole WSGI stack",
                    wsgi_stats.runs,
                    fmt_time(wsgi_stats.median_ns),
                    fmt_time(wsgi_stats.p95_ns),
                ],
                [
                    "view alone",
                    view_stats.runs,
                    fmt_time(view_stats.median_ns),
                    fmt_time(view_stats.p95_ns),
                ],
            ],
        )
    )
    target = Target(
        "cached SVG response (view)",
        fmt_time(view_stats.median_ns),
        "< 1 ms",
        view_stats.median_ns < CACHED_TARGET_NS,
    )
    return {"wsgi": wsgi_stats, "view": view_stats}, target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="save the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder))
        from advisor.engine import evaluate
        from advisor.exports.diagrams import diagram_source
        from advisor.packs import published_pack

        print_header("Diagram benchmark")
        _, pack = published_pack()
        recs = [evaluate(pack, s.answers) for s in pack.scenarios]
        generation = dot_generation(pack, recs)
        by_id = {s.id: rec for s, rec in zip(pack.scenarios, recs, strict=True)}
        sources = {
            scenario: diagram_source(by_id[scenario], pack=pack)
            for scenario in ("marketplace-team-per-app", "nextjs-monorepo-startup")
        }
        ratios, targets = render_ratio(sources)
        marketplace = next(s for s in pack.scenarios if s.id == "marketplace-team-per-app")
        cached, target = cached_response(marketplace.answers)
        print_targets([*targets, target])
        write_json(args.json, {"generation": generation, "render": ratios, "cached": cached})


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
