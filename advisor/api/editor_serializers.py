"""Request and response shapes of the rule editor's endpoints (editors only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from advisor.api.serializers import (
    AnswersField,
    ErrorDetail,
    PackVersionOut,
    StrictSerializer,
    _shape,
)
from advisor.engine.folder import MAX_FILES
from advisor.engine.yamlsafe import MAX_FILE_BYTES
from advisor.packs.checking import files_problems


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "maxLength": MAX_FILE_BYTES},
        "maxProperties": MAX_FILES,
        "minProperties": 1,
        "description": "relative file name (such as rules/bff.yaml) -> YAML text",
        "example": {"pack.yaml": "pack:\n  id: default\n  ..."},
    }
)
class FilesField(serializers.JSONField):
    """The files of a pack; names and sizes are checked before any YAML is read."""

    default_error_messages = {"not_files": "expected an object of file name to YAML text"}

    def to_internal_value(self, data: object) -> dict[str, str]:
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            self.fail("not_files")
        problems = files_problems(data)
        if problems:
            raise serializers.ValidationError(problems)
        return dict(data)


class FilesInput(StrictSerializer):
    files = FilesField()


class SimulateInput(StrictSerializer):
    files = FilesField()
    answers = AnswersField()


class SaveInput(StrictSerializer):
    base_version = serializers.IntegerField(
        min_value=0,
        max_value=2_000_000_000,
        help_text="the version number the files were edited from",
    )
    message = serializers.CharField(max_length=500, help_text="what changed and why")
    files = FilesField()


class PublishInput(StrictSerializer):
    note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="why, for the audit log"
    )


class ProblemOut(serializers.Serializer):
    file = serializers.CharField()
    line = serializers.IntegerField(min_value=1)
    column = serializers.IntegerField(min_value=1)
    severity = serializers.ChoiceField(["error", "warning"])
    message = serializers.CharField()


class ScenarioOut(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    passed = serializers.BooleanField()
    failures = serializers.ListField(child=serializers.CharField())
    file = serializers.CharField(allow_blank=True)
    line = serializers.IntegerField()


class CoverageOut(serializers.Serializer):
    covered = serializers.IntegerField()
    rules = serializers.IntegerField()
    percent = serializers.IntegerField()
    uncovered = serializers.ListField(
        child=serializers.CharField(), help_text="rules that no scenario fires"
    )


class ValidationOut(serializers.Serializer):
    valid = serializers.BooleanField(help_text="the pack loads (no errors)")
    publishable = serializers.BooleanField(help_text="no errors and every scenario passes")
    problems = ProblemOut(many=True)
    scenarios = ScenarioOut(many=True)
    coverage = CoverageOut()


SummaryOut = _shape(
    "SummaryOut",
    {
        "errors": serializers.IntegerField(),
        "warnings": serializers.IntegerField(),
        "scenarios": serializers.IntegerField(),
        "failed": serializers.IntegerField(),
        "covered": serializers.IntegerField(),
        "rules": serializers.IntegerField(),
        "by_file": serializers.DictField(
            child=serializers.DictField(child=serializers.IntegerField()),
            help_text="file -> {error: n, warning: n}",
        ),
    },
    doc="The validation summary kept with a version when it was saved.",
)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "relative file name -> YAML text",
    }
)
class FilesOutField(serializers.JSONField):
    pass


VersionDetailOut = _shape(
    "VersionDetailOut",
    {
        "pack": serializers.CharField(),
        **PackVersionOut._declared_fields,  # DRF copies declared fields for each serializer
        "summary": SummaryOut(),
        "files": FilesOutField(),
    },
    doc="A stored version with its files.",
)


class ConflictDetail(serializers.Serializer):
    base_version = serializers.IntegerField(help_text="the version the refused save named")
    latest_version = serializers.IntegerField(help_text="the version saved in between")
    latest_author = serializers.CharField(allow_blank=True)
    latest_message = serializers.CharField(allow_blank=True)
    their_changes = serializers.CharField(help_text="unified diff: base -> latest")
    your_changes = serializers.CharField(help_text="unified diff: base -> the refused files")


class ConflictOut(serializers.Serializer):
    error = ErrorDetail()
    conflict = ConflictDetail()


class PublishRefusedOut(serializers.Serializer):
    error = ErrorDetail()
    reasons = serializers.ListField(child=serializers.CharField())
