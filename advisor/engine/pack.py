"""The loaded pack and what is compiled from it once, so evaluation only runs closures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from . import model
from .conditions import (
    Check,
    Cond,
    DecisionNames,
    compile_condition,
    decisions_of,
    describe,
    leaves,
    positive_leaves,
    questions_of,
)
from .model import Decision, Plausibility, Practice, Question
from .problems import Problem
from .result import DecisionEffectKind

# question id -> answer (or option of a multi answer) -> indexes of the rules it guards
GuardTable = dict[str, dict[str | bool | int, tuple[int, ...]]]
RuleGuard = tuple[str, frozenset[str | bool | int], bool]


class DecisionEffect(NamedTuple):
    """A score, require or exclude effect, compiled to indexes for resolution."""

    rule: int  # index of the rule in pack order
    kind: DecisionEffectKind
    option: int  # index of the option in the decision's options
    weight: int
    # Whether it pushes its option forward (require, positive score) or holds it back; kept
    # here because every explanation asks (Effect.argues_for says the same of the source).
    argues_for: bool


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a cache key per pack
class Compiled:
    """Indexes and closures derived from the pack; built once by `compile_pack`."""

    questions: dict[str, Question]
    decisions: dict[str, Decision]
    practices: dict[str, Practice]
    rule_checks: tuple[Check, ...]
    visibility: tuple[tuple[str, Check], ...]  # show_if closures in dependency order
    visibility_reads: frozenset[str]  # the questions some show_if reads
    # per decision, in rule order: its score/require/exclude effects
    decision_effects: dict[str, tuple[DecisionEffect, ...]]
    # per rule: (decision id, effect) for its score/require/exclude effects
    rule_decision_effects: tuple[tuple[tuple[str, DecisionEffect], ...], ...]
    practice_effects: tuple[tuple[int, str], ...]
    rules_reading: dict[str, tuple[int, ...]]  # question -> rules whose condition reads it
    decision_rules: dict[str, frozenset[int]]
    decision_deps: dict[str, tuple[str, ...]]  # questions (with show_if parents) per decision
    thresholds: dict[str, tuple[int, ...]]  # integer question -> values where rules change
    question_decisions: dict[str, tuple[str, ...]]  # question -> decisions that depend on it
    # Rules indexed by a leaf that must hold for them to fire (see `_guard`): a rule under
    # value_guards[q][v] can only fire when q's answer is v; under multi_guards[q][o] only
    # when the multi answer q includes o. Only the `unguarded` rules are tried every time.
    value_guards: GuardTable
    multi_guards: GuardTable
    unguarded: tuple[int, ...]
    # The same guards per rule: rule -> (question, answers that let it fire, is the question
    # multi), for what-if to skip checking a rule whose guard a changed answer fails.
    rule_guards: dict[int, RuleGuard]
    option_sets: dict[str, frozenset[str]]  # single/multi question -> its option ids
    exclusive_options: dict[str, frozenset[str]]  # multi question -> its exclusive options
    # per rule: (plain words, closure) of each leaf outside a `not`, to explain why it fired
    rule_leaves: tuple[tuple[tuple[str, Check], ...], ...]
    # Rules reading decisions ("late" rules) run while decisions resolve, in decision_order:
    # late_before[d] are those to check just before d is resolved (d is the first decision
    # they affect); late_after are practice-only rules checked once every decision is known.
    decision_order: tuple[str, ...]
    late_rules: frozenset[int]
    late_before: dict[str, tuple[int, ...]]
    late_after: tuple[int, ...]
    rule_decisions_read: tuple[frozenset[str], ...]
    # per rule with require/exclude effects: its condition with `answered` leaves unknown, so
    # a constraint resting only on a missing answer is not counted as firm evidence
    firm_checks: dict[int, Check]
    practice_checks: dict[str, Check]  # practice id -> its only_when
    plausibility_checks: tuple[tuple[Plausibility, Check], ...]
    names: DecisionNames  # decision titles and option titles, to word decision leaves


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    version: str
    description: str
    sources: tuple[model.Source, ...]
    steps: tuple[model.Step, ...]
    questions: tuple[model.Question, ...]
    decisions: tuple[model.Decision, ...]
    rules: tuple[model.Rule, ...]
    practices: tuple[model.Practice, ...]
    components: tuple[model.Component, ...]
    diagram: model.Diagram
    scenarios: tuple[model.Scenario, ...]
    # Closures and indexes for evaluation, built by compile_pack before the pack exists (a
    # plain field: reading it is as cheap as any attribute, and nothing is set afterwards).
    compiled: Compiled = field(repr=False, compare=False)
    plausibility: tuple[model.Plausibility, ...] = ()
    warnings: tuple[Problem, ...] = ()
    fingerprint: str = ""
    # The single question whose answer picks each option's products, and the answer whose
    # products show while it is unanswered or an option names none for the answer given.
    products_question: str | None = None
    products_default: str | None = None


class Parts(NamedTuple):
    """What compile_pack reads: the loader compiles these before it builds the Pack."""

    questions: tuple[Question, ...]
    decisions: tuple[Decision, ...]
    rules: tuple[model.Rule, ...]
    practices: tuple[Practice, ...]
    plausibility: tuple[Plausibility, ...] = ()


def show_if_order(questions: tuple[Question, ...]) -> list[Question]:
    """Questions with a show_if, parents first (the loader has already refused cycles)."""
    by_id = {q.id: q for q in questions}
    done: set[str] = set()
    ordered: list[Question] = []

    def visit(q: Question, trail: frozenset[str]) -> None:
        if q.id in done or q.id in trail or q.show_if is None:
            return
        for parent in sorted(questions_of(q.show_if)):
            if parent in by_id:
                visit(by_id[parent], trail | {q.id})
        done.add(q.id)
        ordered.append(q)

    for q in questions:
        visit(q, frozenset())
    return ordered


def visibility_checks(
    questions: tuple[Question, ...], among: frozenset[str] | None = None
) -> tuple[tuple[str, Check], ...]:
    """(question id, compiled show_if) in dependency order, optionally only `among` questions."""
    return tuple(
        (q.id, compile_condition(q.show_if))
        for q in show_if_order(questions)
        if q.show_if is not None and (among is None or q.id in among)
    )


def _ancestors(qid: str, by_id: dict[str, Question]) -> set[str]:
    seen: set[str] = set()
    stack = [qid]
    while stack:
        current = by_id.get(stack.pop())
        if current is None or current.show_if is None:
            continue
        for parent in questions_of(current.show_if):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def integer_thresholds(conds: list[Cond]) -> dict[str, tuple[int, ...]]:
    """Per question, the integers on each side of every bound the conditions test: the only
    values what-if and the analysis need to try."""
    points: dict[str, set[int]] = {}
    for cond in conds:
        for leaf in leaves(cond):
            if leaf.q is None:
                continue  # a decision leaf: options, not numbers
            v = leaf.value
            bucket = points.setdefault(leaf.q, set())
            if leaf.op == "gte":
                bucket.update((leaf.number - 1, leaf.number))
            elif leaf.op == "lte":
                bucket.update((leaf.number, leaf.number + 1))
            elif leaf.op == "between":
                low, high = (int(n) for n in leaf.members)
                bucket.update((low - 1, low, high, high + 1))
            elif leaf.op in ("is", "in") and not isinstance(v, bool | str):
                values = v if isinstance(v, tuple) else (v,)
                for n in values:
                    if isinstance(n, int):
                        bucket.update((n - 1, n, n + 1))
    return {q: tuple(sorted(p)) for q, p in points.items() if p}


_GUARD_PREFERENCE = {"is": 0, "includes": 0, "includes_all": 1, "in": 2}


def _guard(cond: Cond) -> tuple[str, tuple[str | bool | int, ...]] | None:
    """A leaf that must be true for `cond` to be true, as (question, answers that satisfy it).

    Only a top-level leaf, or a direct child of a top-level `all`, qualifies; among them the
    most selective operator wins. For multi questions the values are options the answer must
    include (one per rule, so no rule is reached twice).
    """
    leaves_ = [cond] if cond.q is not None else list(cond.children) if cond.op == "all" else []
    usable = [leaf for leaf in leaves_ if leaf.q is not None and leaf.op in _GUARD_PREFERENCE]
    if not usable:
        return None
    leaf = min(usable, key=lambda c: _GUARD_PREFERENCE[c.op])
    if leaf.op == "in":
        return leaf.question, leaf.members
    if leaf.op == "includes_all":
        return leaf.question, leaf.members[:1]
    if leaf.value is None or isinstance(leaf.value, tuple):  # the schema allows neither
        return None
    return leaf.question, (leaf.value,)


def _rule_guards(value_guards: GuardTable, multi_guards: GuardTable) -> dict[int, RuleGuard]:
    """The guard tables turned around: each guarded rule's question and keys."""
    keys: dict[int, tuple[str, set[str | bool | int], bool]] = {}
    for table, multi in ((value_guards, False), (multi_guards, True)):
        for qid, by_key in table.items():
            for key, rules in by_key.items():
                for rule in rules:
                    keys.setdefault(rule, (qid, set(), multi))[1].add(key)
    return {rule: (qid, frozenset(found), multi) for rule, (qid, found, multi) in keys.items()}


