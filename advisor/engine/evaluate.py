"""Evaluating a pack on answers: the recommendation and its explanation."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .answers import AnswersError, as_json, validate_answers
from .conditions import Answers
from .encoded import encode_result
from .model import Decision, Rule
from .pack import DecisionEffect, Pack
from .resolve import NO_RUNNER_UP, Resolution, evaluate_rules
from .result import (
    Alternative,
    ConfidenceLabel,
    DecisionResult,
    DecisionSummary,
    Flip,
    PlausibilityResult,
    PracticeResult,
    Result,
    RuleMention,
    RuleRef,
    RunnerUp,
    Summary,
    UnknownQuestion,
    practice_result,
    rule_mention,
    rule_reference,
)
from .statements import needs_answers_cap, statement
from .whatif import flips_for, open_from_flips, open_questions


@dataclass(frozen=True)
class Recommendation:
    """What `evaluate` returns; `to_dict()` is the JSON of the API and `advise --format json`."""

    pack: Pack
    values: Answers  # normalized answers (multi as frozensets)
    fired: tuple[bool, ...]
    resolutions: dict[str, Resolution]
    ignored: tuple[str, ...] = ()
    what_if: dict[str, list[Flip]] | None = field(default=None)
    env: Answers = field(default_factory=dict)  # answers plus decision outcomes
    # decision -> unanswered questions one answer to which would change it ("needs answers")
    open: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def option(self, decision_id: str) -> str:
        return self.resolutions[decision_id].option

    def confidence_label(self, decision_id: str) -> ConfidenceLabel:
        """high / medium / low from the evidence, or "needs answers" while open questions
        could still change the decision."""
        if self.open.get(decision_id):
            return "needs answers"
        return self.resolutions[decision_id].confidence_label

    @property
    def fired_rules(self) -> list[Rule]:
        return [r for r, f in zip(self.pack.rules, self.fired, strict=True) if f]

    @property
    def practice_ids(self) -> list[str]:
        return [p["id"] for p in self._practices()]

    @property
    def plausibility_ids(self) -> list[str]:
        return [p["id"] for p in self._plausibility()]

    @cached_property
    def product_answer(self) -> str | None:
        """The answer to the pack's products question (such as which cloud), if any."""
        qid = self.pack.products_question
        answer = self.values.get(qid) if qid else None
        return answer if isinstance(answer, str) else None

    def to_dict(self) -> Result:
        flagged = self._plausibility()
        return {
            "pack": {"id": self.pack.id, "version": self.pack.version},
            "answers": as_json(self.pack, self.values),
            "decisions": [self._decision_dict(d) for d in self.pack.decisions],
            "practices": self._practices(),
            "unknown": self._unknown(),
            "plausibility": flagged,
            "warnings": self._all_warnings(flagged),
        }

    def summary(self) -> Summary:
        """The compact view: each decision's choice without its explanation; what a live
        preview needs, at a fraction of `to_dict`'s cost."""
        return {
            "view": "summary",
            "pack": {"id": self.pack.id, "version": self.pack.version},
            "decisions": [self._decision_summary(d) for d in self.pack.decisions],
            "unknown": self._unknown(),
            "warnings": self._all_warnings(self._plausibility()),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_json_bytes(self) -> bytes:
        """`orjson.dumps(self.to_dict())`, assembled from parts encoded once per pack: what the
        API sends (see encoded.py)."""
        return encode_result(self)

    # --- pieces of to_dict -----------------------------------------------------------------

    def _rule_ref(self, effect: DecisionEffect) -> RuleRef:
        """A fired rule behind the chosen option: why, source and the conditions that held
        (decision conditions in words: "the messaging backbone is a log-based event stream")."""
        leaves = self.pack.compiled.rule_leaves[effect.rule]
        return rule_reference(
            self.pack.rules[effect.rule],
            effect=effect.kind,
            weight=effect.weight,
            conditions=[words for words, check in leaves if check(self.env) is True],
        )

    def _mention(self, effect: DecisionEffect) -> RuleMention:
        """A fired rule named under an alternative: id, title and effect."""
        return rule_mention(self.pack.rules[effect.rule], effect=effect.kind, weight=effect.weight)

    def _effects_on(self, decision: Decision) -> list[list[DecisionEffect]]:
        """The effects of the fired rules, per option index of `decision`."""
        found: list[list[DecisionEffect]] = [[] for _ in decision.options]
        fired = self.fired
        for effect in self.pack.compiled.decision_effects[decision.id]:
            if fired[effect.rule]:
                found[effect.option].append(effect)
        return found

    def _mentions(self, refs: list[DecisionEffect], *, arguing_for: bool) -> list[RuleMention]:
        return [self._mention(e) for e in refs if e.argues_for is arguing_for]

    def _alternatives(
        self, decision: Decision, res: Resolution, effects: list[list[DecisionEffect]]
    ) -> list[Alternative]:
        alternatives: list[Alternative] = []
        for index, opt in enumerate(decision.options):
            if opt.id == res.option:
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
        return alternatives

    def _runner_up(self, decision: Decision, res: Resolution) -> RunnerUp | None:
        if res.runner_up == NO_RUNNER_UP:
            return None
        chosen = decision.option_ids.index(res.option)
        other = decision.options[res.runner_up]
        return {
            "option": other.id,
            "title": other.title,
            "score": res.scores[res.runner_up],
            "margin": res.scores[chosen] - res.scores[res.runner_up],
        }

    def _tied_with(self, decision: Decision, res: Resolution) -> list[str]:
        if res.status != "decided":
            return []
        chosen = decision.option_ids.index(res.option)
        return [
            o.id
            for i, o in enumerate(decision.options)
            if i != chosen and i not in res.excluded and res.scores[i] == res.scores[chosen]
        ]

    def _decision_dict(self, decision: Decision) -> DecisionResult:
        res = self.resolutions[decision.id]
        effects = self._effects_on(decision)
        chosen_index = decision.option_ids.index(res.option)
        chosen = decision.options[chosen_index]
        mine = effects[chosen_index]
        open_ids = self.open.get(decision.id, ())
        questions = self.pack.compiled.questions
        tied = self._tied_with(decision, res)
        entry: DecisionResult = {
            "id": decision.id,
            "title": decision.title,
            "question": decision.question,
            "option": res.option,
            "option_title": chosen.title,
            "description": chosen.description,
            "status": res.status,
            "confidence": self._confidence(decision.id),
            "confidence_label": self.confidence_label(decision.id),
            "score": res.scores[chosen_index],
            "statement": statement(
                self.pack, decision, res, self.values, open_ids, tied, self.fired
            ),
            "needs_answers": [{"question": q, "text": questions[q].text} for q in open_ids],
            "runner_up": self._runner_up(decision, res),
            "tied_with": tied,
            "rationale": [self._rule_ref(e) for e in mine if e.argues_for],
            "caveats": [self._rule_ref(e) for e in mine if not e.argues_for],
            "consequences": {
                "good": list(chosen.good),
                "bad": list(chosen.bad),
                "neutral": list(chosen.neutral),
            },
            "products": list(
                chosen.products_for(self.product_answer, default=self.pack.products_default)
            ),
            "alternatives": self._alternatives(decision, res, effects),
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
            "confidence": self._confidence(decision.id),
            "confidence_label": self.confidence_label(decision.id),
        }

    def _practice_sources(self) -> dict[str, tuple[list[str], list[str]]]:
        """practice id -> (rules that attached it, decisions whose chosen option brings it)."""
        found: defaultdict[str, tuple[list[str], list[str]]] = defaultdict(_two_lists)
        fired, rules = self.fired, self.pack.rules
        for rule_index, practice in self.pack.compiled.practice_effects:
            if fired[rule_index]:
                found[practice][0].append(rules[rule_index].id)
        for decision in self.pack.decisions:
            for practice in decision.option(self.resolutions[decision.id].option).practices:
                found[practice][1].append(decision.id)
        return found

    def _practices(self) -> list[PracticeResult]:
        """Practices attached by fired rules or by chosen options, unless their `only_when`
        says they do not fit what was chosen."""
        sources = self._practice_sources()
        fits = self.pack.compiled.practice_checks
        return [
            practice_result(p, *sources[p.id])
            for p in self.pack.practices
            if p.id in sources and (p.id not in fits or fits[p.id](self.env) is True)
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

    def _plausibility(self) -> list[PlausibilityResult]:
        return [
            {"id": p.id, "message": p.message, "source": p.source}
            for p, check in self.pack.compiled.plausibility_checks
            if check(self.values) is True
        ]

    def _confidence(self, decision_id: str) -> float:
        """The evidence's confidence, capped while open questions could change the decision."""
        confidence = self.resolutions[decision_id].confidence
        return needs_answers_cap(confidence) if self.open.get(decision_id) else confidence

    def _all_warnings(self, flagged: list[PlausibilityResult]) -> list[str]:
        """The engine's warnings, then the plausibility messages."""
        return self._warnings() + [f["message"] for f in flagged]

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


def _two_lists() -> tuple[list[str], list[str]]:
    return [], []


def evaluate(pack: Pack, answers: Mapping[str, object], *, what_if: bool = False) -> Recommendation:
    """Recommend an option for every decision of `pack` from (possibly partial) answers.

    Raises AnswersError naming each offending question when the answers do not fit the pack.
    With `what_if`, each decision also lists the single-answer changes that would flip it.
    Decisions that an unanswered question could still change are marked "needs answers".
    """
    check = validate_answers(pack, answers)
    if check.errors:
        raise AnswersError(check.errors)
    base = evaluate_rules(pack, check.values)
    if what_if:  # the flips already name the open questions
        flips = flips_for(pack, check.values, base)
        open_ = open_from_flips(check.values, flips)
    else:
        flips, open_ = None, open_questions(pack, check.values, base)
    return Recommendation(
        pack,
        check.values,
        base.fired,
        base.resolutions,
        tuple(check.ignored),
        flips,
        base.env,
        open_,
    )
