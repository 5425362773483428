"""Evaluating a pack on answers: the recommendation and its explanation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from .answers import AnswersError, as_json, validate_answers
from .conditions import Answers
from .model import Decision, Rule
from .pack import DecisionEffect, Pack
from .resolve import Resolution, as_flags, fired_rules, resolve_all
from .result import (
    Alternative,
    DecisionResult,
    DecisionSummary,
    Flip,
    PracticeResult,
    Result,
    RuleMention,
    RuleRef,
    Summary,
    UnknownQuestion,
)
from .whatif import flips_for


@dataclass(frozen=True)
class Recommendation:
    """What `evaluate` returns; `to_dict()` is the JSON of the API and `advise --format json`."""

    pack: Pack
    values: Answers  # normalized answers (multi as frozensets)
    fired: tuple[bool, ...]
    resolutions: dict[str, Resolution]
    ignored: tuple[str, ...] = ()
    what_if: dict[str, list[Flip]] | None = field(default=None)

    def option(self, decision_id: str) -> str:
        return self.resolutions[decision_id].option

    @property
    def fired_rules(self) -> list[Rule]:
        return [r for r, f in zip(self.pack.rules, self.fired, strict=True) if f]

    @property
    def practice_ids(self) -> list[str]:
        attached = {p for i, p in self.pack.compiled.practice_effects if self.fired[i]}
        return [p.id for p in self.pack.practices if p.id in attached]

    def product_answer(self) -> str | None:
        """The answer to the pack's products question (such as which cloud), if any."""
        qid = self.pack.products_question
        answer = self.values.get(qid) if qid else None
        return answer if isinstance(answer, str) else None

    def to_dict(self) -> Result:
        answer = self.product_answer()
        return {
            "pack": {"id": self.pack.id, "version": self.pack.version},
            "answers": as_json(self.pack, self.values),
            "decisions": [self._decision_dict(d, answer) for d in self.pack.decisions],
            "practices": self._practices(),
            "unknown": self._unknown(),
            "warnings": self._warnings(),
        }

    def summary(self) -> Summary:
        """The compact view: each decision's choice without its explanation; what a live
        preview needs, at a fraction of `to_dict`'s cost."""
        return {
            "view": "summary",
            "pack": {"id": self.pack.id, "version": self.pack.version},
            "decisions": [self._decision_summary(d) for d in self.pack.decisions],
            "unknown": self._unknown(),
            "warnings": self._warnings(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    # --- pieces of to_dict -----------------------------------------------------------------

    def _rule_ref(self, effect: DecisionEffect) -> RuleRef:
        """A fired rule behind the chosen option: why, source and the conditions that held."""
        index, kind, _, weight, _ = effect
        rule = self.pack.rules[index]
        values = self.values
        return {
            "rule": rule.id,
            "title": rule.title,
            "why": rule.why,
            "source": rule.source,
            "effect": kind,
            "weight": weight,
            "conditions": [
                words
                for words, check in self.pack.compiled.rule_leaves[index]
                if check(values) is True
            ],
        }

    def _mention(self, effect: DecisionEffect) -> RuleMention:
        """A fired rule named under an alternative: id, title and effect."""
        index, kind, _, weight, _ = effect
        rule = self.pack.rules[index]
        return {"rule": rule.id, "title": rule.title, "effect": kind, "weight": weight}

    def _effects_on(self, decision: Decision) -> list[list[DecisionEffect]]:
        """The effects of the fired rules, per option index of `decision`."""
        found: list[list[DecisionEffect]] = [[] for _ in decision.options]
        fired = self.fired
        for effect in self.pack.compiled.decision_effects[decision.id]:
            rule, _, option, _, _ = effect  # unpacking: cheaper than two attribute reads
            if fired[rule]:
                found[option].append(effect)
        return found

    def _mentions(self, refs: list[DecisionEffect], *, arguing_for: bool) -> list[RuleMention]:
        return [self._mention(e) for e in refs if e.argues_for is arguing_for]

    def _decision_dict(self, decision: Decision, product_answer: str | None) -> DecisionResult:
        res = self.resolutions[decision.id]
        effects = self._effects_on(decision)
        chosen_index = decision.option_ids.index(res.option)
        chosen = decision.options[chosen_index]
        alternatives: list[Alternative] = []
        for index, opt in enumerate(decision.options):
            if index == chosen_index:
                continue
            refs = effects[index]  # usually empty: most rules speak to one option
            alternatives.append(
                {
                    "option": opt.id,
                    "title": opt.title,
                    "score": res.scores[index],
                    "excluded": index in res.excluded,
                    "for": self._mentions(refs, arguing_for=True) if refs else [],
                    "against": self._mentions(refs, arguing_for=False) if refs else [],
                }
            )
        mine = effects[chosen_index]
        entry: DecisionResult = {
            "id": decision.id,
            "title": decision.title,
            "question": decision.question,
            "option": res.option,
            "option_title": chosen.title,
            "description": chosen.description,
            "status": res.status,
            "confidence": res.confidence,
            "confidence_label": res.confidence_label,
            "score": res.scores[chosen_index],
            "rationale": [self._rule_ref(e) for e in mine if e.argues_for],
            "caveats": [self._rule_ref(e) for e in mine if not e.argues_for],
            "consequences": {
                "good": list(chosen.good),
                "bad": list(chosen.bad),
                "neutral": list(chosen.neutral),
            },
            "products": list(
                chosen.products_for(product_answer, default=self.pack.products_default)
            ),
            "alternatives": alternatives,
            "depends_on": list(self.pack.compiled.decision_deps[decision.id]),
        }
        if self.what_if is not None:
            entry["what_if"] = self.what_if.get(decision.id, [])
        return entry

    def _decision_summary(self, decision: Decision) -> DecisionSummary:
        res = self.resolutions[decision.id]
        return {
            "id": decision.id,
            "option": res.option,
            "option_title": decision.option(res.option).title,
            "status": res.status,
            "confidence": res.confidence,
            "confidence_label": res.confidence_label,
        }

    def _practices(self) -> list[PracticeResult]:
        by_practice: dict[str, list[str]] = {}
        for rule_index, practice in self.pack.compiled.practice_effects:
            if self.fired[rule_index]:
                by_practice.setdefault(practice, []).append(self.pack.rules[rule_index].id)
        return [
            {
                "id": p.id,
                "title": p.title,
                "why": p.why,
                "source": p.source,
                "rules": by_practice[p.id],
            }
            for p in self.pack.practices
            if p.id in by_practice
        ]

    def _unknown(self) -> list[UnknownQuestion]:
        compiled = self.pack.compiled
        hidden = {qid for qid, check in compiled.visibility if check(self.values) is not True}
        out: list[UnknownQuestion] = []
        for q in self.pack.questions:
            if q.id in self.values or q.id in hidden:
                continue
            needed_by = compiled.question_decisions.get(q.id)
            if needed_by:
                out.append({"question": q.id, "text": q.text, "decisions": list(needed_by)})
        return out

    def _warnings(self) -> list[str]:
        warnings = [
            f"answer to {qid} was ignored: the question is not asked with these answers"
            for qid in self.ignored
        ]
        for decision in self.pack.decisions:
            res = self.resolutions[decision.id]
            if res.status == "conflict":
                required = ", ".join(decision.options[i].id for i in sorted(res.required)) or "none"
                warnings.append(
                    f"{decision.id}: rules conflict (required: {required}); showing {res.option}"
                )
            elif res.status == "default":
                warnings.append(
                    f"{decision.id}: no rule applies to these answers; "
                    f"showing the default, {res.option}"
                )
        return warnings


def evaluate(pack: Pack, answers: Mapping[str, object], *, what_if: bool = False) -> Recommendation:
    """Recommend an option for every decision of `pack` from (possibly partial) answers.

    Raises AnswersError naming each offending question when the answers do not fit the pack.
    With `what_if`, each decision also lists the single-answer changes that would flip it.
    """
    check = validate_answers(pack, answers)
    if check.errors:
        raise AnswersError(check.errors)
    hits = fired_rules(pack, check.values)
    fired = tuple(as_flags(pack, hits))
    resolutions = resolve_all(pack, hits)
    flips = None
    if what_if:
        flips = flips_for(pack, check.values, fired, resolutions)
    return Recommendation(pack, check.values, fired, resolutions, tuple(check.ignored), flips)
