"""Benchmark how evaluation scales with the number of rules, against a naive interpreter.

    .venv/bin/python bench/bench_scaling.py            # what `make bench` runs
    .venv/bin/python bench/bench_scaling.py --sizes 100 1000 --json /tmp/scaling.json

For generated packs of 100, 1,000 and 10,000 rules (bench/generate_pack.py: 20 questions,
5 decisions, random satisfiable all/any/not conditions, seeded), it:
  1. checks that the naive reference interpreter (bench/naive_interpreter.py) and the engine
     agree on a few hundred random answer sets: same normalized answers, same fired rules,
     same option, status and confidence per decision, same practices (asserted);
  2. times evaluate(pack, answers) and the naive interpreter on the same 10 random answer
     sets, interleaved in one loop so both see the same machine;
  3. reports the time per rule, the growth from each size to the next (10x the rules) and the
     engine's speed-up over the naive interpreter.
Targets: 10x the rules costs <= 12x the time; the engine is >= 4x faster than the naive
interpreter. Misses are printed, not fatal; a disagreement between the two is fatal.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import naive_interpreter as naive
from generate_pack import SEED, generate_pack, random_answers
from timing import Stats, Target, finish, fmt_time, print_header, summarize, table, time_round_robin

from advisor.engine import Pack, evaluate, load_pack
from advisor.engine.answers import validate_answers
from advisor.engine.resolve import fired_rules

GROWTH_TARGET = 12.0
SPEEDUP_TARGET = 4.0


def check_agreement(pack: Pack, raw: naive.NaivePack, count: int, seed: int) -> None:
    """Assert that the engine and the naive interpreter give the same results."""
    rng = random.Random(seed)
    for case in range(count):
        answers = random_answers(rng, answered=rng.uniform(0.3, 1.0))
        rec = evaluate(pack, answers)
        ref = naive.evaluate(raw, answers)
        where = f"{pack.id}, random answer set #{case}: {answers}"
        assert dict(rec.values) == ref.values, f"normalized answers differ ({where})"
        assert list(rec.fired) == ref.fired, f"fired rules differ ({where})"
        for decision in pack.decisions:
            got = rec.resolutions[decision.id]
            want = ref.choices[decision.id]
            assert (got.option, got.status, got.confidence) == (
                want.option,
                want.status,
                want.confidence,
            ), f"decision {decision.id}: engine {got}, naive {want} ({where})"
        assert rec.practice_ids == ref.practices, f"practices differ ({where})"


def measure_size(
    size: int, bench_sets: list[dict[str, object]], agreement: int, budget: float
) -> dict[str, object]:
    files = generate_pack(size)
    started = time.perf_counter()
    pack = load_pack(files)
    load_s = time.perf_counter() - started
    raw = naive.load(files)
    check_agreement(pack, raw, agreement, seed=SEED + size)

    engine_calls = [lambda a=a: evaluate(pack, a) for a in bench_sets]
    naive_calls = [lambda a=a: naive.evaluate(raw, a) for a in bench_sets]
    # size the loop from a quick estimate so each size takes about `budget` seconds
    started = time.perf_counter()
    for call in engine_calls:
        call()
    per_round = time.perf_counter() - started
    rounds = max(10, min(1000, int(budget / max(per_round, 1e-9))))
    samples = time_round_robin(engine_calls + naive_calls, rounds, warmup=3)
    engine = summarize([t for s in samples[: len(bench_sets)] for t in s])
    reference = summarize([t for s in samples[len(bench_sets) :] for t in s])

    # the conditions alone: engine closures against walking the raw dicts
    values = [validate_answers(pack, a).values for a in bench_sets]
    fire_calls = [lambda v=v: fired_rules(pack, v) for v in values]
    naive_fire = [
        lambda v=v: [naive.evaluate_condition(r["when"], v) is True for r in raw.rules]
        for v in values
    ]
    cond_samples = time_round_robin(fire_calls + naive_fire, max(10, rounds // 2), warmup=2)
    fired = sum(sum(evaluate(pack, a).fired) for a in bench_sets) / len(bench_sets)
    print(
        f"{size:,} rules: loaded in {load_s:.2f} s; the engine and the naive interpreter agree "
        f"on {agreement} random answer sets; {rounds} rounds timed",
        flush=True,
    )
    return {
        "load_s": load_s,
        "engine": engine,
        "naive": reference,
        "engine_fire": summarize([t for s in cond_samples[: len(values)] for t in s]),
        "naive_fire": summarize([t for s in cond_samples[len(values) :] for t in s]),
        "fired_mean": fired,
        "warnings": len(pack.warnings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Scaling and naive-interpreter benchmark.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--agreement", type=int, default=300, help="random answer sets checked")
    parser.add_argument(
        "--budget", type=float, default=3.0, help="seconds of engine calls per size (approx.)"
    )
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()

    print_header("Evaluation cost against the number of rules; engine against a naive interpreter")
    rng = random.Random(SEED + 1)
    bench_sets = [random_answers(rng) for _ in range(10)]
    rows = []
    cond_rows = []
    figures: dict[int, dict[str, object]] = {}
    for size in args.sizes:
        figures[size] = measure_size(size, bench_sets, args.agreement, args.budget)
        engine: Stats = figures[size]["engine"]  # type: ignore[assignment]
        reference: Stats = figures[size]["naive"]  # type: ignore[assignment]
        engine_fire: Stats = figures[size]["engine_fire"]  # type: ignore[assignment]
        naive_cond: Stats = figures[size]["naive_fire"]  # type: ignore[assignment]
        fired, load_s = figures[size]["fired_mean"], figures[size]["load_s"]
        rows.append(
            [
                f"{size:,}",
                f"{fired:.0f}",
                f"{load_s:.2f} s",
                engine.runs,
                fmt_time(engine.median_ns),
                fmt_time(engine.p95_ns),
                fmt_time(engine.median_ns / size),
                fmt_time(reference.median_ns),
                fmt_time(reference.p95_ns),
                f"{reference.median_ns / engine.median_ns:.1f}x",
            ]
        )
        cond_rows.append(
            [
                f"{size:,}",
                fmt_time(engine_fire.median_ns),
                fmt_time(engine_fire.median_ns / size),
                fmt_time(naive_cond.median_ns),
                fmt_time(naive_cond.median_ns / size),
                f"{naive_cond.median_ns / engine_fire.median_ns:.1f}x",
            ]
        )

    print("\nevaluate(pack, answers) on 10 random answer sets (median and p95 of single calls)")
    print(
        table(
            [
                "rules",
                "fired",
                "load",
                "runs",
                "engine median",
                "engine p95",
                "per rule",
                "naive median",
                "naive p95",
                "speed-up",
            ],
            rows,
        )
    )
    print("\nconditions only: which rules fire, on already validated answers")
    print(
        table(
            ["rules", "engine median", "per rule", "naive median", "per rule", "speed-up"],
            cond_rows,
        )
    )

    sizes = list(figures)
    growth_rows = []
    targets = []
    for small, big in zip(sizes, sizes[1:], strict=False):
        e_small: Stats = figures[small]["engine"]  # type: ignore[assignment]
        e_big: Stats = figures[big]["engine"]  # type: ignore[assignment]
        n_small: Stats = figures[small]["naive"]  # type: ignore[assignment]
        n_big: Stats = figures[big]["naive"]  # type: ignore[assignment]
        factor = big / small
        growth = e_big.median_ns / e_small.median_ns
        figures[big]["growth"] = growth
        growth_rows.append(
            [
                f"{small:,} -> {big:,}",
                f"{factor:.0f}x",
                f"{growth:.2f}x",
                f"{n_big.median_ns / n_small.median_ns:.2f}x",
            ]
        )
        limit = GROWTH_TARGET * factor / 10
        targets.append(
            Target(
                f"growth {small:,} -> {big:,} rules",
                f"{growth:.2f}x",
                f"<= {limit:.0f}x",
                growth <= limit,
            )
        )
    if growth_rows:
        print("\ngrowth of the median when the rules are multiplied")
        print(table(["rules", "rules x", "engine time x", "naive time x"], growth_rows))
    for size in sizes:
        e: Stats = figures[size]["engine"]  # type: ignore[assignment]
        n: Stats = figures[size]["naive"]  # type: ignore[assignment]
        speedup = n.median_ns / e.median_ns
        figures[size]["speedup"] = speedup
        targets.append(
            Target(
                f"speed-up over naive, {size:,} rules",
                f"{speedup:.1f}x",
                f">= {SPEEDUP_TARGET:.0f}x",
                speedup >= SPEEDUP_TARGET,
            )
        )
    finish(targets, args.json, {"sizes": {str(k): v for k, v in figures.items()}})


if __name__ == "__main__":
    main()