def decision_graph(pack: Parts | Pack) -> dict[str, dict[str, list[str]]]:
    """decision -> {decision it reads -> ids of the rules that make it read that decision}."""
    graph: dict[str, dict[str, list[str]]] = {d.id: {} for d in pack.decisions}
    for rule in pack.rules:
        read = decisions_of(rule.when)
        for effect in rule.effects:
            if effect.kind != "practice" and effect.decision in graph:
                for source in read:
                    graph[effect.decision].setdefault(source, []).append(rule.id)
    return graph


def decision_order(pack: Parts | Pack) -> tuple[str, ...]:
    """Decisions with every decision they read before them, otherwise in pack order.

    The loader refuses cycles first (see analysis.decision_cycles), so this always ends.
    """
    graph = decision_graph(pack)
    done: list[str] = []

    def visit(did: str, trail: frozenset[str]) -> None:
        if did in done or did in trail:
            return
        for source in graph.get(did, {}):
            visit(source, trail | {did})
        done.append(did)

    for decision in pack.decisions:
        visit(decision.id, frozenset())
    return tuple(done)


def _late_rules(
    pack: Parts | Pack, order: tuple[str, ...]
) -> tuple[frozenset[int], dict[str, tuple[int, ...]], tuple[int, ...]]:
    position = {d: i for i, d in enumerate(order)}
    before: dict[str, list[int]] = {d: [] for d in order}
    after: list[int] = []
    late: set[int] = set()
    for index, rule in enumerate(pack.rules):
        if not decisions_of(rule.when):
            continue
        late.add(index)
        affected = [e.decision for e in rule.effects if e.kind != "practice"]
        if affected:
            before[min(affected, key=position.__getitem__)].append(index)
        else:
            after.append(index)
    return frozenset(late), {d: tuple(r) for d, r in before.items()}, tuple(after)


