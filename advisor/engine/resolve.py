"""Turning the effects of fired rules into one chosen option per decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

from .conditions import Answers
from .model import Decision
from .pack import DecisionEffect, Pack

Status = Literal["decided", "required", "default", "conflict"]
ConfidenceLabel = Literal["high", "medium", "low"]


class Resolution(NamedTuple):
    option: str
    status: Status
    scores: tuple[int, ...]  # per option, in option order
    excluded: frozenset[int]
    required: tuple[int, ...]
    confidence: float

    @property
    def confidence_label(self) -> ConfidenceLabel:
        if self.confidence >= 0.6:
            return "high"
        return "medium" if self.confidence >= 0.3 else "low"


_NOTHING: frozenset[int] = frozenset()


def confidence_of(margin: int) -> float:
    """Confidence from the winner's lead over the runner-up: margin / (margin + 2)."""
    return round(margin / (margin + 2), 2)


_CONFIDENCE = tuple(confidence_of(m) for m in range(64))


def resolve_fired(decision: Decision, fired_effects: Sequence[DecisionEffect]) -> Resolution:
    """Excluded options drop out, a required option wins, else the best score (ties by order).

    `fired_effects` are the effects on this decision of the rules that fired. This runs for
    every decision on every evaluation, hence the single explicit loops.
    """
    count = len(decision.options)
    scores = [0] * count
    if not fired_effects:
        return Resolution(decision.default, "default", tuple(scores), _NOTHING, (), 0.0)
    excluded: set[int] = set()
    required: list[int] = []
    for _, kind, option_index, weight, _ in fired_effects:
        if kind == "score":
            scores[option_index] += weight
        elif kind == "exclude":
            excluded.add(option_index)
        elif option_index not in required:
            required.append(option_index)
    frozen = tuple(scores)
    if required:
        return _required(decision, frozen, excluded, required)
    best = -1
    best_score = runner_up = 0
    for i in range(count):
        if i in excluded:
            continue
        score = scores[i]
        if best < 0:
            best, best_score, runner_up = i, score, -(10**9)
        elif score > best_score:
            best, best_score, runner_up = i, score, best_score
        elif score > runner_up:
            runner_up = score
    gone = frozenset(excluded) if excluded else _NOTHING
    if best < 0:
        return Resolution(decision.default, "conflict", frozen, gone, (), 0.0)
    if runner_up == -(10**9):
        confidence = 1.0  # every alternative is excluded
    else:
        margin = best_score - runner_up
        confidence = _CONFIDENCE[margin] if margin < len(_CONFIDENCE) else confidence_of(margin)
    return Resolution(decision.options[best].id, "decided", frozen, gone, (), confidence)


def _required(
    decision: Decision, scores: tuple[int, ...], excluded: set[int], required: list[int]
) -> Resolution:
    """One required option wins outright; several, or a required-and-excluded one, conflict."""
    live = sorted(i for i in required if i not in excluded)
    clean = len(required) == 1 and live
    option = decision.options[live[0]].id if live else decision.default
    return Resolution(
        option,
        "required" if clean else "conflict",
        scores,
        frozenset(excluded),
        tuple(required),
        1.0 if clean else 0.0,
    )


def resolve(
    decision: Decision, effects: Sequence[DecisionEffect], fired: Sequence[bool]
) -> Resolution:
    """Resolve `decision` from all of its effects, keeping those whose rule fired."""
    return resolve_fired(decision, [e for e in effects if fired[e.rule]])


def resolve_all(pack: Pack, hits: Sequence[int]) -> dict[str, Resolution]:
    """Resolve every decision from the indexes of the rules that fired."""
    rule_effects = pack.compiled.rule_decision_effects
    buckets: dict[str, list[DecisionEffect]] = {d.id: [] for d in pack.decisions}
    for index in hits:
        for decision_id, effect in rule_effects[index]:
            buckets[decision_id].append(effect)
    return {d.id: resolve_fired(d, buckets[d.id]) for d in pack.decisions}


def fired_rules(pack: Pack, values: Answers) -> list[int]:
    """Indexes, in pack order, of the rules whose condition is true (not merely unknown).

    Only unguarded rules and rules whose guard leaf holds are evaluated; see `_guard`.
    """
    compiled = pack.compiled
    checks = compiled.rule_checks
    hits = [i for i in compiled.unguarded if checks[i](values) is True]
    for qid, table in compiled.value_guards.items():
        value = values.get(qid)
        if value is not None:
            for i in table.get(value, ()):
                if checks[i](values) is True:
                    hits.append(i)
    for qid, table in compiled.multi_guards.items():
        chosen: frozenset[str] | None = values.get(qid)
        if chosen:
            for option in chosen:
                for i in table.get(option, ()):
                    if checks[i](values) is True:
                        hits.append(i)
    hits.sort()
    return hits


def as_flags(pack: Pack, hits: Sequence[int]) -> list[bool]:
    flags = [False] * len(pack.rules)
    for i in hits:
        flags[i] = True
    return flags
