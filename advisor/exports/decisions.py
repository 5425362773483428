"""What each decision record says, built from a stored result and the pack that produced it.

The templates only lay these out; every sentence that depends on the result is decided here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from advisor.engine import Pack
from advisor.engine.conditions import questions_of
from advisor.engine.result import (
    Alternative,
    DecisionResult,
    JsonAnswer,
    Result,
    RuleMention,
    RuleRef,
)

from .markdown import slugify
from .wording import Flip, answer_words, flips_in_words

PROJECT_QUESTION = "project_name"  # the pack's free-text name of the project, if it has one
CLOUD_QUESTION = "cloud"  # the answer that picks products


@dataclass(frozen=True)
class Reason:
    title: str
    why: str
    source: str  # the source's title
    url: str = ""  # its entry on the app's sources page, when the app's address is known


@dataclass(frozen=True)
class Driver:
    question: str
    answer: str


@dataclass(frozen=True)
class OptionView:
    title: str
    description: str
    chosen: bool
    verdict: str
    arguments: tuple[str, ...]  # "Good: …", "Neutral: …", "Bad: …", then the rules' say


@dataclass(frozen=True)
class Superseded:
    """The earlier record a re-run's record replaces."""

    number: int
    title: str
    filename: str


@dataclass(frozen=True)
class RecordView:
    number: int
    filename: str
    title: str
    decision_title: str
    question: str
    option_title: str
    description: str
    outcome: str  # ends the sentence 'Chosen option: "…", because …'
    confidence: str  # 'high (0.60)', or 'none yet' for a default
    standing: str  # how firm the outcome is, as a sentence
    reasons: tuple[Reason, ...]
    caveats: tuple[Reason, ...]
    drivers: tuple[Driver, ...]
    open_questions: tuple[str, ...]
    options: tuple[OptionView, ...]
    good: tuple[str, ...]
    bad: tuple[str, ...]
    neutral: tuple[str, ...]
    products: tuple[str, ...]
    cloud: str
    confirmation: tuple[Reason, ...]
    revisit: tuple[Flip, ...]
    rules: tuple[Reason, ...]
    supersedes: Superseded | None = None

    @property
    def status(self) -> str:
        if self.supersedes is None:
            return "proposed"
        return f"proposed, supersedes ADR-{self.supersedes.number:04d}"


def record_title(decision: DecisionResult) -> str:
    return f"{decision['title']}: {decision['option_title']}"


def record_filename(number: int, title: str) -> str:
    """`NNNN-kebab-title.md`: digits and a slug only (SECURITY row 12)."""
    return f"{number:04d}-{slugify(title, fallback='decision')}.md"


@dataclass(frozen=True)
class Citations:
    """Reasons with their source in words, linked to `sources_url#key` (the app's sources
    page, which has an anchor per source) when the app's address is known."""

    pack: Pack
    sources_url: str = ""

    def reason(self, title: str, why: str, key: str) -> Reason:
        found = next((s for s in self.pack.sources if s.key == key), None)
        url = f"{self.sources_url}#{key}" if self.sources_url and found else ""
        return Reason(title, why, found.title if found else key, url)


def _rule_reason(cite: Citations, ref: RuleMention | RuleRef) -> Reason:
    """A rule's title, why and source; a mention without them is completed from the pack."""
    rule = next((r for r in cite.pack.rules if r.id == ref["rule"]), None)
    why = str(ref.get("why") or (rule.why if rule else ""))
    source = str(ref.get("source") or (rule.source if rule else ""))
    return cite.reason(ref["title"], why, source)


def _weight(ref: RuleMention) -> str:
    if ref["effect"] == "require":
        return "required"
    if ref["effect"] == "exclude":
        return "ruled out"
    return f"{ref['weight']:+d}".replace("-", "−")


def _refs(alternative: Alternative) -> list[RuleMention]:
    return [*alternative["for"], *alternative["against"]]


def _mentioned_rules(decision: DecisionResult) -> list[RuleMention]:
    refs: list[RuleMention] = [*decision["rationale"], *decision["caveats"]]
    for alternative in decision["alternatives"]:
        refs += _refs(alternative)
    return refs


def _drivers(
    pack: Pack, decision: DecisionResult, answers: Mapping[str, JsonAnswer]
) -> tuple[Driver, ...]:
    """The answered questions that mattered: those the rules speaking to this decision read,
    and those whose change would flip it."""
    by_id = {r.id: r for r in pack.rules}
    read = {flip["question"] for flip in decision.get("what_if", [])}
    for ref in _mentioned_rules(decision):
        rule = by_id.get(ref["rule"])
        if rule is not None:
            read |= questions_of(rule.when)
    return tuple(
        Driver(q.text, answer_words(q, answers[q.id]))
        for q in pack.questions
        if q.id in read and q.id in answers
    )


def _open_questions(result: Result, decision_id: str) -> tuple[str, ...]:
    return tuple(u["text"] for u in result["unknown"] if decision_id in u["decisions"])


