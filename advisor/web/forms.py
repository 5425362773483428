"""One Django form per questionnaire step, built from the pack's questions.

This is the one place where posted strings become typed answers; whether an answer fits
(bounds, lengths, exclusive options) is left to the engine's validate_answers, whose
messages are attached to the fields so the page and the API use the same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms
from django.core.exceptions import ValidationError

from advisor.engine.model import Question

NOT_SURE = ("", "Not sure")
YES_NO = [("yes", "Yes"), ("no", "No"), NOT_SURE]
SHOWN_FIELD = "__shown"  # the conditional questions the page showed when it was posted


class WholeNumberField(forms.IntegerField):
    """An integer that may be typed with thousands separators (5,000 or 5 000)."""

    def to_python(self, value: object) -> int | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace("_", "").replace(" ", "")
        return super().to_python(value)


def _choices(question: Question) -> list[tuple[str, str]]:
    return [(o.id, o.label) for o in question.options]


def _yes_no(value: str) -> bool:
    return value == "yes"


def question_field(question: Question) -> forms.Field:
    """The control a question needs; every field may stay empty ("not sure")."""
    label = question.text
    if question.type == "single":
        return forms.ChoiceField(
            choices=[*_choices(question), NOT_SURE],
            widget=forms.RadioSelect,
            required=False,
            label=label,
        )
    if question.type == "boolean":
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=_yes_no,
            empty_value=None,
            widget=forms.RadioSelect,
            required=False,
            label=label,
        )
    if question.type == "multi":
        return forms.MultipleChoiceField(
            choices=_choices(question),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=label,
        )
    if question.type == "integer":
        attrs = {"inputmode": "numeric", "autocomplete": "off", "class": "input-number"}
        return WholeNumberField(widget=forms.TextInput(attrs=attrs), required=False, label=label)
    attrs = {"maxlength": str(question.max_length), "class": "input-text"}
    return forms.CharField(widget=forms.TextInput(attrs=attrs), required=False, label=label)


def initial_value(question: Question, answer: object) -> object:
    """A stored (typed) answer as the control shows it."""
    if answer is None:
        return None
    if question.type == "boolean":
        return "yes" if answer else "no"
    return answer


class StepForm(forms.Form):
    """The questions of one step; `answers()` gives typed answers, None for "not sure"."""

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        *,
        questions: Sequence[Question],
        stored: Mapping[str, object],
    ) -> None:
        initial = {q.id: initial_value(q, stored.get(q.id)) for q in questions}
        super().__init__(data, initial=initial, auto_id="id_%s")
        self.questions = {q.id: q for q in questions}
        for question in questions:
            self.fields[question.id] = question_field(question)

    def answers(self) -> dict[str, object]:
        """The cleaned answers of the fields that parsed (call after is_valid())."""
        typed: dict[str, object] = {}
        for qid in self.questions:
            if qid not in self.cleaned_data:
                continue
            value = self.cleaned_data[qid]
            typed[qid] = value if value not in ("", [], None) else None
        return typed

    def add_engine_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Put validate_answers' messages (keyed `clients` or `clients[0]`) at their field."""
        for key, messages in errors.items():
            field = key.split("[", 1)[0]
            if field in self.fields:
                for message in messages:
                    self.add_error(field, ValidationError(message))
