"""Benchmark the rule engine on the default pack (rules/).

    .venv/bin/python bench/bench_engine.py            # what `make bench` runs
    .venv/bin/python bench/bench_engine.py --json /tmp/engine.json

Measures, with median and p95 of single-call times:
  1. load_pack("rules"): read, parse, schema-check, analyse and compile the pack;
  2. evaluate(pack, answers) on the ten realistic answer sets of bench/answer_sets.py,
     interleaved; evaluate + Recommendation.to_dict() (the plain result, the reference) and
     evaluate + to_json_bytes() (the same JSON as bytes, from parts encoded once per pack:
     what the API sends);
  3. evaluate(pack, answers, what_if=True): with every single-answer change of every question
     a decision depends on, on the same ten answer sets (and + to_dict()).
Targets: evaluate median <= 50 us; what-if median <= 5 ms; evaluate + to_json_bytes <= 2x
evaluate. A miss is printed, not fatal.
The script fails (exit 1) only when the pack does not load or an answer set does not fit it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from answer_sets import ANSWER_SETS
from timing import (
    ROOT,
    Target,
    finish,
    fmt_time,
    print_header,
    stats_table,
    summarize,
    table,
    time_call,
    time_round_robin,
)

from advisor.engine import (
    AnswersError,
    Pack,
    PackError,
    Recommendation,
    evaluate,
    load_pack,
)

EVALUATE_TARGET_NS = 50_000
WHAT_IF_TARGET_NS = 5_000_000
RESULT_TARGET_RATIO = 2.0  # evaluate + the result's JSON, against evaluate alone (issue 17)


def load_default_pack(path: Path) -> Pack:
    try:
        pack = load_pack(path)
    except PackError as exc:
        print(f"FAIL: the pack at {path} does not load:", file=sys.stderr)
        for problem in exc.problems[:30]:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    if not pack.rules:
        print(f"FAIL: the pack at {path} has no rules; nothing to benchmark", file=sys.stderr)
        sys.exit(1)
    return pack


def check_answer_sets(pack: Pack) -> dict[str, Recommendation]:
    """Evaluate each answer set once; an answer set that does not fit the pack is fatal."""
    recs = {}
    for name, answers in ANSWER_SETS.items():
        try:
            recs[name] = evaluate(pack, answers)
        except AnswersError as exc:
            print(f"FAIL: answer set {name} does not fit the pack: {exc.errors}", file=sys.stderr)
            sys.exit(1)
        if recs[name].ignored:
            print(f"note: {name}: answers ignored by show_if: {', '.join(recs[name].ignored)}")
    return recs


def flip_count(pack: Pack, answers: dict[str, object]) -> int:
    flips = evaluate(pack, answers, what_if=True).what_if or {}
    return sum(len(changes) for changes in flips.values())


def per_set_rows(
    names: list[str], samples: list[list[int]], extra: dict[str, list[str]]
) -> list[list[object]]:
    rows = []
    for name, timings in zip(names, samples, strict=True):
        s = summarize(timings)
        rows.append([name, *extra.get(name, []), s.runs, fmt_time(s.median_ns), fmt_time(s.p95_ns)])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the engine on the default pack.")
    parser.add_argument("--pack", default=str(ROOT / "rules"), help="pack folder (default rules/)")
    parser.add_argument("--rounds", type=int, default=200, help="evaluate rounds per answer set")
    parser.add_argument("--load-runs", type=int, default=30)
    parser.add_argument("--what-if-rounds", type=int, default=30)
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()

    print_header("Rule engine on the default pack")
    pack_path = Path(args.pack)
    pack = load_default_pack(pack_path)
    deps = set().union(*pack.compiled.decision_deps.values())
    print(
        f"pack {pack.id} {pack.version} from {pack_path}: {len(pack.questions)} questions, "
        f"{len(pack.decisions)} decisions, {len(pack.rules)} rules, "
        f"{len(pack.practices)} practices; {len(ANSWER_SETS)} answer sets"
    )
    recs = check_answer_sets(pack)
    names = list(ANSWER_SETS)
    answers = [ANSWER_SETS[n] for n in names]
    results: dict[str, object] = {"pack": {"id": pack.id, "rules": len(pack.rules)}}

    # 1. load_pack ---------------------------------------------------------------------------
    load = time_call(lambda: load_pack(pack_path), args.load_runs, warmup=2)
    results["load_pack"] = load
    print("\n1. load_pack (read, parse, check, analyse, compile)")
    print(stats_table([("load_pack(rules/)", load)]))

    # 2. evaluate ----------------------------------------------------------------------------
    evaluate_calls = [lambda a=a: evaluate(pack, a) for a in answers]
    ev_samples = time_round_robin(evaluate_calls, args.rounds, warmup=50)
    to_dict_calls = [lambda a=a: evaluate(pack, a).to_dict() for a in answers]
    td_samples = time_round_robin(to_dict_calls, max(20, args.rounds // 4), warmup=10)
    only_dict_calls = [recs[n].to_dict for n in names]
    od_samples = time_round_robin(only_dict_calls, max(20, args.rounds // 4), warmup=10)
    json_calls = [lambda a=a: evaluate(pack, a).to_json_bytes() for a in answers]
    js_samples = time_round_robin(json_calls, max(20, args.rounds // 4), warmup=10)
    only_json_calls = [recs[n].to_json_bytes for n in names]
    oj_samples = time_round_robin(only_json_calls, max(20, args.rounds // 4), warmup=10)

    fired = {n: [str(sum(recs[n].fired))] for n in names}
    ev_all = summarize([t for s in ev_samples for t in s])
    td_all = summarize([t for s in td_samples for t in s])
    od_all = summarize([t for s in od_samples for t in s])
    js_all = summarize([t for s in js_samples for t in s])
    oj_all = summarize([t for s in oj_samples for t in s])
    results["evaluate"] = ev_all
    results["evaluate_to_dict"] = td_all
    results["to_dict"] = od_all
    results["evaluate_to_json_bytes"] = js_all
    results["to_json_bytes"] = oj_all
    results["evaluate_per_set"] = {n: summarize(s) for n, s in zip(names, ev_samples, strict=True)}
    print(f"\n2. evaluate on the {len(names)} answer sets, interleaved")
    print(
        table(
            ["answer set", "rules fired", "runs", "median", "p95"],
            per_set_rows(names, ev_samples, fired),
        )
    )
    print()
    measures = [
        ("evaluate", ev_all),
        ("evaluate + to_dict", td_all),
        ("to_dict alone", od_all),
        ("evaluate + to_json_bytes (the API's bytes)", js_all),
        ("to_json_bytes alone", oj_all),
    ]
    print(stats_table(measures, "measure (all answer sets)"))

    # 3. what-if -----------------------------------------------------------------------------
    wi_calls = [lambda a=a: evaluate(pack, a, what_if=True) for a in answers]
    wi_samples = time_round_robin(wi_calls, args.what_if_rounds, warmup=3)
    api_calls = [lambda a=a: evaluate(pack, a, what_if=True).to_dict() for a in answers]
    api_samples = time_round_robin(api_calls, args.what_if_rounds, warmup=3)
    wj_calls = [lambda a=a: evaluate(pack, a, what_if=True).to_json_bytes() for a in answers]
    wj_samples = time_round_robin(wj_calls, args.what_if_rounds, warmup=3)
    empty = time_call(lambda: evaluate(pack, {}, what_if=True), args.what_if_rounds * 3, warmup=3)
    flips = {n: [str(flip_count(pack, ANSWER_SETS[n]))] for n in names}
    wi_all = summarize([t for s in wi_samples for t in s])
    api_all = summarize([t for s in api_samples for t in s])
    wj_all = summarize([t for s in wj_samples for t in s])
    wi_medians = {n: summarize(s) for n, s in zip(names, wi_samples, strict=True)}
    worst = max(wi_medians.values(), key=lambda s: s.median_ns)
    results["what_if"] = wi_all
    results["what_if_worst_set"] = worst
    results["what_if_no_answers"] = empty
    results["evaluate_what_if_to_dict"] = api_all
    results["evaluate_what_if_to_json_bytes"] = wj_all
    print(
        f"\n3. what_if: single-answer changes to each of the {len(deps)} questions decisions read"
    )
    print(
        table(
            ["answer set", "flips found", "runs", "median", "p95"],
            per_set_rows(names, wi_samples, flips),
        )
    )
    print()
    measures = [
        ("evaluate(what_if=True), all answer sets", wi_all),
        ("evaluate(what_if=True), no answers at all", empty),
        ("evaluate(what_if=True) + to_dict", api_all),
        ("evaluate(what_if=True) + to_json_bytes", wj_all),
    ]
    print(stats_table(measures))

    targets = [
        Target(
            "evaluate, default pack, median",
            fmt_time(ev_all.median_ns),
            f"<= {fmt_time(EVALUATE_TARGET_NS)}",
            ev_all.median_ns <= EVALUATE_TARGET_NS,
        ),
        Target(
            "what_if, default pack, median",
            fmt_time(wi_all.median_ns),
            f"<= {fmt_time(WHAT_IF_TARGET_NS)}",
            wi_all.median_ns <= WHAT_IF_TARGET_NS,
        ),
        Target(
            "evaluate + the API's JSON (to_json_bytes), median, against evaluate alone",
            f"{js_all.median_ns / ev_all.median_ns:.2f}x",
            f"<= {RESULT_TARGET_RATIO:.0f}x",
            js_all.median_ns <= RESULT_TARGET_RATIO * ev_all.median_ns,
        ),
    ]
    finish(targets, args.json, results)


if __name__ == "__main__":
    main()
