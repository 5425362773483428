"""Serializers that describe the API's JSON for the OpenAPI document.

Responses are built by the engine and services as plain dicts (validating our own output field
by field on every request would cost more than the evaluation); these classes are the
contract those dicts follow, and schemathesis checks every response against it.
"""

from __future__ import annotations

from typing import Any, get_args

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from advisor.engine.conditions import QUESTION_TYPES
from advisor.engine.result import ConfidenceLabel, DecisionEffectKind, Status
from advisor.models import Assessment, PackVersion

ANSWER_SCHEMA = {
    "description": "an option id (single), a list of option ids (multi), true/false, "
    "an integer or text",
    "anyOf": [
        {"type": "string", "nullable": True},  # null: the same as leaving the question out
        {"type": "boolean"},
        {"type": "integer"},
        {"type": "array", "items": {"type": "string"}},
    ],
}


@extend_schema_field(ANSWER_SCHEMA)
class AnswerField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": ANSWER_SCHEMA,
        "description": "question id -> answer; see GET /api/v1/questionnaire",
        "example": {
            "clients": ["web", "mobile"],
            "backend_teams": 2,
            "architecture_style": "monolith",
        },
    }
)
class AnswersField(serializers.JSONField):
    """The answers mapping; its contents are checked by the engine's compiled checks."""

    default_error_messages = {"not_a_mapping": "expected an object of question id to answer"}

    def to_internal_value(self, data: object) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail("not_a_mapping")
        return data


def _shape(
    name: str,
    fields: dict[str, serializers.Field],
    *,
    base: type[serializers.Serializer] = serializers.Serializer,
    doc: str | None = None,
) -> type[serializers.Serializer]:
    """A serializer from a mapping, for JSON names that Python or DRF claim: `for` is a keyword;
    `fields`, `source`, `help`, `required` and `parent` are attributes of DRF's own fields."""
    return type(name, (base,), {"__doc__": doc, "__module__": __name__, **fields})


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know instead of silently dropping them."""

    def to_internal_value(self, data: object) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: ["unexpected field"] for key in unknown})
        return super().to_internal_value(data)


class AnswersInput(StrictSerializer):
    answers = AnswersField()


ErrorDetail = _shape(
    "ErrorDetail",
    {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="field path (e.g. answers.clients[0]) -> messages",
        ),
    },
)


class ErrorOut(serializers.Serializer):
    error = ErrorDetail()


class PackRef(serializers.Serializer):
    id = serializers.CharField()
    version = serializers.CharField(help_text="the version written in the pack")


class StoredPackRef(PackRef):
    revision = serializers.IntegerField(help_text="the stored version number")


class NamedPackRef(StoredPackRef):
    name = serializers.CharField()


class RuleMention(serializers.Serializer):
    """A fired rule named under an alternative; its why is in the decision's rationale or
    in the rules browser, so it is not repeated here."""

    rule = serializers.CharField()
    title = serializers.CharField()
    effect = serializers.ChoiceField(get_args(DecisionEffectKind))
    weight = serializers.IntegerField()


RuleRef = _shape(
    "RuleRef",
    {
        "why": serializers.CharField(),
        "source": serializers.CharField(help_text="a section key of the guide"),
        "conditions": serializers.ListField(
            child=serializers.CharField(), help_text="the conditions that held"
        ),
    },
    base=RuleMention,
    doc="A fired rule behind the chosen option: a mention with its reason and the conditions "
    "that held.",
)


AlternativeOut = _shape(
    "AlternativeOut",
    {
        "option": serializers.CharField(),
        "title": serializers.CharField(),
        "score": serializers.IntegerField(),
        "excluded": serializers.BooleanField(),
        "for": RuleMention(many=True),
        "against": RuleMention(many=True),
    },
)


class Consequences(serializers.Serializer):
    good = serializers.ListField(child=serializers.CharField())
    bad = serializers.ListField(child=serializers.CharField())
    neutral = serializers.ListField(child=serializers.CharField())


class Flip(serializers.Serializer):
    question = serializers.CharField()
    answer = AnswerField()
    option = serializers.CharField(help_text="the option the decision would then choose")
    question_text = serializers.CharField(help_text="the question as the questionnaire asks it")
    answer_label = serializers.CharField(help_text="the answer in the questionnaire's labels")
    option_title = serializers.CharField(help_text="the title of the option it would choose")
    text = serializers.CharField(help_text="the change in one sentence, labels only (no ids)")


class NeededAnswerOut(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()


class RunnerUpOut(serializers.Serializer):
    option = serializers.CharField()
    title = serializers.CharField()
    score = serializers.IntegerField()
    margin = serializers.IntegerField(help_text="how far the chosen option is ahead")


class DecisionOut(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    question = serializers.CharField()
    option = serializers.CharField()
    option_title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(get_args(Status))
    confidence = serializers.FloatField(min_value=0, max_value=1)
    confidence_label = serializers.ChoiceField(
        get_args(ConfidenceLabel),
        help_text="from the evidence (docs/rule-pack.md); 'needs answers' while an unanswered "
        "question could still change the decision",
    )
    score = serializers.IntegerField()
    statement = serializers.CharField(
        help_text="what the choice rests on, in words; starts 'By default:' when no rule "
        "argues for it"
    )
    needs_answers = NeededAnswerOut(
        many=True, help_text="unanswered questions one answer to which could change it"
    )
    runner_up = RunnerUpOut(allow_null=True, help_text="the best alternative still standing")
    tied_with = serializers.ListField(
        child=serializers.CharField(), help_text="alternatives with the same score"
    )
    rationale = RuleRef(many=True)
    caveats = RuleRef(many=True)
    consequences = Consequences()
    products = serializers.ListField(child=serializers.CharField())
    alternatives = AlternativeOut(many=True)
    depends_on = serializers.ListField(child=serializers.CharField())
    what_if = Flip(many=True, required=False)


PracticeOut = _shape(
    "PracticeOut",
    {
        "id": serializers.CharField(),
        "title": serializers.CharField(),
        "why": serializers.CharField(),
        "source": serializers.CharField(),
        "rules": serializers.ListField(child=serializers.CharField()),
        "decisions": serializers.ListField(
            child=serializers.CharField(),
            help_text="decisions whose chosen option brings this practice",
        ),
    },
)


PlausibilityOut = _shape(
    "PlausibilityOut",
    {
        "id": serializers.CharField(),
        "message": serializers.CharField(),
        "source": serializers.CharField(allow_blank=True),
    },
)


class UnknownOut(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()
    decisions = serializers.ListField(child=serializers.CharField())


class RecommendationOut(serializers.Serializer):
    pack = PackRef()
    answers = AnswersField(help_text="the answers as evaluated: normalized, hidden ones dropped")
    decisions = DecisionOut(many=True)
    practices = PracticeOut(many=True)
    unknown = UnknownOut(many=True)
    plausibility = PlausibilityOut(
        many=True, help_text="answers that rarely go together; the advice is unchanged"
    )
    warnings = serializers.ListField(child=serializers.CharField())


class DecisionSummaryOut(serializers.Serializer):
    """A decision's choice without its explanation."""

    id = serializers.CharField()
    option = serializers.CharField()
    option_title = serializers.CharField()
    status = serializers.ChoiceField(get_args(Status))
    confidence = serializers.FloatField(min_value=0, max_value=1)
    confidence_label = serializers.ChoiceField(get_args(ConfidenceLabel))


