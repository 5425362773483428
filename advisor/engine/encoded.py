"""The recommendation as JSON bytes, assembled from parts encoded once per pack.

Most of a result is the same for every request on a pack version: option titles and
descriptions, consequences, products per cloud, the questions still open, the decisions each
one reads. `ResultParts` encodes those once per compiled pack (orjson fragments, copied into
each response as bytes), so a request only works out what depends on the answers: the
choice, its confidence and statement, the rules that fired, the alternatives' scores.

The output is byte for byte `orjson.dumps(rec.to_dict())`: `to_dict` stays the plain
reference that a property test holds this path to (tests/engine/test_encoded.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import orjson

from .answers import as_json
from .conditions import Cond
from .model import Decision, DecisionOption
from .pack import Compiled, DecisionEffect, Pack
from .resolve import Resolution
from .result import practice_result, rule_mention, rule_reference
from .statements import deciding_questions, needs_deciding_questions, statement

if TYPE_CHECKING:  # evaluate.py calls this module
    from .evaluate import Recommendation

Fragment = orjson.Fragment
# The resolution, the fired rules' effects per option, the open questions, the products
# answer, the questions a default statement names, and which conditions held for each rule
# reference worded from them.
EntryKey = tuple[
    Resolution,
    tuple[DecisionEffect, ...],
    tuple[str, ...],
    str | None,
    tuple[str, ...],
    tuple[tuple[bool, ...], ...],
]
# Bound on the alternatives kept per decision: the combinations of rules a pack can fire on
# one option are few in practice, but nothing here should grow without end.
MAX_SEEN_ALTERNATIVES = 4096
# Bound on the whole decision entries kept per decision (a few KB each: 11 decisions x 512
# entries is at most ~20 MB per compiled pack, and far fewer states are met in practice).
MAX_SEEN_ENTRIES = 512


def _exact(encoded: bytes) -> bytes:
    """A copy of orjson's output that owns only its bytes: orjson's own result keeps a buffer of
    at least about 4 KB, which adds up over thousands of stored parts."""
    return bytes(memoryview(encoded))


def _encoded(value: object) -> Fragment:
    return Fragment(_exact(orjson.dumps(value)))


@dataclass(frozen=True)
class OptionParts:
    """What a chosen option always shows: its consequences and its products per answer of
    the pack's products question (None: unanswered)."""

    consequences: Fragment
    products: dict[str | None, Fragment]
    option: DecisionOption

    def products_for(self, answer: str | None, *, default: str | None) -> Fragment:
        """The products shown for `answer` (encoded now for an answer the pack never names)."""
        found = self.products.get(answer)
        return (
            found
            if found is not None
            else _encoded(self.option.products_for(answer, default=default))
        )

    @classmethod
    def build(cls, pack: Pack, option: DecisionOption) -> OptionParts:
        question = pack.compiled.questions.get(pack.products_question or "")
        answers: list[str | None] = [None, *(question.option_ids if question else ())]
        default = pack.products_default
        return cls(
            consequences=_encoded(
                {"good": option.good, "bad": option.bad, "neutral": option.neutral}
            ),
            products={a: _encoded(option.products_for(a, default=default)) for a in answers},
            option=option,
        )


@dataclass(frozen=True)
class DecisionParts:
    """A decision's parts that no answer changes."""

    options: tuple[OptionParts, ...]
    names: tuple[tuple[str, str], ...]  # (id, title) per option
    depends_on: Fragment
    mentions: dict[DecisionEffect, Fragment]  # a fired rule named under an alternative
    # A fired rule behind an option, whole when its conditions are all that can hold (see
    # `_held_whenever_it_fires`); None when which of them held depends on the answers.
    refs: dict[DecisionEffect, Fragment | None]
    # Alternatives as met, by (option index, the fired rules' effects on it): those effects
    # alone decide its score, whether it is excluded, and the rules named for and against it.
    seen: dict[tuple[int, tuple[DecisionEffect, ...]], Fragment] = field(default_factory=dict)
    # Whole entries (without what-if) as met, by `_entry_key`: what the entry depends on.
    entries: dict[EntryKey, bytes] = field(default_factory=dict)

    @classmethod
    def build(cls, pack: Pack, decision: Decision) -> DecisionParts:
        rules = pack.rules
        return cls(
            options=tuple(OptionParts.build(pack, o) for o in decision.options),
            names=tuple((o.id, o.title) for o in decision.options),
            depends_on=_encoded(pack.compiled.decision_deps[decision.id]),
            mentions={
                e: _encoded(rule_mention(rules[e.rule], effect=e.kind, weight=e.weight))
                for e in pack.compiled.decision_effects[decision.id]
            },
            refs={e: _static_ref(pack, e) for e in pack.compiled.decision_effects[decision.id]},
        )


