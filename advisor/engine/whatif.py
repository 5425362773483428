"""What-if: which single answer changes would flip each decision.

Only the rules that read the changed question (or a question whose visibility it changes)
are checked again; decisions are then resolved again in dependency order, and a decision
that reads a changed decision has its rules checked again too, so a change that flips
`messaging` can flip `event_model` through a rule on `{decision: messaging, ...}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from .answers import Answer, answer_json, apply_visibility
from .conditions import Answers, Check, decision_key
from .model import Question
from .pack import Compiled, Pack, RuleGuard
from .resolve import Outcome, resolve
from .result import Flip

Change = tuple[Question, Answer, dict[str, str]]  # question, new answer, decision -> new option


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
    """One option more or one fewer; never the empty set, which reads as no answer at all."""
    if current is None:
        yield from (frozenset((o,)) for o in q.option_ids)
        return
    exclusive = {o.id for o in q.options if o.exclusive}
    for o in q.option_ids:
        if o in current:
            if len(current) > 1:
                yield current - {o}
        elif o in exclusive:
            yield frozenset((o,))
        else:
            yield (current - exclusive) | {o}


def _may_fire(guard: RuleGuard | None, changed: Answers) -> bool:
    """Whether a rule's guard leaf (see pack._guard) can hold on `changed`: if not, the rule
    cannot fire, and its condition need not be checked."""
    if guard is None:
        return True
    qid, keys, multi = guard
    value = changed.get(qid)
    if value is None:
        return False
    return not keys.isdisjoint(value) if multi else value in keys


def _new_options(pack: Pack, changed: Answers, base: Outcome, touched: set[str]) -> dict[str, str]:
    """decision -> option, for the decisions whose option differs once `touched` changed."""
    compiled = pack.compiled
    checks, guards, late = compiled.rule_checks, compiled.rule_guards, compiled.late_rules
    rerun = {i for k in touched for i in compiled.rules_reading.get(k, ())}
    fired = base.fired
    flipped: set[int] = set()
    for i in rerun:
        if i in late:
            continue
        now = _may_fire(guards.get(i), changed) and checks[i](changed) is True
        if now != fired[i]:
            flipped.add(i)
    late_rerun = not rerun.isdisjoint(late)
    if not flipped and not late_rerun:
        return {}  # no rule changed its mind, and none that reads decisions needs a look
    flags = list(fired)
    for i in flipped:
        flags[i] = not flags[i]
    env: dict[str, Any] | None = None  # built only if a rule reading decisions is stale
    moved: dict[str, str] = {}
    for did in compiled.decision_order:
        if moved or late_rerun:
            for i in compiled.late_before[did]:
                if i not in rerun and compiled.rule_decisions_read[i].isdisjoint(moved):
                    continue
                if env is None:
                    env = {**changed, **base.chosen}
                    env.update((decision_key(d), o) for d, o in moved.items())
                if (checks[i](env) is True) != flags[i]:
                    flags[i] = not flags[i]
                    flipped.add(i)
        if flipped.isdisjoint(compiled.decision_rules[did]):
            continue
        option = resolve(compiled.decisions[did], compiled.decision_effects[did], flags).option
        if option != base.resolutions[did].option:
            moved[did] = option
            if env is not None:
                env[decision_key(did)] = option
    return moved


_SHOWN: WeakKeyDictionary[Compiled, dict[str, Check]] = WeakKeyDictionary()


def _shown(compiled: Compiled) -> dict[str, Check]:
    """question -> its compiled show_if, for the questions that have one (once per pack)."""
    found = _SHOWN.get(compiled)
    if found is None:
        found = _SHOWN[compiled] = dict(compiled.visibility)
    return found


def _changes(
    pack: Pack, values: Answers, base: Outcome, questions: Iterable[Question], *, first: bool
) -> Iterator[Change]:
    """Answer changes that move some decision. With `first`, a question is left as soon as
    every decision it could move has moved (enough to know it is open)."""
    compiled = pack.compiled
    shown = _shown(compiled)
    for q in questions:
        check = shown.get(q.id)
        if check is not None and check(values) is not True:
            # Not asked with these answers, whatever it is answered: its show_if reads only
            # other questions, and answering it drops none of those (no show_if cycles).
            continue
        # A question no show_if reads, and with none of its own, hides or shows nothing: the
        # answers stay as `apply_visibility` left them.
        may_hide = q.show_if is not None or q.id in compiled.visibility_reads
        reachable = set(compiled.question_decisions.get(q.id, ()))
        found: set[str] = set()
        for candidate in _candidates(q, values.get(q.id), compiled.thresholds.get(q.id, ())):
            if first and reachable <= found:
                break
            changed: dict[str, Any] = dict(values)
            changed[q.id] = candidate
            dropped = apply_visibility(pack, changed) if may_hide else []
            if q.id not in changed:
                continue  # the question would not even be asked with the other answers
            moved = _new_options(pack, changed, base, {q.id, *dropped})
            if moved:
                found.update(moved)
                yield q, candidate, moved


def _relevant(pack: Pack) -> set[str]:
    relevant: set[str] = set()
    for deps in pack.compiled.decision_deps.values():
        relevant.update(deps)
    return relevant


def answer_words(q: Question, value: Any) -> str:
    """An answer as the questionnaire shows it: option labels, yes/no, the number."""
    labels = q.labels
    if q.type == "boolean":
        return "yes" if value else "no"
    if q.type == "multi":
        chosen = [labels[o] for o in q.option_ids if o in value]
        return "; ".join(chosen)
    if q.type == "single":
        return labels.get(str(value), str(value))
    return f"{value:,}" if isinstance(value, int) else str(value)


def _flip(pack: Pack, q: Question, candidate: Answer, decision_id: str, option: str) -> Flip:
    title = pack.compiled.decisions[decision_id].option(option).title
    words = answer_words(q, candidate)
    return {
        "question": q.id,
        "answer": answer_json(q, candidate),
        "option": option,
        "question_text": q.text,
        "answer_label": words,
        "option_title": title,
        "text": f'Would become "{title}" if "{q.text}" were answered "{words}".',
    }


def flips_for(pack: Pack, values: Answers, base: Outcome) -> dict[str, list[Flip]]:
    """For each decision: the answers that would change it, each with the option it would
    then choose and a sentence in the questionnaire's own words."""
    flips: dict[str, list[Flip]] = {d.id: [] for d in pack.decisions}
    seen: set[tuple[str, str, str]] = set()
    relevant = _relevant(pack)
    questions = [q for q in pack.questions if q.id in relevant]
    for q, candidate, moved in _changes(pack, values, base, questions, first=False):
        for decision_id, option in moved.items():
            if (decision_id, q.id, option) not in seen:
                seen.add((decision_id, q.id, option))
                flips[decision_id].append(_flip(pack, q, candidate, decision_id, option))
    return flips


def open_questions(pack: Pack, values: Answers, base: Outcome) -> dict[str, tuple[str, ...]]:
    """For each decision, the unanswered questions one answer to which would change it."""
    relevant = _relevant(pack)
    questions = [q for q in pack.questions if q.id in relevant and q.id not in values]
    found: dict[str, list[str]] = {}
    for q, _, moved in _changes(pack, values, base, questions, first=True):
        for decision_id in moved:
            ids = found.setdefault(decision_id, [])
            if q.id not in ids:
                ids.append(q.id)
    return {d: tuple(ids) for d, ids in found.items()}


def open_from_flips(values: Answers, flips: Mapping[str, list[Flip]]) -> dict[str, tuple[str, ...]]:
    """The same as `open_questions`, read off what-if flips already computed."""
    found: dict[str, tuple[str, ...]] = {}
    for decision_id, changes in flips.items():
        ids = dict.fromkeys(f["question"] for f in changes if f["question"] not in values)
        if ids:
            found[decision_id] = tuple(ids)
    return found
