"""The pack file JSON Schema, and its errors turned into file:line:column problems."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .conditions import LEAF_OPERATORS
from .problems import Problem, did_you_mean
from .yamlsafe import DocPath, Document

SCHEMA_PATH = Path(__file__).with_name("pack.schema.json")
MAX_ERRORS_PER_FILE = 50
LEAF_KEYS = ("q", "of", *LEAF_OPERATORS)


@cache
def pack_schema() -> dict[str, Any]:
    """The JSON Schema every pack file follows (also published at /api/v1/pack-schema.json)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(pack_schema())


def dotted(path: DocPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _branch_errors(error: ValidationError) -> list[ValidationError]:
    """For a oneOf/anyOf failure, the errors of the branch the author evidently meant.

    A branch whose required keys are missing is a different shape altogether (an `all` node
    for a leaf, a `practice` effect for a `score` one); when exactly one branch is left, its
    errors are the ones worth showing.
    """
    branches: dict[object, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    meant = [
        errors
        for errors in branches.values()
        if not any(e.validator == "required" and not e.relative_path for e in errors)
    ]
    return meant[0] if len(meant) == 1 else list(error.context or ())


def _is_leaf(instance: object) -> bool:
    return isinstance(instance, dict) and "q" in instance


def _deepest(error: ValidationError) -> ValidationError:
    """Follow oneOf/anyOf failures down to the sub-error that best says what is wrong."""
    while error.context and not (error.validator == "oneOf" and _is_leaf(error.instance)):
        error = best_match(_branch_errors(error))
    return error


def _mapping(value: object) -> dict[str, Any]:
    """A mapping from the schema or the document, or an empty one for anything else."""
    return value if isinstance(value, dict) else {}


def _forbidden_keys(error: ValidationError) -> list[str]:
    """Keys present that a `not: {anyOf: [{required: [k]}...]}` rule forbids."""
    branches = _mapping(error.validator_value).get("anyOf", [])
    keys = [k for b in branches for k in b.get("required", [])]
    return [k for k in keys if k in _mapping(error.instance)]


class Explained(NamedTuple):
    """One schema error in words, and where it points (at the key rather than its value?)."""

    message: str
    path: DocPath
    at_key: bool = False


def _leaf_problem(error: ValidationError, path: DocPath) -> Explained:
    instance = _mapping(error.instance)
    allowed = set(LEAF_KEYS)
    extra = sorted(k for k in instance if k not in allowed)
    if extra:
        return Explained(
            f"unexpected key '{extra[0]}'{did_you_mean(extra[0], allowed)}",
            path + (extra[0],),
            at_key=True,
        )
    operators = [k for k in instance if k not in ("q", "of")]
    if len(operators) != 1 or ("of" in instance and operators != ["count_gte"]):
        return Explained(
            "a condition leaf needs exactly one operator besides q (and `of` only with count_gte)",
            path,
        )
    sub = best_match(error.context) if error.context else error
    return _describe(sub) if sub is not error else Explained(error.message, path)


def _describe(error: ValidationError) -> Explained:
    """One schema error in words, pointing at the value or key at fault."""
    path: DocPath = tuple(error.absolute_path)
    if error.validator in ("oneOf", "minProperties", "maxProperties") and _is_leaf(error.instance):
        return _leaf_problem(error, path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(_mapping(error.schema).get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            hint = did_you_mean(extra[0], allowed) if allowed else "; no keys are allowed here"
            return Explained(f"unexpected key '{extra[0]}'{hint}", path + (extra[0],), True)
    if error.validator == "required":
        return Explained(f"missing required key {error.message.split(' is a')[0]}", path)
    if error.validator == "pattern":
        return Explained(
            f"{error.instance!r} is not a valid id (use lower-case letters, digits and _)", path
        )
    if error.validator == "not":
        forbidden = _forbidden_keys(error)
        if forbidden:
            kind = _mapping(error.instance).get("type", "this")
            return Explained(
                f"'{forbidden[0]}' does not apply to a {kind} question",
                path + (forbidden[0],),
                at_key=True,
            )
        if path and path[-1] == "score":
            return Explained(
                "a score is a non-zero weight; leave the effect out instead of scoring 0", path
            )
        return Explained(f"{error.instance!r} is not allowed here", path)
    if error.validator == "enum":
        choices = error.validator_value if isinstance(error.validator_value, list) else []
        expected = ", ".join(str(v) for v in choices)
        return Explained(f"{error.instance!r} is not allowed; expected one of: {expected}", path)
    return Explained(error.message, path)


def schema_problems(doc: Document) -> tuple[list[Problem], set[tuple[str, int]]]:
    """Problems of one file, and the (section, index) items that are broken."""
    problems: list[Problem] = []
    broken: set[tuple[str, int]] = set()
    errors = sorted(
        _validator().iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))
    )
    for error in errors[:MAX_ERRORS_PER_FILE]:
        message, path, at_key = _describe(_deepest(error))
        if len(path) >= 2 and isinstance(path[1], int):
            broken.add((str(path[0]), path[1]))
        elif path:
            broken.add((str(path[0]), -1))
        line, column = doc.where(path, key=at_key)
        problems.append(Problem(doc.name, line, column, "error", f"{dotted(path)}: {message}"))
    return problems, broken