def _held_whenever_it_fires(cond: Cond) -> bool:
    """Whether every leaf outside a `not` holds whenever `cond` does: no `any` above one."""
    if cond.is_leaf or cond.op == "not":
        return True
    return cond.op == "all" and all(_held_whenever_it_fires(c) for c in cond.children)


def _static_ref(pack: Pack, effect: DecisionEffect) -> Fragment | None:
    """A rule reference as `Recommendation._rule_ref` words it, when no answer changes it."""
    rule = pack.rules[effect.rule]
    if not _held_whenever_it_fires(rule.when):
        return None
    every_leaf = [words for words, _ in pack.compiled.rule_leaves[effect.rule]]
    return _encoded(
        rule_reference(rule, effect=effect.kind, weight=effect.weight, conditions=every_leaf)
    )


@dataclass(frozen=True)
class ResultParts:
    """Everything static of a result on one compiled pack."""

    pack: Fragment
    decisions: dict[str, DecisionParts]
    needed: dict[str, Fragment]  # question -> {"question", "text"} under "needs_answers"
    # The practices that fired rules and chosen options bring, each encoded with the rules and
    # decisions behind it, by (the fired rules that attach practices, every chosen option);
    # their `only_when` is checked per request.
    practices: dict[tuple[tuple[int, ...], tuple[str, ...]], list[tuple[str, Fragment]]] = field(
        default_factory=dict
    )

    @classmethod
    def build(cls, pack: Pack) -> ResultParts:
        return cls(
            pack=_encoded({"id": pack.id, "version": pack.version}),
            decisions={d.id: DecisionParts.build(pack, d) for d in pack.decisions},
            needed={q.id: _encoded({"question": q.id, "text": q.text}) for q in pack.questions},
        )


_PARTS: WeakKeyDictionary[Compiled, ResultParts] = WeakKeyDictionary()


def result_parts(pack: Pack) -> ResultParts:
    """The static parts of `pack`'s results, built on first use and kept as long as the
    compiled pack lives (two threads may both build them once: same bytes either way)."""
    parts = _PARTS.get(pack.compiled)
    if parts is None:
        parts = _PARTS[pack.compiled] = ResultParts.build(pack)
    return parts


def encode_result(rec: Recommendation) -> bytes:
    """`orjson.dumps(rec.to_dict())`, from the pack's encoded parts and what the answers decide."""
    parts = result_parts(rec.pack)
    flagged = rec._plausibility()
    return orjson.dumps(
        {
            "pack": parts.pack,
            "answers": as_json(rec.pack, rec.values),
            "decisions": [_decision_entry(rec, parts, d) for d in rec.pack.decisions],
            "practices": _practices(rec, parts),
            "unknown": rec._unknown(),
            "plausibility": flagged,
            "warnings": rec._all_warnings(flagged),
        }
    )


def _practices(rec: Recommendation, parts: ResultParts) -> list[Fragment]:
    """`Recommendation._practices()`, each practice encoded once per combination of sources."""
    compiled = rec.pack.compiled
    fired = rec.fired
    key = (
        tuple(i for i, _ in compiled.practice_effects if fired[i]),
        tuple(res.option for res in rec.resolutions.values()),
    )
    brought = parts.practices.get(key)
    if brought is None:
        sources = rec._practice_sources()
        brought = [
            (p.id, _encoded(practice_result(p, *sources[p.id])))
            for p in rec.pack.practices
            if p.id in sources
        ]
        if len(parts.practices) < MAX_SEEN_ENTRIES:
            parts.practices[key] = brought
    fits, env = compiled.practice_checks, rec.env
    return [encoded for pid, encoded in brought if pid not in fits or fits[pid](env) is True]


def _decision_entry(rec: Recommendation, parts: ResultParts, decision: Decision) -> Fragment:
    """One decision's entry, encoded: reused whole when the same decision state was met before.

    An entry depends on the answers only through `_entry_key`, so answer sets that differ
    elsewhere share it.
    """
    mine = parts.decisions[decision.id]
    res = rec.resolutions[decision.id]
    fired = rec.fired
    effects = tuple(e for e in rec.pack.compiled.decision_effects[decision.id] if fired[e.rule])
    key = _entry_key(rec, decision, res, effects, mine)
    encoded = mine.entries.get(key)
    if encoded is None:
        entry = _decision(rec, parts, decision, res, rec._effects_on(decision))
        encoded = _exact(orjson.dumps(entry))
        if len(mine.entries) < MAX_SEEN_ENTRIES:
            mine.entries[key] = encoded
    if rec.what_if is None:
        return Fragment(encoded)
    # "what_if" is the entry's last key: the same bytes as encoding the whole entry at once.
    flips = orjson.dumps(rec.what_if.get(decision.id, []))
    return Fragment(b"".join((encoded[:-1], b',"what_if":', flips, b"}")))


