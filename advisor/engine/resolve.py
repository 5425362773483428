"""Turning the effects of fired rules into one chosen option per decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Decision
from .pack import Pack


@dataclass(frozen=True)
class Resolution:
    option: str
    status: str  # decided, required, default or conflict
    scores: tuple[int, ...]  # per option, in option order
    excluded: frozenset[int]
    required: tuple[int, ...]
    confidence: float

    @property
    def confidence_label(self) -> str:
        if self.confidence >= 0.6:
            return "high"
        return "medium" if self.confidence >= 0.3 else "low"


def resolve(
    decision: Decision,
    effects: Sequence[tuple[int, str, int, int]],
    fired: Sequence[bool],
) -> Resolution:
    """Excluded options drop out, a required option wins, else the best score (ties by order)."""
    options = decision.options
    scores = [0] * len(options)
    excluded: set[int] = set()
    required: list[int] = []
    touched = False
    for rule_index, kind, option_index, weight in effects:
        if not fired[rule_index]:
            continue
        touched = True
        if kind == "score":
            scores[option_index] += weight
        elif kind == "exclude":
            excluded.add(option_index)
        elif option_index not in required:
            required.append(option_index)
    frozen = tuple(scores)
    if not touched:
        return Resolution(decision.default, "default", frozen, frozenset(), (), 0.0)
    live_required = sorted(i for i in required if i not in excluded)
    if live_required:
        status = (
            "conflict" if len(required) > 1 or len(live_required) < len(required) else "required"
        )
        confidence = 1.0 if status == "required" else 0.0
        return Resolution(
            options[live_required[0]].id,
            status,
            frozen,
            frozenset(excluded),
            tuple(required),
            confidence,
        )
    if required:  # every required option is also excluded
        return _fallback(decision, frozen, excluded, tuple(required))
    candidates = [i for i in range(len(options)) if i not in excluded]
    if not candidates:
        return _fallback(decision, frozen, excluded, ())
    best = candidates[0]
    for i in candidates[1:]:
        if scores[i] > scores[best]:
            best = i
    others = [scores[i] for i in candidates if i != best]
    if not others:
        confidence = 1.0
    else:
        margin = scores[best] - max(others)
        confidence = round(margin / (margin + 2), 2)
    return Resolution(options[best].id, "decided", frozen, frozenset(excluded), (), confidence)


def _fallback(
    decision: Decision, scores: tuple[int, ...], excluded: set[int], required: tuple[int, ...]
) -> Resolution:
    return Resolution(decision.default, "conflict", scores, frozenset(excluded), required, 0.0)


def resolve_all(pack: Pack, fired: tuple[bool, ...] | list[bool]) -> dict[str, Resolution]:
    effects = pack.compiled.decision_effects
    return {d.id: resolve(d, effects[d.id], fired) for d in pack.decisions}


def fire(pack: Pack, values: Mapping[str, object]) -> tuple[bool, ...]:
    """Which rules fire: a condition must be true, not merely unknown."""
    return tuple([check(values) is True for check in pack.compiled.rule_checks])