class RecommendationSummaryOut(serializers.Serializer):
    """`?view=summary`: each decision's choice and how sure it is, the questions that would
    sharpen it and the warnings; no explanations, alternatives or what-if (a few KB)."""

    view = serializers.ChoiceField(["summary"])
    pack = PackRef()
    decisions = DecisionSummaryOut(many=True)
    unknown = UnknownOut(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class LinksOut(serializers.Serializer):
    self = serializers.URLField()


class AssessmentOut(serializers.Serializer):
    id = serializers.CharField()
    created = serializers.DateTimeField()
    pack = StoredPackRef()
    answers = AnswersField()
    result = RecommendationOut()
    links = LinksOut()


AssessmentSummaryOut = _shape(
    "AssessmentSummaryOut",
    {"result": RecommendationSummaryOut()},
    base=AssessmentOut,
    doc="A stored assessment with `?view=summary`: its result in the compact view.",
)


class StepOut(serializers.Serializer):
    """A page of the questionnaire; questions name their step."""

    id = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField(allow_blank=True)


OptionOut = _shape(
    "OptionOut",
    {
        "id": serializers.CharField(),
        "label": serializers.CharField(),
        "help": serializers.CharField(allow_blank=True),
        "exclusive": serializers.BooleanField(),
    },
)


class ShowIfOut(serializers.Serializer):
    condition = serializers.JSONField(help_text="the condition tree (all/any/not and leaves)")
    text = serializers.CharField(help_text="the condition in plain words")


QuestionOut = _shape(
    "QuestionOut",
    {
        "id": serializers.CharField(),
        "type": serializers.ChoiceField(QUESTION_TYPES),
        "text": serializers.CharField(),
        "help": serializers.CharField(),
        "step": serializers.CharField(),
        "required": serializers.BooleanField(),
        "options": OptionOut(many=True),
        "min": serializers.IntegerField(allow_null=True),
        "max": serializers.IntegerField(allow_null=True),
        "max_length": serializers.IntegerField(allow_null=True),
        "show_if": ShowIfOut(allow_null=True),
    },
)


class QuestionnaireOut(serializers.Serializer):
    pack = NamedPackRef()
    steps = StepOut(many=True)
    questions = QuestionOut(many=True)


class PackOut(serializers.Serializer):
    """A stored rule pack and the number of its published version, if any."""

    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    published_version = serializers.IntegerField(allow_null=True)


PackVersionOut = _shape(
    "PackVersionOut",
    {
        "number": serializers.IntegerField(),
        "created": serializers.DateTimeField(),
        "author": serializers.CharField(allow_blank=True),
        "message": serializers.CharField(allow_blank=True),
        "status": serializers.ChoiceField(PackVersion.Status.values),
        "pack_version": serializers.CharField(help_text="the version written in the pack"),
        "parent": serializers.IntegerField(allow_null=True),
    },
)


class RecordsQuery(StrictSerializer):
    """Query of GET assessments/{id}/records.zip."""

    format = serializers.ChoiceField(
        ["madr", "nygard"], default="madr", help_text="MADR 4 (default) or Nygard (adr-tools)"
    )
    start = serializers.IntegerField(
        min_value=1,
        max_value=9999,
        default=1,
        help_text="number of the first record, to append to an existing log",
    )
    supersedes = serializers.IntegerField(
        min_value=1,
        max_value=9999,
        required=False,
        help_text="for a re-run assessment: the first number of the earlier assessment's "
        "records; the zip then holds only the changed decisions, each superseding its "
        "earlier record",
    )
    decision_makers = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="comma-separated names for the records' decision-makers",
    )