def _entry_key(
    rec: Recommendation,
    decision: Decision,
    res: Resolution,
    effects: tuple[DecisionEffect, ...],
    mine: DecisionParts,
) -> EntryKey:
    """Everything a decision's entry (what-if aside) depends on; `effects` are the fired
    rules' effects on the decision."""
    chosen_index = decision.option_ids.index(res.option)
    chosen = [e for e in effects if e.option == chosen_index]
    open_ids = rec.open.get(decision.id, ())
    argued = any(e.argues_for for e in chosen)
    asks: tuple[str, ...] = ()
    if needs_deciding_questions(res, open_ids, argued=argued):
        asks = tuple(deciding_questions(rec.pack, decision, rec.values))
    return (
        res,
        effects,
        open_ids,
        rec.product_answer,
        asks,
        _conditions_held(rec, chosen, mine.refs),
    )


def _conditions_held(
    rec: Recommendation,
    chosen: Sequence[DecisionEffect],
    refs: dict[DecisionEffect, Fragment | None],
) -> tuple[tuple[bool, ...], ...]:
    """For each rule reference worded from the conditions that held (`refs` None), which held."""
    held: list[tuple[bool, ...]] = []
    leaves = rec.pack.compiled.rule_leaves
    for effect in chosen:
        if refs[effect] is None:
            held.append(tuple(check(rec.env) is True for _, check in leaves[effect.rule]))
    return tuple(held)


def _decision(
    rec: Recommendation,
    parts: ResultParts,
    decision: Decision,
    res: Resolution,
    effects: Sequence[Sequence[DecisionEffect]],
) -> dict[str, object]:
    """One decision as `Recommendation._decision_dict` has it, without what-if, static parts
    encoded."""
    mine = parts.decisions[decision.id]
    chosen_index = decision.option_ids.index(res.option)
    chosen = decision.options[chosen_index]
    fired = effects[chosen_index]
    open_ids = rec.open.get(decision.id, ())
    tied = rec._tied_with(decision, res)
    entry: dict[str, object] = {
        "id": decision.id,
        "title": decision.title,
        "question": decision.question,
        "option": res.option,
        "option_title": chosen.title,
        "description": chosen.description,
        "status": res.status,
        "confidence": rec._confidence(decision.id),
        "confidence_label": rec.confidence_label(decision.id),
        "score": res.scores[chosen_index],
        "statement": statement(
            rec.pack,
            decision,
            res,
            rec.values,
            open_ids,
            tied,
            rec.fired,
            argued=any(e.argues_for for e in fired),
        ),
        "needs_answers": [parts.needed[q] for q in open_ids],
        "runner_up": rec._runner_up(decision, res),
        "tied_with": tied,
        "rationale": [mine.refs[e] or rec._rule_ref(e) for e in fired if e.argues_for],
        "caveats": [mine.refs[e] or rec._rule_ref(e) for e in fired if not e.argues_for],
        "consequences": mine.options[chosen_index].consequences,
        "products": mine.options[chosen_index].products_for(
            rec.product_answer, default=rec.pack.products_default
        ),
        "alternatives": _alternatives(mine, res, effects, chosen_index),
        "depends_on": mine.depends_on,
    }
    return entry


def _alternatives(
    parts: DecisionParts,
    res: Resolution,
    effects: Sequence[Sequence[DecisionEffect]],
    chosen: int,
) -> list[Fragment]:
    """The options not chosen, with their scores and the fired rules that spoke to them."""
    out: list[Fragment] = []
    seen = parts.seen
    for index in range(len(parts.names)):
        if index == chosen:
            continue
        key = (index, tuple(effects[index]))  # usually no effects: most rules speak to one option
        found = seen.get(key)
        if found is None:
            found = _encoded(_alternative(parts, res, index, key[1]))
            if len(seen) < MAX_SEEN_ALTERNATIVES:
                seen[key] = found
        out.append(found)
    return out


def _alternative(
    parts: DecisionParts, res: Resolution, index: int, refs: tuple[DecisionEffect, ...]
) -> dict[str, object]:
    option_id, title = parts.names[index]
    return {
        "option": option_id,
        "title": title,
        "score": res.scores[index],
        "excluded": index in res.excluded,
        "for": [parts.mentions[e] for e in refs if e.argues_for],
        "against": [parts.mentions[e] for e in refs if not e.argues_for],
    }
