"""Answer sets drawn at random from a pack's questions, for benchmarks that must not post one
answer set again and again (so nothing met once is simply met again).

Each question is answered with probability 0.8 with a valid answer of its type: an option, a
set of options that respects exclusive ones, yes or no, an integer around the pack's own
thresholds (or within its bounds), a short text. The same seed gives the same sets.
"""

from __future__ import annotations

import random

from advisor.engine import Pack
from advisor.engine.model import Question

ANSWERED = 0.8


def _answer(q: Question, thresholds: tuple[int, ...], rng: random.Random) -> object:
    if q.type == "single":
        return rng.choice(q.option_ids)
    if q.type == "boolean":
        return rng.random() < 0.5
    if q.type == "multi":
        exclusive = [o.id for o in q.options if o.exclusive]
        others = [o.id for o in q.options if not o.exclusive]
        if exclusive and rng.random() < 0.2:
            return [rng.choice(exclusive)]
        return rng.sample(others, rng.randint(1, len(others)))
    if q.type == "integer":
        low = q.min if q.min is not None else 0
        high = q.max if q.max is not None else 10**6
        near = [t + d for t in thresholds for d in (-1, 0, 1)] or [low, high]
        return min(max(rng.choice(near), low), high)
    return f"Project {rng.randrange(10**6)}"


def varied_answer_sets(pack: Pack, count: int, seed: int = 17) -> list[dict[str, object]]:
    """`count` answer sets for `pack`; each fits it (evaluate raises nothing)."""
    rng = random.Random(seed)
    thresholds = pack.compiled.thresholds
    return [
        {
            q.id: _answer(q, thresholds.get(q.id, ()), rng)
            for q in pack.questions
            if rng.random() < ANSWERED
        }
        for _ in range(count)
    ]
