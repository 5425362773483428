"""The public rules browser's content: every decision, option, rule and source of a pack,
worded for founders, with the filters "rules about this decision" and "rules reading this
question"."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine import AnswersError, Pack, evaluate
from advisor.engine.conditions import questions_of
from advisor.engine.model import Decision, DecisionOption, Rule, Scenario, Source
from advisor.engine.wording import condition_words, effect_words, short_label


@dataclass(frozen=True)
class RuleEntry:
    rule: Rule
    condition: str
    effects: tuple[str, ...]
    decisions: tuple[tuple[str, str], ...]  # (id, title) of the decisions it moves
    questions: tuple[tuple[str, str], ...]  # (id, text) of the questions it reads
    source: Source | None

    @property
    def id(self) -> str:
        return self.rule.id

    def moves(self, decision_id: str) -> bool:
        return any(d == decision_id for d, _ in self.decisions)

    def reads(self, question_id: str) -> bool:
        return any(q == question_id for q, _ in self.questions)


@dataclass(frozen=True)
class OptionEntry:
    option: DecisionOption
    products: tuple[tuple[str, tuple[str, ...]], ...]  # (cloud label, products)


@dataclass(frozen=True)
class DecisionEntry:
    decision: Decision
    options: tuple[OptionEntry, ...]
    rules: tuple[RuleEntry, ...]

    @property
    def default_title(self) -> str:
        return self.decision.option(self.decision.default).title


@dataclass(frozen=True)
class SourceEntry:
    source: Source
    external_url: str
    rules: tuple[Rule, ...]
    practices: tuple[str, ...]  # practice titles


def rule_entry(*, pack: Pack, rule: Rule) -> RuleEntry:
    """One rule worded: its condition, each effect, and what it touches and reads."""
    sources = {s.key: s for s in pack.sources}
    read = questions_of(rule.when)
    moved = {e.decision for e in rule.effects if e.decision}
    return RuleEntry(
        rule=rule,
        condition=condition_words(pack=pack, cond=rule.when),
        effects=tuple(effect_words(pack=pack, effect=e) for e in rule.effects),
        decisions=tuple((d.id, d.title) for d in pack.decisions if d.id in moved),
        questions=tuple((q.id, q.text) for q in pack.questions if q.id in read),
        source=sources.get(rule.source),
    )


def _cloud_labels(pack: Pack) -> dict[str, str]:
    cloud = pack.compiled.questions.get("cloud")
    labels = {o.id: short_label(o.label) for o in cloud.options} if cloud else {}
    return {**labels, "undecided": labels.get("undecided", "Not decided yet")}


def _options(pack: Pack, decision: Decision) -> tuple[OptionEntry, ...]:
    clouds = _cloud_labels(pack)
    return tuple(
        OptionEntry(o, tuple((clouds.get(c, c), products) for c, products in o.products))
        for o in decision.options
    )


def rulebook(
    *, pack: Pack, decision: str = "", question: str = ""
) -> tuple[list[DecisionEntry], list[RuleEntry]]:
    """Decisions with their options and rules, then the rules that only add practices.

    `decision` keeps one decision; `question` keeps the rules whose condition reads it (and
    the decisions that have such a rule). Unknown filter values keep nothing.
    """
    entries = [rule_entry(pack=pack, rule=r) for r in pack.rules]
    if question:
        entries = [e for e in entries if e.reads(question)]
    decisions = [
        DecisionEntry(d, _options(pack, d), tuple(e for e in entries if e.moves(d.id)))
        for d in pack.decisions
        if not decision or d.id == decision
    ]
    if question:
        decisions = [d for d in decisions if d.rules]
    practice_only = [] if decision else [e for e in entries if not e.decisions]
    return decisions, practice_only


@dataclass(frozen=True)
class ScenarioHit:
    scenario: Scenario
    expects: tuple[tuple[str, str], ...]  # (decision title, option title) the rule moves


def scenarios_firing(*, pack: Pack, rule: Rule) -> list[ScenarioHit]:
    """The pack's scenarios whose answers make this rule fire, with what each expects of the
    decisions the rule moves."""
    index = pack.rules.index(rule)
    moved = {e.decision for e in rule.effects if e.decision}
    decisions = pack.compiled.decisions
    found = []
    for scenario in pack.scenarios:
        try:
            rec = evaluate(pack, scenario.answers)
        except AnswersError:
            continue  # a failing scenario is the scenario tests' business, not the browser's
        if rec.fired[index]:
            expects = tuple(
                (decisions[d].title, decisions[d].option(o).title)
                for d, o in scenario.decisions
                if d in moved
            )
            found.append(ScenarioHit(scenario, expects))
    return found


def source_entries(*, pack: Pack) -> list[SourceEntry]:
    """Each source with its address when it is outside the app, and who cites it."""
    return [
        SourceEntry(
            source=s,
            external_url=s.url if s.url.startswith(("http://", "https://")) else "",
            rules=tuple(r for r in pack.rules if r.source == s.key),
            practices=tuple(p.title for p in pack.practices if p.source == s.key),
        )
        for s in pack.sources
    ]