def _decision_deps(
    pack: Parts | Pack,
    direct: dict[str, set[str]],
    order: tuple[str, ...],
    by_id: dict[str, Question],
) -> dict[str, set[str]]:
    """Questions each decision depends on: its rules' questions, their show_if parents, and
    the questions of every decision its rules read."""
    graph = decision_graph(pack)
    deps = {d: set(qs) for d, qs in direct.items()}
    for did in order:
        for qid in list(deps[did]):
            deps[did].update(_ancestors(qid, by_id))
        for source in graph[did]:
            deps[did].update(deps[source])
    return deps


def decision_names(pack: Parts | Pack) -> DecisionNames:
    """Decision and option titles, so decision conditions read as words."""
    return {d.id: (d.title, {o.id: o.title for o in d.options}) for d in pack.decisions}


def _guard_index(
    pack: Parts | Pack, by_id: dict[str, Question], late: frozenset[int]
) -> tuple[GuardTable, GuardTable, tuple[int, ...]]:
    """Rules by their guard: (value guards, multi guards, unguarded rules); see `_guard`."""
    value_guards: dict[str, dict[str | bool | int, list[int]]] = {}
    multi_guards: dict[str, dict[str | bool | int, list[int]]] = {}
    unguarded: list[int] = []
    for index, rule in enumerate(pack.rules):
        if index in late:
            continue  # checked while decisions resolve, never up front
        guard = _guard(rule.when)
        if guard is None:
            unguarded.append(index)
            continue
        qid, keys = guard
        table = multi_guards if by_id[qid].type == "multi" else value_guards
        for key in keys:
            table.setdefault(qid, {}).setdefault(key, []).append(index)

    def frozen(table: dict[str, dict[str | bool | int, list[int]]]) -> GuardTable:
        return {q: {k: tuple(v) for k, v in keys.items()} for q, keys in table.items()}

    return frozen(value_guards), frozen(multi_guards), tuple(unguarded)


