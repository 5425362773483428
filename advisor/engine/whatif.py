"""What-if: which single answer changes would flip each decision.

Only the rules that read the changed question (or a question whose visibility it changes)
are re-evaluated, and only the decisions those rules touch are resolved again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .answers import Answer, apply_visibility, as_json
from .model import Question
from .pack import Pack
from .resolve import Resolution, resolve
from .result import Flip


def _candidates(q: Question, current: Any, thresholds: tuple[int, ...]) -> Iterator[Answer]:
    if q.type == "single":
        yield from (o for o in q.option_ids if o != current)
    elif q.type == "boolean":
        yield from (v for v in (True, False) if v != current)
    elif q.type == "multi":
        yield from _multi_candidates(q, current)
    elif q.type == "integer":
        low = q.min if q.min is not None else -(10**9)
        high = q.max if q.max is not None else 10**9
        values = [v for v in thresholds if low <= v <= high and v != current]
        if isinstance(current, int):
            values.sort(key=lambda v: (abs(v - current), v))
        yield from values


def _multi_candidates(q: Question, current: frozenset[str] | None) -> Iterator[frozenset[str]]:
    if current is None:
        yield from (frozenset((o,)) for o in q.option_ids)
        return
    exclusive = {o.id for o in q.options if o.exclusive}
    for o in q.option_ids:
        if o in current:
            yield current - {o}
        elif o in exclusive:
            yield frozenset((o,))
        else:
            yield (current - exclusive) | {o}


def flips_for(
    pack: Pack,
    values: Mapping[str, Answer],
    fired: tuple[bool, ...],
    resolutions: dict[str, Resolution],
) -> dict[str, list[Flip]]:
    """For each decision: [{question, answer, option}] for answers that would change it."""
    compiled = pack.compiled
    flips: dict[str, list[Flip]] = {d.id: [] for d in pack.decisions}
    seen: set[tuple[str, str, str]] = set()
    relevant: set[str] = set()
    for deps in compiled.decision_deps.values():
        relevant.update(deps)
    for q in pack.questions:
        if q.id not in relevant:
            continue
        for candidate in _candidates(q, values.get(q.id), compiled.thresholds.get(q.id, ())):
            changed = dict(values)
            changed[q.id] = candidate
            dropped = apply_visibility(pack, changed)
            if q.id not in changed:
                continue  # the question would not even be asked with the other answers
            touched = {q.id, *dropped}
            rerun = {i for k in touched for i in compiled.rules_reading.get(k, ())}
            if not rerun:
                continue
            new_fired = list(fired)
            for i in rerun:
                new_fired[i] = compiled.rule_checks[i](changed) is True
            for decision in pack.decisions:
                if rerun.isdisjoint(compiled.decision_rules[decision.id]):
                    continue
                effects = compiled.decision_effects[decision.id]
                option = resolve(decision, effects, new_fired).option
                key = (decision.id, q.id, option)
                if option != resolutions[decision.id].option and key not in seen:
                    seen.add(key)
                    answer = as_json(pack, {q.id: candidate})[q.id]
                    flips[decision.id].append(
                        {"question": q.id, "answer": answer, "option": option}
                    )
    return flips