class ReportQuery(StrictSerializer):
    """Query of GET assessments/{id}/report.md and result.json: none is taken."""


# --- Compare and re-run (issue 14) ---------------------------------------------------------


ComparisonSideOut = _shape(
    "ComparisonSideOut",
    {
        "id": serializers.CharField(),
        "created": serializers.DateTimeField(),
        "origin": serializers.ChoiceField(Assessment.Origin.values),
        "parent": serializers.CharField(
            allow_null=True, help_text="the assessment it was made from"
        ),
        "project_name": serializers.CharField(allow_blank=True),
        "pack": StoredPackRef(),
    },
)


class DecisionSideOut(serializers.Serializer):
    option = serializers.CharField()
    title = serializers.CharField()
    confidence_label = serializers.ChoiceField(get_args(ConfidenceLabel))
    status = serializers.ChoiceField(get_args(Status))


class RuleDifferenceOut(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    option = serializers.CharField(help_text="the option the rule acts on")
    effect = serializers.ChoiceField(get_args(DecisionEffectKind))
    weight = serializers.IntegerField()
    words = serializers.CharField(help_text="the effect in plain words")
    side = serializers.ChoiceField(["a", "b"], help_text="the only side on which it fired")


class DecisionComparisonOut(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    differs = serializers.BooleanField()
    a = DecisionSideOut(allow_null=True, help_text="null when side a has no such decision")
    b = DecisionSideOut(allow_null=True, help_text="null when side b has no such decision")
    rules = RuleDifferenceOut(many=True, help_text="for a decision that differs")


class AnswerDifferenceOut(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()
    a = AnswerField(allow_null=True, help_text="null when not answered")
    b = AnswerField(allow_null=True, help_text="null when not answered")
    a_words = serializers.CharField()
    b_words = serializers.CharField()


class PracticeRefOut(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()


class PracticeDifferenceOut(serializers.Serializer):
    only_a = PracticeRefOut(many=True)
    only_b = PracticeRefOut(many=True)


class ComparisonLinksOut(serializers.Serializer):
    self = serializers.URLField()
    html = serializers.URLField(help_text="the comparison page")


class ComparisonOut(serializers.Serializer):
    a = ComparisonSideOut()
    b = ComparisonSideOut()
    identical = serializers.BooleanField(help_text="same answers, decisions and practices")
    differing_decisions = serializers.IntegerField(min_value=0)
    decisions = DecisionComparisonOut(many=True, help_text="those that differ first")
    answers = AnswerDifferenceOut(many=True, help_text="only the answers that differ")
    practices = PracticeDifferenceOut()
    links = ComparisonLinksOut()


class AnyId(serializers.CharField):
    """Any text: an id no assessment can have is a 404 (no such assessment), like a path id,
    rather than a 400 for a character such as NUL that no id contains anyway."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class CompareQuery(serializers.Serializer):
    a = AnyId(help_text="the id of one assessment")
    b = AnyId(help_text="the id of the other")


class RerunOut(serializers.Serializer):
    assessment = AssessmentOut(help_text="the new assessment, made with the published pack")
    comparison = ComparisonOut(help_text="the original (a) against the re-run (b)")
