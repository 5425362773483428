"""What-if: which single answer changes would flip each decision.

Only the rules that read the changed question (or a question whose visibility it changes)
are checked again; decisions are then resolved again in dependency order, and a decision
that reads a changed decision has its rules checked again too, so a change that flips
`messaging` can flip `event_model` through a rule on `{decision: messaging, ...}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from .answers import Answer, answer_json, apply_visibility
from .conditions import Answers, Check, decision_key
from .model import Question
from .pack import Compiled, Pack
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


@dataclass(frozen=True)
class _Index:
    """What the search reads on every candidate change, worked out once per compiled pack."""

    shown: dict[str, Check]  # question -> its show_if, for the questions that have one
    reading: dict[str, frozenset[int]]  # question -> the rules that read it
    early: dict[str, tuple[int, ...]]  # the same without the rules that read decisions
    rule_decisions: tuple[frozenset[str], ...]  # rule -> the decisions it has effects on
    relevant: tuple[Question, ...]  # the questions some decision reads, in pack order

    @classmethod
    def build(cls, pack: Pack) -> _Index:
        compiled = pack.compiled
        reading = {q: frozenset(compiled.rules_reading.get(q, ())) for q in compiled.questions}
        read = {q for deps in compiled.decision_deps.values() for q in deps}
        return cls(
            shown=dict(compiled.visibility),
            reading=reading,
            early={q: tuple(sorted(r - compiled.late_rules)) for q, r in reading.items()},
            rule_decisions=tuple(
                frozenset(d for d, _ in effects) for effects in compiled.rule_decision_effects
            ),
            relevant=tuple(q for q in pack.questions if q.id in read),
        )


_INDEX: WeakKeyDictionary[Compiled, _Index] = WeakKeyDictionary()


def _index(pack: Pack) -> _Index:
    found = _INDEX.get(pack.compiled)
    if found is None:
        found = _INDEX[pack.compiled] = _Index.build(pack)
    return found


def _flipped_by_answers(
    pack: Pack, changed: Answers, base: Outcome, early: Iterable[int]
) -> set[int]:
    """The rules among `early` (rules that read only answers) whose verdict differs on
    `changed`. A rule whose guard leaf (see pack._guard) fails on `changed` cannot fire, so
    its condition is not checked."""
    checks, guards, fired = pack.compiled.rule_checks, pack.compiled.rule_guards, base.fired
    flipped: set[int] = set()
    for i in early:
        guard = guards.get(i)
        if guard is not None:
            qid, keys, multi = guard
            value = changed.get(qid)
            if value is None or (keys.isdisjoint(value) if multi else value not in keys):
                if fired[i]:
                    flipped.add(i)
                continue
        if (checks[i](changed) is True) != fired[i]:
            flipped.add(i)
    return flipped


def _new_options(
    pack: Pack, index: _Index, changed: Answers, base: Outcome, touched: set[str]
) -> dict[str, str]:
    """decision -> option, for the decisions whose option differs once `touched` changed."""
    compiled = pack.compiled
    if len(touched) == 1:
        (only,) = touched
        rerun, early = index.reading[only], index.early[only]
    else:
        rerun = frozenset().union(*(index.reading[k] for k in touched))
        early = tuple(sorted(rerun - compiled.late_rules))
    flipped = _flipped_by_answers(pack, changed, base, early)
    late_rerun = not rerun.isdisjoint(compiled.late_rules)
    if not flipped and not late_rerun:
        return {}  # no rule changed its mind, and none that reads decisions needs a look
    flags = list(base.fired)
    affected: set[str] = set()
    for i in flipped:
        flags[i] = not flags[i]
        affected |= index.rule_decisions[i]
    checks = compiled.rule_checks
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
                    affected |= index.rule_decisions[i]
        if did not in affected:
            continue
        option = resolve(compiled.decisions[did], compiled.decision_effects[did], flags).option
        if option != base.resolutions[did].option:
            moved[did] = option
            if env is not None:
                env[decision_key(did)] = option
    return moved


def _changes(
    pack: Pack, values: Answers, base: Outcome, questions: Iterable[Question], *, first: bool
) -> Iterator[Change]:
    """Answer changes that move some decision. With `first`, a question is left as soon as
    every decision it could move has moved (enough to know it is open)."""
    compiled = pack.compiled
    index = _index(pack)
    for q in questions:
        check = index.shown.get(q.id)
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
            moved = _new_options(pack, index, changed, base, {q.id, *dropped})
            if moved:
                found.update(moved)
                yield q, candidate, moved


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
    questions = _index(pack).relevant
    for q, candidate, moved in _changes(pack, values, base, questions, first=False):
        for decision_id, option in moved.items():
            if (decision_id, q.id, option) not in seen:
                seen.add((decision_id, q.id, option))
                flips[decision_id].append(_flip(pack, q, candidate, decision_id, option))
    return flips


def open_questions(pack: Pack, values: Answers, base: Outcome) -> dict[str, tuple[str, ...]]:
    """For each decision, the unanswered questions one answer to which would change it."""
    questions = [q for q in _index(pack).relevant if q.id not in values]
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