def _outcome(decision: DecisionResult) -> str:
    status = decision["status"]
    titles = "; ".join(r["title"] for r in decision["rationale"])
    if status == "default":
        return (
            "no rule of the pack applies to these answers, so the pack's cautious default "
            "stands until the open questions below are answered"
        )
    if status == "conflict":
        return "it is the first of the options that rules require; the rules conflict (see below)"
    if status == "required":
        return f"it is required by the rule “{titles}”" if titles else "it is required"
    runner = max(decision["alternatives"], key=lambda a: a["score"], default=None)
    if runner is not None and runner["score"] >= decision["score"]:
        return (
            f"it ties with “{runner['title']}” at {decision['score']} and comes first in the "
            "pack's order of options; the tie deserves a discussion"
        )
    against = f"; the next best, “{runner['title']}”, scores {runner['score']}" if runner else ""
    return f"it scores highest for these answers ({decision['score']}{against})"


_CAUTION = {
    "medium": ": the next option is close, so weigh the alternatives before accepting",
    "low": ": the answers barely separate the options, so treat this as a starting point",
    "needs answers": ": an unanswered question could still change it, so answer it first",
}
_UNSETTLED = {
    "default": ("none yet", "Nothing in the answers decides this yet: it is a placeholder."),
    "conflict": ("none", "Rules of the pack contradict each other here: a person must settle it."),
}


def _confidence(decision: DecisionResult) -> tuple[str, str]:
    """(short, sentence): 'high (0.60)' and 'Confidence: high (0.60).', or why there is none."""
    unsettled = _UNSETTLED.get(decision["status"])
    if unsettled:
        return unsettled
    short = f"{decision['confidence_label']} ({decision['confidence']:.2f})"
    return short, f"Confidence: {short}{_CAUTION.get(decision['confidence_label'], '')}."


def _option_views(pack: Pack, decision: DecisionResult) -> tuple[OptionView, ...]:
    spec = pack.compiled.decisions.get(decision["id"])
    alternatives = {a["option"]: a for a in decision["alternatives"]}
    views = []
    for option in spec.options if spec else ():
        chosen = option.id == decision["option"]
        alt = alternatives.get(option.id, _CHOSEN)
        arguments = [f"Good: {text}" for text in option.good]
        arguments += [f"Neutral: {text}" for text in option.neutral]
        arguments += [f"Bad: {text}" for text in option.bad]
        arguments += [f"For these answers: “{r['title']}” ({_weight(r)})" for r in _refs(alt)]
        verdict = _verdict(alt, chosen=chosen, score=decision["score"])
        views.append(
            OptionView(option.title, option.description, chosen, verdict, tuple(arguments))
        )
    return tuple(views)


_CHOSEN: Alternative = {
    "option": "",
    "title": "",
    "score": 0,
    "excluded": False,
    "for": [],
    "against": [],
}


def _verdict(alternative: Alternative, *, chosen: bool, score: int) -> str:
    if chosen:
        return f"chosen (score {score})"
    if alternative["excluded"]:
        by = [r["title"] for r in alternative["against"] if r["effect"] == "exclude"]
        return "ruled out" + (f" by “{'”, “'.join(by)}”" if by else " for these answers")
    return f"not chosen (score {alternative['score']})"


def _confirmation(result: Result, cite: Citations, decision: DecisionResult) -> tuple[Reason, ...]:
    """The practices attached by the rules behind the chosen option (for it or against it)."""
    touching = {ref["rule"] for ref in [*decision["rationale"], *decision["caveats"]]}
    return tuple(
        cite.reason(p["title"], p["why"], p["source"])
        for p in result["practices"]
        if touching.intersection(p["rules"])
    )


def _rules(cite: Citations, decision: DecisionResult) -> tuple[Reason, ...]:
    seen: dict[str, Reason] = {}
    for ref in _mentioned_rules(decision):
        reason = _rule_reason(cite, ref)
        seen.setdefault(ref["rule"], replace(reason, title=f"{reason.title} ({_weight(ref)})"))
    return tuple(seen.values())


def _cloud(pack: Pack, answers: Mapping[str, JsonAnswer]) -> str:
    question = pack.compiled.questions.get(CLOUD_QUESTION)
    answer = answers.get(CLOUD_QUESTION)
    if question is None or answer in (None, "undecided"):
        return ""
    return answer_words(question, answer)


def record_view(
    *, pack: Pack, result: Result, decision: DecisionResult, number: int, sources_url: str = ""
) -> RecordView:
    cite = Citations(pack, sources_url)
    answers = result["answers"]
    consequences = decision["consequences"]
    title = record_title(decision)
    confidence, standing = _confidence(decision)
    return RecordView(
        number=number,
        filename=record_filename(number, title),
        title=title,
        decision_title=decision["title"],
        question=decision["question"],
        option_title=decision["option_title"],
        description=decision["description"],
        outcome=_outcome(decision),
        confidence=confidence,
        standing=standing,
        reasons=tuple(_rule_reason(cite, r) for r in decision["rationale"]),
        caveats=tuple(_rule_reason(cite, r) for r in decision["caveats"]),
        drivers=_drivers(pack, decision, answers),
        open_questions=_open_questions(result, decision["id"]),
        options=_option_views(pack, decision),
        good=tuple(consequences["good"]),
        bad=tuple(consequences["bad"]),
        neutral=tuple(consequences["neutral"]),
        products=tuple(decision["products"]),
        cloud=_cloud(pack, answers),
        confirmation=_confirmation(result, cite, decision),
        revisit=tuple(flips_in_words(pack=pack, decision=decision, answers=answers)),
        rules=_rules(cite, decision),
    )


def project_name(result: Result) -> str:
    name = result["answers"].get(PROJECT_QUESTION)
    return name.strip() if isinstance(name, str) and name.strip() else ""
