"""One result shape: the OpenAPI serializers describe exactly the engine's result TypedDicts.

`advisor/engine/result.py` is the shape `to_dict()` builds (mypy checks that); the serializers
are what the OpenAPI document says. Both are reduced to the same plain description (names,
required or not, types, choices) and compared, so neither can drift from the other.
"""

from __future__ import annotations

from types import UnionType
from typing import Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from rest_framework import serializers

from advisor.api import serializers as api
from advisor.engine import evaluate, load_pack
from advisor.engine import result as shape
from tests.support import DEFAULT_RULES

Described = object  # a nested tuple such as ("list", ("object", {...}))

PLAIN = {
    serializers.CharField: "str",
    serializers.IntegerField: "int",
    serializers.FloatField: "float",
    serializers.BooleanField: "bool",
}
PLAIN_TYPES = {str: "str", int: "int", float: "float", bool: "bool"}


def from_serializer(field: serializers.Field) -> Described:
    if field.allow_null:
        field.allow_null = False
        try:
            return ("nullable", from_serializer(field))
        finally:
            field.allow_null = True
    if isinstance(field, api.AnswersField):
        return ("answers",)
    if isinstance(field, api.AnswerField):
        return ("answer",)
    if isinstance(field, serializers.ListSerializer):
        return ("list", from_serializer(field.child))
    if isinstance(field, serializers.Serializer):
        return (
            "object",
            {name: (f.required, from_serializer(f)) for name, f in field.fields.items()},
        )
    if isinstance(field, serializers.ListField):
        return ("list", from_serializer(field.child))
    if isinstance(field, serializers.ChoiceField):
        return ("choice", tuple(field.choices))
    return (PLAIN[type(field)],)


def from_type(hint: object) -> Described:
    if hint == shape.JsonAnswer:
        return ("answer",)
    if hint == dict[str, shape.JsonAnswer]:
        return ("answers",)
    if is_typeddict(hint):
        hints = get_type_hints(hint)
        required = hint.__required_keys__
        return ("object", {name: (name in required, from_type(t)) for name, t in hints.items()})
    origin = get_origin(hint)
    if origin is list:
        return ("list", from_type(get_args(hint)[0]))
    if origin is Literal:
        return ("choice", get_args(hint))
    if origin in (Union, UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        if len(members) == 1 and len(get_args(hint)) == 2:
            return ("nullable", from_type(members[0]))  # `X | None`: allow_null=True
        raise AssertionError(f"no serializer stands for the union {hint}")
    return (PLAIN_TYPES[hint],)


def differences(left: Described, right: Described, path: str = "result") -> list[str]:
    """Where two descriptions disagree, as readable paths."""
    if left[0] == right[0] == "list":
        return differences(left[1], right[1], f"{path}[]")
    if left[0] != right[0] or left[0] != "object":
        return [] if left == right else [f"{path}: {left} != {right}"]
    found = []
    mine, theirs = left[1], right[1]
    for name in sorted(set(mine) | set(theirs)):
        if name not in mine or name not in theirs:
            found.append(f"{path}.{name}: only in {'the serializer' if name in mine else 'type'}")
            continue
        if mine[name][0] != theirs[name][0]:
            found.append(f"{path}.{name}: required {mine[name][0]} != {theirs[name][0]}")
        found += differences(mine[name][1], theirs[name][1], f"{path}.{name}")
    return found


@pytest.mark.parametrize(
    ("serializer", "typed"),
    [
        (api.RecommendationOut(), shape.Result),
        (api.DecisionOut(), shape.DecisionResult),
        (api.RuleRef(), shape.RuleRef),
        (api.RuleMention(), shape.RuleMention),
        (api.AlternativeOut(), shape.Alternative),
        (api.Flip(), shape.Flip),
        (api.PracticeOut(), shape.PracticeResult),
        (api.UnknownOut(), shape.UnknownQuestion),
        (api.RecommendationSummaryOut(), shape.Summary),
        (api.DecisionSummaryOut(), shape.DecisionSummary),
        (api.RunnerUpOut(), shape.RunnerUp),
        (api.NeededAnswerOut(), shape.NeededAnswer),
        (api.PlausibilityOut(), shape.PlausibilityResult),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, type) else value.__name__,
)
def test_the_serializer_describes_exactly_the_result_type(serializer, typed):
    assert differences(from_serializer(serializer), from_type(typed)) == []


def test_a_difference_is_found_and_named():
    """The comparison itself can fail: a rule mention is not a full rule reference."""
    found = differences(from_serializer(api.RuleMention()), from_type(shape.RuleRef))
    assert found == [
        "result.conditions: only in type",
        "result.source: only in type",
        "result.why: only in type",
    ]


def test_the_choices_differ_when_a_literal_does():
    assert differences(("choice", ("high", "low")), from_type(shape.ConfidenceLabel)) != []


def test_to_dict_fills_exactly_the_typed_keys():
    """At run time too: every scenario's result has the keys the TypedDicts name."""
    pack = load_pack(DEFAULT_RULES)
    for scenario in pack.scenarios:
        data = evaluate(pack, scenario.answers, what_if=True).to_dict()
        assert set(data) == set(shape.Result.__annotations__)
        for decision in data["decisions"]:
            assert set(decision) == set(get_type_hints(shape.DecisionResult))
            for ref in decision["rationale"] + decision["caveats"]:
                assert set(ref) == set(get_type_hints(shape.RuleRef))
            for alternative in decision["alternatives"]:
                assert set(alternative) == set(get_type_hints(shape.Alternative))