def compile_pack(pack: Parts | Pack) -> Compiled:
    """Build every closure and index evaluation needs; called once per load."""
    by_id = {q.id: q for q in pack.questions}
    decisions = {d.id: d for d in pack.decisions}
    decision_effects: dict[str, list[DecisionEffect]] = {d: [] for d in decisions}
    practice_effects: list[tuple[int, str]] = []
    rules_reading: dict[str, list[int]] = {}
    decision_rules: dict[str, set[int]] = {d: set() for d in decisions}
    decision_deps: dict[str, set[str]] = {d: set() for d in decisions}
    for index, rule in enumerate(pack.rules):
        read = questions_of(rule.when)
        for qid in read:
            rules_reading.setdefault(qid, []).append(index)
        for effect in rule.effects:
            if effect.kind == "practice":
                practice_effects.append((index, effect.practice))
                continue
            options = decisions[effect.decision].option_ids
            decision_effects[effect.decision].append(
                DecisionEffect(
                    index,
                    effect.kind,
                    options.index(effect.option),
                    effect.weight,
                    effect.argues_for,
                )
            )
            decision_rules[effect.decision].add(index)
            decision_deps[effect.decision].update(read)
    resolution_order = decision_order(pack)
    decision_deps = _decision_deps(pack, decision_deps, resolution_order, by_id)
    late, late_before, late_after = _late_rules(pack, resolution_order)
    order = [q.id for q in pack.questions]
    value_guards, multi_guards, unguarded = _guard_index(pack, by_id, late)
    names = decision_names(pack)
    conds = [r.when for r in pack.rules] + [q.show_if for q in pack.questions if q.show_if]
    return Compiled(
        questions=by_id,
        decisions=decisions,
        practices={p.id: p for p in pack.practices},
        rule_checks=tuple(compile_condition(r.when) for r in pack.rules),
        visibility=visibility_checks(pack.questions),
        visibility_reads=frozenset(
            qid for q in pack.questions if q.show_if for qid in questions_of(q.show_if)
        ),
        decision_effects={d: tuple(e) for d, e in decision_effects.items()},
        rule_decision_effects=tuple(
            tuple((d, e) for d, effects in decision_effects.items() for e in effects if e.rule == i)
            for i in range(len(pack.rules))
        ),
        practice_effects=tuple(practice_effects),
        rules_reading={q: tuple(r) for q, r in rules_reading.items()},
        decision_rules={d: frozenset(r) for d, r in decision_rules.items()},
        decision_deps={
            d: tuple(sorted(deps, key=order.index)) for d, deps in decision_deps.items()
        },
        thresholds=integer_thresholds(conds),
        question_decisions={
            q.id: tuple(d for d in decisions if q.id in decision_deps[d])
            for q in pack.questions
            if any(q.id in deps for deps in decision_deps.values())
        },
        value_guards=value_guards,
        multi_guards=multi_guards,
        unguarded=unguarded,
        rule_guards=_rule_guards(value_guards, multi_guards),
        option_sets={q.id: frozenset(q.option_ids) for q in pack.questions if q.options},
        exclusive_options={
            q.id: frozenset(o.id for o in q.options if o.exclusive)
            for q in pack.questions
            if q.type == "multi"
        },
        rule_leaves=tuple(
            tuple(
                (describe(leaf, names), compile_condition(leaf)) for leaf in positive_leaves(r.when)
            )
            for r in pack.rules
        ),
        decision_order=resolution_order,
        late_rules=late,
        late_before=late_before,
        late_after=late_after,
        rule_decisions_read=tuple(frozenset(decisions_of(r.when)) for r in pack.rules),
        firm_checks={
            index: compile_condition(rule.when, strict=True)
            for index, rule in enumerate(pack.rules)
            if any(e.kind in ("require", "exclude") for e in rule.effects)
        },
        practice_checks={
            p.id: compile_condition(p.only_when) for p in pack.practices if p.only_when
        },
        plausibility_checks=tuple((p, compile_condition(p.when)) for p in pack.plausibility),
        names=names,
    )
