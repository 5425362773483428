"""The recommendation as JSON: one shape, written once.

`Recommendation.to_dict()` builds it; the API serves it (its OpenAPI serializers are checked
against these types by a test), and pages, diagrams and records read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias, TypedDict

if TYPE_CHECKING:  # model.py reads this module's types
    from .model import Practice, Rule

Status = Literal["decided", "required", "default", "conflict"]
# "needs answers": an unanswered question could still change the decision (never "high").
ConfidenceLabel = Literal["high", "medium", "low", "needs answers"]
DecisionEffectKind = Literal["score", "require", "exclude"]
# An answer as JSON: an option id, a list of option ids (multi), a boolean, an integer or text.
JsonAnswer: TypeAlias = str | bool | int | list[str]


class PackRef(TypedDict):
    id: str
    version: str


class RuleMention(TypedDict):
    """A fired rule named under an alternative."""

    rule: str
    title: str
    effect: DecisionEffectKind
    weight: int


class RuleRef(RuleMention):
    """A fired rule behind the chosen option, with its reason and the conditions that held."""

    why: str
    source: str
    conditions: list[str]


def rule_mention(rule: Rule, *, effect: DecisionEffectKind, weight: int) -> RuleMention:
    """A fired rule named under an alternative: id, title and effect."""
    return {"rule": rule.id, "title": rule.title, "effect": effect, "weight": weight}


def rule_reference(
    rule: Rule, *, effect: DecisionEffectKind, weight: int, conditions: list[str]
) -> RuleRef:
    """A fired rule behind the chosen option, with the conditions that held, in words."""
    return {
        "rule": rule.id,
        "title": rule.title,
        "why": rule.why,
        "source": rule.source,
        "effect": effect,
        "weight": weight,
        "conditions": conditions,
    }


# "for" is a Python keyword, hence the functional form.
Alternative = TypedDict(
    "Alternative",
    {
        "option": str,
        "title": str,
        "score": int,
        "excluded": bool,
        "for": list[RuleMention],
        "against": list[RuleMention],
    },
)


class Consequences(TypedDict):
    good: list[str]
    bad: list[str]
    neutral: list[str]


class Flip(TypedDict):
    """One answer change that would make the decision choose `option`, with the same in the
    questionnaire's words (`text` uses labels and titles, never ids)."""

    question: str
    answer: JsonAnswer
    option: str
    question_text: str
    answer_label: str
    option_title: str
    text: str


class NeededAnswer(TypedDict):
    """An unanswered question one answer to which could change the decision."""

    question: str
    text: str


class RunnerUp(TypedDict):
    """The best alternative still standing, and how far behind the chosen option it is."""

    option: str
    title: str
    score: int
    margin: int


class _Decision(TypedDict):
    id: str
    title: str
    question: str
    option: str
    option_title: str
    description: str
    status: Status
    confidence: float
    confidence_label: ConfidenceLabel
    score: int
    statement: str  # what the choice rests on, in words ("By default: ..." if nothing argues)
    needs_answers: list[NeededAnswer]
    runner_up: RunnerUp | None
    tied_with: list[str]  # alternatives with the same score, beaten only by option order
    rationale: list[RuleRef]
    caveats: list[RuleRef]
    consequences: Consequences
    products: list[str]
    alternatives: list[Alternative]
    depends_on: list[str]


# NotRequired is not seen at run time under `from __future__ import annotations` (Python 3.11);
# a total=False subclass says the same in a way tests can read.
class DecisionResult(_Decision, total=False):
    """One decision: the chosen option, why, what it costs, the alternatives; `what_if` when
    asked for."""

    what_if: list[Flip]


class PracticeResult(TypedDict):
    id: str
    title: str
    why: str
    source: str
    rules: list[str]  # the rules that attached it
    decisions: list[str]  # the decisions whose chosen option brings it


def practice_result(practice: Practice, rules: list[str], decisions: list[str]) -> PracticeResult:
    """A practice in the result: the rules that attached it, the decisions that bring it."""
    return {
        "id": practice.id,
        "title": practice.title,
        "why": practice.why,
        "source": practice.source,
        "rules": rules,
        "decisions": decisions,
    }


class PlausibilityResult(TypedDict):
    """Answers that rarely go together: a warning in words; the advice is unchanged."""

    id: str
    message: str
    source: str


class UnknownQuestion(TypedDict):
    """An unanswered question that decisions depend on."""

    question: str
    text: str
    decisions: list[str]


class Result(TypedDict):
    pack: PackRef
    answers: dict[str, JsonAnswer]
    decisions: list[DecisionResult]
    practices: list[PracticeResult]
    unknown: list[UnknownQuestion]
    plausibility: list[PlausibilityResult]
    warnings: list[str]


class DecisionSummary(TypedDict):
    """A decision's choice without its explanation."""

    id: str
    option: str
    option_title: str
    status: Status
    confidence: float
    confidence_label: ConfidenceLabel


class Summary(TypedDict):
    """The compact view of a result (`?view=summary`): what was chosen and how surely, what is
    still unknown, the warnings; no explanations, alternatives or what-if."""

    view: Literal["summary"]
    pack: PackRef
    decisions: list[DecisionSummary]
    unknown: list[UnknownQuestion]
    warnings: list[str]


def summarize(result: Result) -> Summary:
    """The summary of a full result, such as a stored one (`Recommendation.summary()` builds
    the same without the full result first; a test holds the two together)."""
    return {
        "view": "summary",
        "pack": result["pack"],
        "decisions": [
            {
                "id": d["id"],
                "option": d["option"],
                "option_title": d["option_title"],
                "status": d["status"],
                "confidence": d["confidence"],
                "confidence_label": d["confidence_label"],
            }
            for d in result["decisions"]
        ],
        "unknown": result["unknown"],
        "warnings": result["warnings"],
    }
