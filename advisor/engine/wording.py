"""Rules in plain words, built from the condition tree and the pack's own question texts.

`describe()` in conditions.py speaks in ids for logs and explanations; this module speaks to a
founder reading the rules browser: question texts in quotes, option labels, numbers with
separators, and negations pushed down to the leaves ("does not include", "is below") instead of
"not (...)".
"""

from __future__ import annotations

from .conditions import Cond
from .model import Effect, Rule
from .pack import Pack


def short_label(label: str) -> str:
    """An option label without its parenthesised detail: 'Native mobile apps (iOS, Android)'
    reads 'Native mobile apps' inside a sentence."""
    head = label.split(" (", 1)[0].strip()
    return head or label


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _join(items: list[str], last: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


class _Words:
    """Renders the conditions of one pack (question texts and option labels looked up once)."""

    def __init__(self, pack: Pack) -> None:
        self.questions = pack.compiled.questions
        self.decisions = pack.compiled.decisions

    def subject(self, qid: str) -> str:
        question = self.questions.get(qid)
        return f"“{question.text}”" if question else f"“{qid}”"

    def label(self, qid: str, value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        question = self.questions.get(qid)
        for option in question.options if question else ():
            if option.id == value:
                return f"‘{short_label(option.label)}’"
        return _number(value)

    def labels(self, qid: str, values: object, last: str) -> str:
        items = values if isinstance(values, tuple | list) else (values,)
        return _join([self.label(qid, v) for v in items], last)

    def condition(self, cond: Cond, *, negated: bool = False) -> str:
        if cond.op in ("all", "any"):
            # De Morgan: "not (a and b)" reads better as "not a or not b".
            conjunction = (cond.op == "all") is not negated
            parts = [self.grouped(c, negated=negated) for c in cond.children]
            return (" and " if conjunction else " or ").join(parts)
        if cond.op == "not":
            return self.condition(cond.children[0], negated=not negated)
        return self.leaf(cond, negated=negated)

    def grouped(self, cond: Cond, *, negated: bool) -> str:
        """A child of all/any, in parentheses when it is itself a group (under any `not`s)."""
        inner = cond
        while inner.op == "not":
            inner = inner.children[0]
        text = self.condition(cond, negated=negated)
        return f"({text})" if inner.op in ("all", "any") else text

    def leaf(self, cond: Cond, *, negated: bool) -> str:
        decision = getattr(cond, "decision", None)
        if decision:
            return self.decision_leaf(str(decision), cond.value, negated=negated)
        return _LEAF_PHRASES[cond.op](self, cond, negated)

    def decision_leaf(self, decision_id: str, value: object, *, negated: bool) -> str:
        """A leaf on another decision's outcome: 'the Messaging backbone decision is ‘A log-based
        event stream’' (`is`), or one of several options (`in`)."""
        decision = self.decisions.get(decision_id)
        title = decision.title if decision else decision_id
        wanted = value if isinstance(value, tuple | list) else (value,)
        titles = [
            f"‘{decision.option(str(o)).title if decision and o in decision.option_ids else o}’"
            for o in wanted
        ]
        if negated:
            choice = (
                f"is neither {_join(titles, 'nor')}" if len(titles) > 1 else f"is not {titles[0]}"
            )
        else:
            choice = f"is {_join(titles, 'or')}"
        return f"the {title} decision {choice}"


def _is(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    question = w.questions.get(q)
    if question is not None and question.type == "boolean":
        answer = bool(c.value) is not negated
        return f"{w.subject(q)} is answered {'yes' if answer else 'no'}"
    return f"{w.subject(q)} {'is not' if negated else 'is'} {w.label(q, c.value)}"


def _in(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    if negated:
        return f"{w.subject(q)} is neither {w.labels(q, c.value, 'nor')}"
    return f"{w.subject(q)} is {w.labels(q, c.value, 'or')}"


def _includes(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    verb = "does not include" if negated else "includes"
    return f"{w.subject(q)} {verb} {w.label(q, c.value)}"


def _includes_any(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    if negated:
        return f"{w.subject(q)} includes none of {w.labels(q, c.value, 'and')}"
    return f"{w.subject(q)} includes {w.labels(q, c.value, 'or')}"


def _includes_all(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    if negated:
        return f"{w.subject(q)} does not include all of {w.labels(q, c.value, 'and')}"
    return f"{w.subject(q)} includes {w.labels(q, c.value, 'and')}"


def _count_gte(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    count = f"fewer than {_number(c.value)}" if negated else f"at least {_number(c.value)}"
    among = f" of {w.labels(q, c.of, 'and')}" if c.of else " answers"
    return f"{count}{among} are chosen for {w.subject(q)}"


def _gte(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    bound = f"is below {_number(c.value)}" if negated else f"is at least {_number(c.value)}"
    return f"{w.subject(q)} {bound}"


def _lte(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    bound = f"is above {_number(c.value)}" if negated else f"is at most {_number(c.value)}"
    return f"{w.subject(q)} {bound}"


def _between(w: _Words, c: Cond, negated: bool) -> str:
    q = c.question
    low, high = c.members
    where = "outside" if negated else "between"
    return f"{w.subject(q)} is {where} {_number(low)} and {_number(high)}"


def _answered(w: _Words, c: Cond, negated: bool) -> str:
    answered = bool(c.value) is not negated
    return f"{w.subject(c.question)} {'is answered' if answered else 'is not answered yet'}"


_LEAF_PHRASES = {
    "is": _is,
    "in": _in,
    "includes": _includes,
    "includes_any": _includes_any,
    "includes_all": _includes_all,
    "count_gte": _count_gte,
    "gte": _gte,
    "lte": _lte,
    "between": _between,
    "answered": _answered,
}


def condition_words(*, pack: Pack, cond: Cond) -> str:
    """A condition as a founder reads it, e.g. '“Who calls your backend?” includes Browser
    application and “Peak requests per second at the edge” is at least 5,000'."""
    return _Words(pack).condition(cond)


def effect_words(*, pack: Pack, effect: Effect) -> str:
    """What one effect does, said as such: a score with its sign, an exclusion, a requirement,
    or a practice added to the checklist."""
    if effect.kind == "practice":
        practice = pack.compiled.practices.get(effect.practice)
        return f"adds the practice “{practice.title if practice else effect.practice}”"
    decision = pack.compiled.decisions[effect.decision]
    option = decision.option(effect.option).title
    if effect.kind == "exclude":
        return f"rules out ‘{option}’ for {decision.title}"
    if effect.kind == "require":
        return f"requires ‘{option}’ for {decision.title}"
    if effect.weight < 0:
        return f"counts against ‘{option}’ for {decision.title} (−{abs(effect.weight)})"
    return f"favours ‘{option}’ for {decision.title} (+{effect.weight})"


def rule_sentence(*, pack: Pack, rule: Rule) -> str:
    """The whole rule in one line: 'When … → effect; effect'."""
    effects = "; ".join(effect_words(pack=pack, effect=e) for e in rule.effects)
    return f"When {condition_words(pack=pack, cond=rule.when)} → {effects}"
