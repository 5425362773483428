"""Static analysis of a built pack: show_if cycles, rules that can never fire, dead options.

Satisfiability is decided by enumerating, for the few questions a condition reads (plus the
questions their show_if reads), every value that can make a difference: the options, the
integer thresholds the pack uses, "unanswered". Conditions reading too many questions for
that are skipped rather than guessed at.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from .conditions import (
    Cond,
    DecisionNames,
    compile_condition,
    decision_key,
    decisions_of,
    describe,
    leaves,
    questions_of,
)
from .model import Decision, Question, Rule, Where
from .pack import Pack, decision_graph, decision_names, integer_thresholds, visibility_checks
from .problems import Problem, Severity

MAX_ASSIGNMENTS = 50_000


def _problem(where: Where | None, severity: Severity, message: str) -> Problem:
    w = where or Where("?", 1, 1)
    return Problem(w.file, w.line, w.column, severity, message)


def show_if_cycles(pack: Pack) -> list[Problem]:
    by_id = {q.id: q for q in pack.questions}
    problems = []
    reported: set[frozenset[str]] = set()

    def walk(qid: str, trail: list[str]) -> None:
        q = by_id.get(qid)
        if q is None or q.show_if is None:
            return
        for parent in sorted(questions_of(q.show_if)):
            if parent in trail:
                cycle = trail[trail.index(parent) :] + [parent]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    start = by_id[cycle[0]]
                    problems.append(
                        _problem(
                            start.where,
                            "error",
                            f"questions.{start.id}.show_if: show_if cycle: {' -> '.join(cycle)}",
                        )
                    )
            else:
                walk(parent, trail + [parent])

    for q in pack.questions:
        walk(q.id, [q.id])
    return problems


def _domain(q: Question, conds: list[Cond], thresholds: tuple[int, ...]) -> list[object] | None:
    if q.type == "boolean":
        return [True, False, None]
    if q.type == "single":
        return [*q.option_ids, None]
    if q.type == "integer":
        low = q.min if q.min is not None else -(10**9)
        high = q.max if q.max is not None else 10**9
        values = {v for v in thresholds if low <= v <= high} | {
            max(low, 0) if low <= 0 <= high else low
        }
        return [*sorted(values), None]
    if q.type == "text":
        constants = {
            leaf.value for c in conds for leaf in leaves(c) if leaf.q == q.id and leaf.op == "is"
        }
        return [*sorted(map(str, constants)), "\x00other", None]
    return _multi_domain(q, conds)


def _multi_domain(q: Question, conds: list[Cond]) -> list[object] | None:
    mentioned: set[str] = set()
    biggest_count = 0
    for c in conds:
        for leaf in leaves(c):
            if leaf.q != q.id:
                continue
            if leaf.op == "count_gte":
                biggest_count = max(biggest_count, leaf.number)
                mentioned.update(leaf.of or ())
            elif isinstance(leaf.value, tuple):
                mentioned.update(str(v) for v in leaf.value)
            elif isinstance(leaf.value, str):
                mentioned.add(leaf.value)
    if len(mentioned) > 10:
        return None
    others = [o for o in q.option_ids if o not in mentioned]
    extras = [frozenset(others[:k]) for k in range(min(len(others), biggest_count) + 1)]
    base = sorted(mentioned)
    exclusive = {o.id for o in q.options if o.exclusive}
    subsets = [
        frozenset(combo) | extra
        for r in range(len(base) + 1)
        for combo in itertools.combinations(base, r)
        for extra in extras
    ]
    # an exclusive option (such as `none`) is never combined with another in a valid answer
    valid = [s for s in subsets if len(s) <= 1 or exclusive.isdisjoint(s)]
    return [*valid, None]


def _assignments(pack: Pack, cond: Cond) -> Iterator[dict[str, object]] | None:
    by_id = {q.id: q for q in pack.questions}
    needed = set(questions_of(cond))
    frontier = list(needed)
    while frontier:  # the show_if parents decide whether a question is even asked
        q = by_id[frontier.pop()]
        for parent in questions_of(q.show_if) if q.show_if else ():
            if parent not in needed:
                needed.add(parent)
                frontier.append(parent)
    conds = [cond] + [c for q in needed if (c := by_id[q].show_if) is not None]
    thresholds = integer_thresholds(conds)
    names = sorted(needed)
    domains: list[list[object]] = []
    for name in names:
        domain = _domain(by_id[name], conds, thresholds.get(name, ()))
        if domain is None:
            return None
        domains.append(domain)
    decisions = {d.id: d for d in pack.decisions}
    for did in sorted(decisions_of(cond)):  # a decision's outcome: any of its options
        names.append(decision_key(did))
        domains.append(list[object](decisions[did].option_ids))
    if math.prod(len(d) for d in domains) > MAX_ASSIGNMENTS:
        return None
    visibility = visibility_checks(pack.questions, frozenset(needed))

    def generate() -> Iterator[dict[str, object]]:
        for combo in itertools.product(*domains):
            values = {n: v for n, v in zip(names, combo, strict=True) if v is not None}
            for qid, check in visibility:
                if qid in values and check(values) is not True:
                    break  # an answer to a hidden question: not a real assignment
            else:
                yield values

    return generate()


def can_be_true(pack: Pack, cond: Cond) -> bool | None:
    """True if some answers make `cond` true, False if none can, None if too big to tell."""
    assignments = _assignments(pack, cond)
    if assignments is None:
        return None
    check = compile_condition(cond)
    return any(check(values) is True for values in assignments)


def decision_cycles(pack: Pack) -> list[Problem]:
    """Decisions whose rules read each other in a circle: no order could resolve them."""
    graph = decision_graph(pack)
    rules = {r.id: r for r in pack.rules}
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()

    def walk(did: str, trail: list[str]) -> None:
        for source in sorted(graph.get(did, {})):
            if source in trail:
                cycle = trail[trail.index(source) :] + [source]
                if frozenset(cycle) in reported:
                    continue
                reported.add(frozenset(cycle))
                # read as "a depends on b": the chain runs from reader to the decision read
                chain = " -> ".join(cycle)
                rule = rules[graph[did][source][0]]
                problems.append(
                    _problem(
                        rule.where,
                        "error",
                        f"rule '{rule.id}': decisions depend on each other in a cycle: {chain} "
                        "(each reads the one after it); no order can resolve them",
                    )
                )
            else:
                walk(source, trail + [source])

    for decision in pack.decisions:
        walk(decision.id, [decision.id])
    return problems


def _reachable(pack: Pack, decision: Decision, dead_rules: set[str]) -> set[str]:
    """Options some live rule argues for, the default, and wins by exclusion: an option is
    also reachable when every other option can be excluded by some rule."""
    reachable = {decision.default}
    excludable: set[str] = set()
    for rule in pack.rules:
        if rule.id in dead_rules:
            continue
        for e in rule.effects:
            if e.decision == decision.id and e.argues_for:
                reachable.add(e.option)
            elif e.decision == decision.id and e.kind == "exclude":
                excludable.add(e.option)
    for option in decision.option_ids:
        if set(decision.option_ids) - {option} <= excludable:
            reachable.add(option)
    return reachable


def _misfit(pack: Pack, place: Cond, fits: Cond) -> bool:
    """True when `fits` can never hold together with `place` (where a practice is attached)."""
    return can_be_true(pack, Cond("all", children=(place, fits))) is False


def practice_fit(pack: Pack, dead_rules: set[str]) -> list[Problem]:
    """Warn where a practice is attached but its `only_when` can never hold there."""
    problems: list[Problem] = []
    practices = {p.id: p for p in pack.practices}
    names = decision_names(pack)
    for rule in pack.rules:
        for e in rule.effects:
            fits = practices[e.practice].only_when if e.kind == "practice" else None
            if rule.id in dead_rules or fits is None or not _misfit(pack, rule.when, fits):
                continue
            message = (
                f"rule '{rule.id}' attaches practice '{e.practice}', which only fits when "
                f"{_short(fits, names)}; that can never hold when this rule fires"
            )
            problems.append(_problem(rule.where, "warning", message))
    for decision in pack.decisions:
        for option in decision.options:
            for pid in option.practices:
                fits = practices[pid].only_when
                chosen = Cond("is", value=option.id, decision=decision.id)
                if fits is None or not _misfit(pack, chosen, fits):
                    continue
                message = (
                    f"option '{decision.id}.{option.id}' lists practice '{pid}', which only "
                    f"fits when {_short(fits, names)}; it can never apply to this option"
                )
                problems.append(_problem(decision.where, "warning", message))
    return problems


def analyse(pack: Pack) -> list[Problem]:
    """Every static problem that needs the whole pack: cycles, dead rules, dead options."""
    problems = show_if_cycles(pack) + decision_cycles(pack)
    if problems:
        return problems
    dead = {rule.id for rule in pack.rules if can_be_true(pack, rule.when) is False}
    problems = [
        _problem(
            rule.where,
            "error",
            f"rule '{rule.id}': its condition can never be true ({_short(rule.when)}); "
            "check for contradictory leaves or questions that are never asked together",
        )
        for rule in pack.rules
        if rule.id in dead
    ]
    live = [rule for rule in pack.rules if rule.id not in dead]
    return (
        problems
        + _unreachable_options(pack, dead)
        + _unattached_practices(pack, live)
        + practice_fit(pack, dead)
    )


def _unreachable_options(pack: Pack, dead: set[str]) -> list[Problem]:
    """Options that are not the default, that no rule that can fire argues for, and that
    cannot win by exclusion either."""
    return [
        _problem(
            decision.where,
            "warning",
            f"decision '{decision.id}': no rule can ever choose option '{option.id}' "
            "and it is not the default",
        )
        for decision in pack.decisions
        for option in decision.options
        if option.id not in _reachable(pack, decision, dead)
    ]


def _unattached_practices(pack: Pack, live: list[Rule]) -> list[Problem]:
    attached = {e.practice for rule in live for e in rule.effects if e.kind == "practice"}
    attached |= {pid for d in pack.decisions for o in d.options for pid in o.practices}
    return [
        _problem(p.where, "warning", f"practice '{p.id}' is never attached by a rule")
        for p in pack.practices
        if p.id not in attached
    ]


def _short(cond: Cond, names: DecisionNames | None = None) -> str:
    text = describe(cond, names)
    return text if len(text) <= 160 else text[:157] + "..."
