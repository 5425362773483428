"""Turning the effects of fired rules into one chosen option per decision.

Rules that read only answers are checked first (through the guard index); rules that read
another decision's outcome are checked while decisions resolve, in dependency order, so a
rule on `{decision: messaging, is: stream}` sees the option messaging actually chose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

from .conditions import Answers, decision_key
from .model import Decision
from .pack import DecisionEffect, Pack

Status = Literal["decided", "required", "default", "conflict"]
MarginLabel = Literal["high", "medium", "low"]
IsFirm = Callable[[int], bool]  # rule index -> does its constraint rest on given answers?

NO_RUNNER_UP = -1


class Resolution(NamedTuple):
    option: str
    status: Status
    scores: tuple[int, ...]  # per option, in option order
    excluded: frozenset[int]
    required: tuple[int, ...]
    confidence: float
    runner_up: int = NO_RUNNER_UP  # option index of the best alternative still standing

    @property
    def confidence_label(self) -> MarginLabel:
        if self.confidence >= 0.6:
            return "high"
        return "medium" if self.confidence >= 0.3 else "low"


class Outcome(NamedTuple):
    """Everything one evaluation decides: which rules fired and what each decision chose."""

    fired: tuple[bool, ...]
    resolutions: dict[str, Resolution]
    env: dict[str, object]  # the answers plus every decision's option (see decision_key)
    chosen: dict[str, str]  # decision_key(decision) -> option, the decision part of env


_NOTHING: frozenset[int] = frozenset()


def confidence_of(margin: int) -> float:
    """Confidence from the winner's lead over the runner-up: margin / (margin + 2)."""
    return round(margin / (margin + 2), 2) if margin > 0 else 0.0


_CONFIDENCE = tuple(confidence_of(m) for m in range(64))


def _margin_confidence(margin: int) -> float:
    if margin <= 0:
        return 0.0
    return _CONFIDENCE[margin] if margin < len(_CONFIDENCE) else confidence_of(margin)


def _always_firm(index: int) -> bool:
    return True


def resolve_fired(
    decision: Decision, fired_effects: Sequence[DecisionEffect], firm: IsFirm = _always_firm
) -> Resolution:
    """Excluded options drop out, a required option wins, else the best score (ties by order).

    `fired_effects` are the effects on this decision of the rules that fired; `firm` tells
    whether a rule's require/exclude rests on answers given rather than on a missing one.
    """
    count = len(decision.options)
    scores = [0] * count
    if not fired_effects:
        return Resolution(decision.default, "default", tuple(scores), _NOTHING, (), 0.0)
    excluded: set[int] = set()
    firmly_excluded: set[int] = set()
    required: list[int] = []
    weak_require = False
    for rule_index, kind, option_index, weight, _ in fired_effects:
        if kind == "score":
            scores[option_index] += weight
        elif kind == "exclude":
            excluded.add(option_index)
            if firm(rule_index):
                firmly_excluded.add(option_index)
        elif option_index not in required:
            required.append(option_index)
            weak_require = weak_require or not firm(rule_index)
    frozen = tuple(scores)
    if required:
        return _required(decision, frozen, excluded, required, weak_require)
    return _best(decision, frozen, excluded, firmly_excluded)


def _best(
    decision: Decision, scores: tuple[int, ...], excluded: set[int], firmly_excluded: set[int]
) -> Resolution:
    """The highest score among the options left; confidence from the margin, or from the
    evidence behind the exclusions when no alternative is left."""
    best = runner = NO_RUNNER_UP
    for i, score in enumerate(scores):
        if i in excluded:
            continue
        if best < 0 or score > scores[best]:
            best, runner = i, best
        elif runner < 0 or score > scores[runner]:
            runner = i
    gone = frozenset(excluded) if excluded else _NOTHING
    if best < 0:
        return Resolution(decision.default, "conflict", scores, gone, (), 0.0)
    if runner >= 0:
        confidence = _margin_confidence(scores[best] - scores[runner])
    else:
        confidence = _exclusion_confidence(scores, best, excluded - firmly_excluded)
    return Resolution(decision.options[best].id, "decided", scores, gone, (), confidence, runner)


def _exclusion_confidence(scores: tuple[int, ...], best: int, weakly_excluded: set[int]) -> float:
    """A win by exclusion is as sure as the exclusions: 1.0 when each rests on answers given;
    otherwise the margin over the alternatives that only a missing answer ruled out."""
    if not weakly_excluded:
        return 1.0
    return _margin_confidence(scores[best] - max(scores[i] for i in weakly_excluded))


def _required(
    decision: Decision,
    scores: tuple[int, ...],
    excluded: set[int],
    required: list[int],
    weak: bool,
) -> Resolution:
    """One required option wins outright; several, or a required-and-excluded one, conflict.

    A requirement that rests only on a missing answer is no evidence: its confidence is the
    score margin, as if the requirement were not there.
    """
    live = sorted(i for i in required if i not in excluded)
    clean = len(required) == 1 and bool(live)
    option = decision.options[live[0]].id if live else decision.default
    others = [i for i in range(len(scores)) if i not in excluded and i not in live[:1]]
    runner = max(others, key=lambda i: (scores[i], -i)) if others else NO_RUNNER_UP
    if not clean:
        confidence = 0.0
    elif not weak:
        confidence = 1.0
    else:
        lead = scores[live[0]] - (scores[runner] if runner >= 0 else 0)
        confidence = _margin_confidence(lead)
    return Resolution(
        option,
        "required" if clean else "conflict",
        scores,
        frozenset(excluded),
        tuple(required),
        confidence,
        runner,
    )


def resolve(
    decision: Decision,
    effects: Sequence[DecisionEffect],
    fired: Sequence[bool],
    firm: IsFirm = _always_firm,
) -> Resolution:
    """Resolve `decision` from all of its effects, keeping those whose rule fired."""
    return resolve_fired(decision, [e for e in effects if fired[e[0]]], firm)


def firmness(pack: Pack, env: Answers) -> IsFirm:
    """Whether a fired rule's require/exclude holds on the answers given (not on a gap)."""
    checks = pack.compiled.firm_checks

    def firm(index: int) -> bool:
        check = checks.get(index)
        return check is None or check(env) is True

    return firm


def fired_rules(pack: Pack, values: Answers) -> list[int]:
    """Indexes, in pack order, of the rules that read only answers and whose condition is true
    (not merely unknown). Rules reading decisions are checked later, by `evaluate_rules`.

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
        chosen = values.get(qid)
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


def evaluate_rules(pack: Pack, values: Answers) -> Outcome:
    """Fire the rules and resolve every decision, in dependency order."""
    compiled = pack.compiled
    flags = as_flags(pack, fired_rules(pack, values))
    env: dict[str, object] = dict(values)
    firm = firmness(pack, env)
    checks = compiled.rule_checks
    resolutions: dict[str, Resolution] = {}
    for did in compiled.decision_order:
        for i in compiled.late_before[did]:
            flags[i] = checks[i](env) is True
        decision = compiled.decisions[did]
        resolutions[did] = resolve(decision, compiled.decision_effects[did], flags, firm)
        env[decision_key(did)] = resolutions[did].option
    for i in compiled.late_after:
        flags[i] = checks[i](env) is True
    ordered = {d.id: resolutions[d.id] for d in pack.decisions}
    chosen = {decision_key(d): r.option for d, r in ordered.items()}
    return Outcome(tuple(flags), ordered, env, chosen)
