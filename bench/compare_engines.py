"""This engine against an earlier one, in one process: same-run ratios on a shared machine.

    git archive 7c265b8 advisor/engine rules | tar -x -C /tmp/base
    .venv/bin/python bench/compare_engines.py /tmp/base

The earlier `advisor/engine` is imported under another name (its imports are relative), both
engines load the earlier `rules/` (with the products question that engine had built in, for
this one), and their results must be byte-identical on the ten answer sets before anything is
timed. Each measure then alternates the two engines round by round and times CPU time
(`time.thread_time_ns`), not wall time, so the other processes of a busy machine change both
figures alike; the ratio is this engine's median over the earlier one's.
Not run by `make bench`: it needs a second checkout.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from answer_sets import ANSWER_SETS
from timing import fmt_time, table

from advisor import engine
from advisor.engine.loader import read_pack_files

ROUNDS = 40


def earlier_engine(base: Path) -> ModuleType:
    """The earlier checkout's advisor/engine, imported as `earlier_engine`."""
    init = base / "advisor" / "engine" / "__init__.py"
    spec = importlib.util.spec_from_file_location("earlier_engine", init)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no engine at {init}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["earlier_engine"] = module
    spec.loader.exec_module(module)
    return module


def with_products_question(
    files: dict[str, str | bytes], question: str, default: str
) -> dict[str, str | bytes]:
    """The earlier pack for this engine: its built-in products question said in pack.yaml."""
    text = files["pack.yaml"]
    text = text.decode() if isinstance(text, bytes) else text
    extra = f"  products_question: {question}\n  products_default: {default}\n  sources:"
    return {**files, "pack.yaml": text.replace("  sources:", extra, 1)}


def cpu_times(calls: dict[str, list[Callable[[], object]]], repeat: int) -> dict[str, float]:
    """Median CPU time per call of each side, the sides alternating round by round."""
    samples: dict[str, list[float]] = {side: [] for side in calls}
    for index in range(ROUNDS):
        for side in sorted(calls, reverse=bool(index % 2)):
            gc.disable()
            start = time.thread_time_ns()
            for _ in range(repeat):
                for call in calls[side]:
                    call()
            samples[side].append((time.thread_time_ns() - start) / (repeat * len(calls[side])))
            gc.enable()
    return {side: statistics.median(s) for side, s in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "base", type=Path, help="folder holding the earlier advisor/engine and rules"
    )
    parser.add_argument("--products-question", default="cloud")
    parser.add_argument("--products-default", default="undecided")
    args = parser.parse_args()
    old = earlier_engine(args.base)
    files = read_pack_files(args.base / "rules")
    adapted = with_products_question(files, args.products_question, args.products_default)
    packs = {"earlier": old.load_pack(files), "this": engine.load_pack(adapted)}
    modules = {"earlier": old, "this": engine}
    answers = list(ANSWER_SETS.values())
    for what_if in (False, True):
        texts = {
            side: [
                json.dumps(modules[side].evaluate(packs[side], a, what_if=what_if).to_dict())
                for a in answers
            ]
            for side in packs
        }
        if texts["earlier"] != texts["this"]:
            raise SystemExit(f"the results differ (what_if={what_if}): nothing to compare")
    print(f"results byte-identical on {len(answers)} answer sets, with and without what-if\n")

    def evaluations(what_if: bool, to_dict: bool) -> dict[str, list[Callable[[], object]]]:
        def call(side: str, a: dict[str, object]) -> Callable[[], object]:
            run = modules[side].evaluate
            if to_dict:
                return lambda: run(packs[side], a, what_if=what_if).to_dict()
            return lambda: run(packs[side], a, what_if=what_if)

        return {side: [call(side, a) for a in answers] for side in packs}

    recs = {side: [modules[side].evaluate(packs[side], a) for a in answers] for side in packs}
    measures = {
        "evaluate": (evaluations(False, False), 20),
        "to_dict": ({side: [r.to_dict for r in recs[side]] for side in packs}, 20),
        "evaluate + to_dict": (evaluations(False, True), 10),
        "evaluate(what_if=True) + to_dict": (evaluations(True, True), 1),
        "load_pack (the earlier rules/)": (
            {
                "earlier": [lambda: old.load_pack(files)],
                "this": [lambda: engine.load_pack(adapted)],
            },
            1,
        ),
    }
    rows = []
    for label, (calls, repeat) in measures.items():
        medians = cpu_times(calls, repeat)
        ratio = medians["this"] / medians["earlier"]
        rows.append(
            [label, fmt_time(medians["earlier"]), fmt_time(medians["this"]), f"{ratio:.2f}"]
        )
    print(table(["measure (CPU time per call)", "earlier", "this", "this / earlier"], rows))


if __name__ == "__main__":
    main()
