"""The pack file JSON Schema, and its errors turned into file:line:column problems."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .problems import Problem, did_you_mean
from .yamlsafe import Document

SCHEMA_PATH = Path(__file__).with_name("pack.schema.json")
MAX_ERRORS_PER_FILE = 50


@cache
def pack_schema() -> dict:
    """The JSON Schema every pack file follows (also published at /api/v1/pack-schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(pack_schema())


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the sub-error that best says what is wrong."""
    while error.context:
        error = best_match(error.context)
    return error


def _describe(error: ValidationError) -> tuple[str, tuple, bool]:
    """(message, path, points_at_key) for one schema error."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            hint = did_you_mean(extra[0], allowed) if allowed else "; no keys are allowed here"
            return f"unexpected key '{extra[0]}'{hint}", path + (extra[0],), True
    if error.validator == "required":
        return f"missing required key {error.message.split(' is a')[0]}", path, False
    if error.validator == "pattern":
        return (
            f"{error.instance!r} is not a valid id (use lower-case letters, digits and _)",
            path,
            False,
        )
    if error.validator is False or error.validator == "not" or error.validator_value is False:
        return "this key is not allowed here", path, True
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{error.instance!r} is not allowed; expected one of: {allowed}", path, False
    if (
        error.validator in ("oneOf", "maxProperties", "minProperties")
        and isinstance(error.instance, dict)
        and "q" in error.instance
    ):
        return (
            "a condition leaf needs exactly one operator besides q (and `of` with count_gte)",
            path,
            False,
        )
    return error.message, path, False


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
