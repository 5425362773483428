"""Shared helpers for the benchmark scripts: timing loops, statistics, tables, the machine.

Every figure is a distribution of single-call wall-clock times taken with
`time.perf_counter_ns()` around one call (the ~60 ns the clock itself costs is included).
The garbage collector is collected, then disabled, during each timing loop (as `timeit` does),
so a figure is the cost of the call itself, not of a collection that happened to land inside
it; it is re-enabled right after.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Stats:
    """A summary of `runs` single-call timings, in nanoseconds."""

    runs: int
    median_ns: float
    p95_ns: float
    min_ns: float
    max_ns: float
    mean_ns: float

    @property
    def median_us(self) -> float:
        return self.median_ns / 1000

    @property
    def p95_us(self) -> float:
        return self.p95_ns / 1000


def percentile(sorted_samples: Sequence[int], fraction: float) -> float:
    """Nearest-rank percentile of already sorted samples."""
    rank = max(1, math.ceil(fraction * len(sorted_samples)))
    return float(sorted_samples[rank - 1])


def summarize(samples: Sequence[int]) -> Stats:
    ordered = sorted(samples)
    return Stats(
        runs=len(ordered),
        median_ns=float(statistics.median(ordered)),
        p95_ns=percentile(ordered, 0.95),
        min_ns=float(ordered[0]),
        max_ns=float(ordered[-1]),
        mean_ns=statistics.fmean(ordered),
    )


def time_round_robin(
    calls: Sequence[Callable[[], object]], rounds: int, warmup: int = 20
) -> list[list[int]]:
    """Time every call `rounds` times, interleaved (call 0, 1, ..., n-1, then again).

    Interleaving spreads any slow phase of the machine over every call instead of over one.
    Returns one list of nanosecond timings per call.
    """
    for _ in range(warmup):
        for call in calls:
            call()
    samples: list[list[int]] = [[] for _ in calls]
    clock = time.perf_counter_ns
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for index, call in enumerate(calls):
                start = clock()
                call()
                samples[index].append(clock() - start)
    finally:
        gc.enable()
    return samples


def time_call(call: Callable[[], object], runs: int, warmup: int = 3) -> Stats:
    return summarize(time_round_robin([call], runs, warmup)[0])


def fmt_time(ns: float) -> str:
    """A duration with a unit that keeps three significant figures or so."""
    if ns < 1_000:
        return f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1_000:.1f} µs"
    if ns < 1_000_000_000:
        return f"{ns / 1_000_000:.2f} ms"
    return f"{ns / 1_000_000_000:.2f} s"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def stats_table(measures: Sequence[tuple[str, Stats]], heading: str = "measure") -> str:
    """One row per labelled measure: runs, median and p95."""
    rows = [[label, s.runs, fmt_time(s.median_ns), fmt_time(s.p95_ns)] for label, s in measures]
    return table([heading, "runs", "median", "p95"], rows)


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def load_average() -> float:
    """The 1-minute load average (0.0 where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def machine() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpus": str(os.cpu_count()),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "load_average": f"{load_average():.2f}",
    }


def print_header(title: str) -> None:
    m = machine()
    print(title)
    print("=" * len(title))
    print(
        f"{m['implementation']} {m['python']} on {m['platform']}; "
        f"{m['cpus']} CPUs ({m['cpu_model']}); gc disabled inside timing loops"
    )
    load = load_average()
    print(f"load average at start: {load:.2f}", end="")
    if load > 1.0:
        print(" (other work is running: expect noisier figures, p95 especially)", end="")
    print("\n")


@dataclass
class Target:
    name: str
    measured: str
    goal: str
    ok: bool


def print_targets(targets: Sequence[Target]) -> None:
    """PASS/MISS per target; a miss is reported, never turned into a failing exit code."""
    print()
    print("Targets")
    print(
        table(
            ["target", "measured", "goal", "result"],
            [[t.name, t.measured, t.goal, "PASS" if t.ok else "MISS"] for t in targets],
        )
    )
    misses = [t.name for t in targets if not t.ok]
    if misses:
        print(f"\nMISS: {', '.join(misses)} (reported only; the run still succeeds)")


def finish(targets: Sequence[Target], json_path: str | None, payload: dict[str, object]) -> None:
    """Print the targets, then save the figures with them when --json PATH is given."""
    print_targets(targets)
    verdicts = {t.name: {"measured": t.measured, "ok": t.ok} for t in targets}
    write_json(json_path, {**payload, "targets": verdicts})


def write_json(path: str | None, payload: dict[str, object]) -> None:
    """Save the figures (for docs/benchmarks.md) when --json PATH is given."""
    if not path:
        return
    payload = {"machine": machine(), **payload}
    Path(path).write_text(json.dumps(payload, indent=2, default=_jsonable) + "\n")
    print(f"\nfigures written to {path}")


def _jsonable(value: object) -> object:
    if isinstance(value, Stats):
        return asdict(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def add_repo_root_to_path() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
