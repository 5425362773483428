"""Checking and normalizing a founder's answers before any rule sees them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias, TypeGuard

from .conditions import Answers
from .model import Question
from .pack import Pack
from .problems import did_you_mean
from .result import JsonAnswer

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0, DEL and C1
# Bidi embeddings, overrides and isolates reorder what diagrams and records show; noncharacters
# are for a program's own use, never for interchange (U+FDD0-FDEF and U+xFFFE, U+xFFFF).
_HIDDEN = re.compile(
    "[\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # cannot be encoded as UTF-8 on the way out
# Suggesting the nearest id costs a fuzzy match per key; a body of made-up keys gets a few.
MAX_SUGGESTIONS = 20


# A normalized answer: an option id, a set of option ids (multi), a boolean, an integer or text.
Answer: TypeAlias = str | bool | int | frozenset[str]
Errors: TypeAlias = dict[str, list[str]]  # field (`clients[0]`, or WHOLE) -> messages

WHOLE = ""  # the error key for the answer set as a whole (never a question id)


def field_path(field: str) -> str:
    """`answers.clients[0]` for an error key, `answers` for the whole answer set."""
    return f"answers.{field}" if field else "answers"


class AnswersError(ValueError):
    """Answers that do not fit the pack; `errors` maps a field (`clients[0]`) to messages.

    The key WHOLE (an empty string) is an error of the answer set as a whole.
    """

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        first = next(iter(errors.items()))
        super().__init__(f"{first[0] or 'answers'}: {first[1][0]}")


@dataclass
class AnswerCheck:
    """The result of `validate_answers`.

    `values` holds the normalized answers the engine evaluates: multi answers as frozensets
    (an empty list is an answer: "none of these"), hidden questions, nulls and blank text
    removed. `answers()` gives the same as JSON (lists in option order).
    """

    values: dict[str, Answer] = field(default_factory=dict)
    errors: Errors = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # answered but hidden by show_if

    @property
    def ok(self) -> bool:
        return not self.errors

    def answers(self, pack: Pack) -> dict[str, JsonAnswer]:
        return as_json(pack, self.values)


def as_json(pack: Pack, values: Answers) -> dict[str, JsonAnswer]:
    """Normalized answers in question order, multi answers as lists in option order."""
    return {q.id: answer_json(q, values[q.id]) for q in pack.questions if q.id in values}


def answer_json(q: Question, value: Answer) -> JsonAnswer:
    """One normalized answer as JSON: a multi answer (a frozenset) as a list in option order."""
    if isinstance(value, frozenset):
        return [o for o in q.option_ids if o in value]
    return value


def _type_name(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }
    return names.get(type(value), type(value).__name__)


def _is_choice(value: object, q: Question, field_name: str, errors: Errors) -> TypeGuard[str]:
    """Whether `value` is an option id of `q`; if not, `errors` say why under `field_name`."""
    if not isinstance(value, str):
        errors.setdefault(field_name, []).append(
            f"expected an option id of {q.id}, got {_type_name(value)}"
        )
        return False
    if value not in q.option_ids:
        errors.setdefault(field_name, []).append(
            f"'{value}' is not an option of {q.id}; options: {', '.join(q.option_ids)}"
        )
        return False
    return True


_NUMBER = re.compile(r"[+-]?(\d[\d_,]*)?(\.\d+)?([eE][+-]?\d+)?")


def _not_whole(value: object) -> str:
    """Why a value is not an answer to an integer question, naming a number as a number: a
    YAML `12.5` stays text under the strict loader, but the founder meant a number."""
    if not isinstance(value, (str, float)):  # a list or mapping is named by its type, never
        return f"expected a whole number, got {_type_name(value)}"  # printed: it may be deep
    text = str(value).strip()
    if isinstance(value, str) and text.lstrip("+-").isdigit():
        return f'expected a whole number, got the text "{text}" (leave out the quotes)'
    if isinstance(value, float) or (isinstance(value, str) and text and _NUMBER.fullmatch(text)):
        return f"expected a whole number, got {text}"
    return f"expected a whole number, got {_type_name(value)}"


def normalize(q: Question, value: object, errors: Errors) -> Answer | None:
    """The normalized value; None for blank text or a wrong value (then errors say why)."""
    kind = q.type
    if kind == "single":
        return value if _is_choice(value, q, q.id, errors) else None
    if kind == "multi":
        if not isinstance(value, list | tuple):
            errors.setdefault(q.id, []).append(
                f"expected a list of options of {q.id}, got {_type_name(value)}"
            )
            return None
        if len(value) > len(q.options):  # cannot fit; don't explain each entry
            errors.setdefault(q.id, []).append(
                f"{len(value)} entries; {q.id} has {len(q.options)} options"
            )
            return None
        chosen = frozenset(
            v for i, v in enumerate(value) if _is_choice(v, q, f"{q.id}[{i}]", errors)
        )
        exclusive = [o.id for o in q.options if o.exclusive and o.id in chosen]
        if exclusive and len(chosen) > 1:
            errors.setdefault(q.id, []).append(
                f"'{exclusive[0]}' cannot be combined with other options of {q.id}"
            )
        return chosen
    if kind == "boolean":
        if not isinstance(value, bool):
            errors.setdefault(q.id, []).append(f"expected true or false, got {_type_name(value)}")
            return None
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            errors.setdefault(q.id, []).append(_not_whole(value))
            return None
        if q.min is not None and value < q.min:
            errors.setdefault(q.id, []).append(f"{value} is below the minimum of {q.min}")
        if q.max is not None and value > q.max:
            errors.setdefault(q.id, []).append(f"{value} is above the maximum of {q.max}")
        return value
    if not isinstance(value, str):
        errors.setdefault(q.id, []).append(f"expected text, got {_type_name(value)}")
        return None
    if _CONTROL.search(value):
        errors.setdefault(q.id, []).append("control characters are not allowed")
    if _HIDDEN.search(value):
        errors.setdefault(q.id, []).append(
            "bidirectional overrides and noncharacters are not allowed"
        )
    if _SURROGATE.search(value):
        errors.setdefault(q.id, []).append("unpaired surrogate characters are not allowed")
    if len(value) > q.max_length:
        errors.setdefault(q.id, []).append(
            f"text is {len(value)} characters long; the limit is {q.max_length}"
        )
    return value.strip() or None


def _fitted(q: Question, value: object, pack: Pack) -> Answer | None:
    """`value` when it already is a valid, normalized answer to `q` (exact types only), else
    None: the common case, checked without building any message."""
    kind = q.type
    if kind == "single":
        return value if type(value) is str and value in pack.compiled.option_sets[q.id] else None
    if kind == "boolean":
        return value if type(value) is bool else None
    if kind == "integer":
        if type(value) is not int:
            return None
        fits = (q.min is None or value >= q.min) and (q.max is None or value <= q.max)
        return value if fits else None
    if kind == "multi":
        if type(value) is not list or len(value) > len(q.options):
            return None
        if not all(type(v) is str for v in value):
            return None
        chosen: frozenset[str] = frozenset(value)
        if not chosen <= pack.compiled.option_sets[q.id]:
            return None
        if len(chosen) <= 1 or pack.compiled.exclusive_options[q.id].isdisjoint(chosen):
            return chosen
    return None  # text goes through the full check (control characters, length, strip)


def apply_visibility(pack: Pack, values: dict[str, Answer]) -> list[str]:
    """Drop answers to questions whose show_if is not true; return the dropped ids."""
    dropped: list[str] = []
    for qid, check in pack.compiled.visibility:
        if check(values) is not True and qid in values:
            del values[qid]
            dropped.append(qid)
    return dropped


def validate_answers(pack: Pack, answers: Mapping[str, object]) -> AnswerCheck:
    """Check answers against the pack's questions and normalize them.

    Every error names the question (and the list index for a multi answer). Answers to
    questions hidden by their show_if are ignored, as the questionnaire would never ask them.
    """
    check = AnswerCheck()
    if not isinstance(answers, Mapping):
        check.errors[WHOLE] = [
            f"expected a mapping of question id to answer, got {_type_name(answers)}"
        ]
        return check
    if len(answers) > len(pack.questions):  # cannot fit; don't explain each made-up key
        check.errors[WHOLE] = [
            f"{len(answers)} answers; the questionnaire has {len(pack.questions)}"
        ]
        return check
    questions = pack.compiled.questions
    for key, value in answers.items():
        q = questions.get(key) if isinstance(key, str) else None
        if q is None:
            hint = did_you_mean(str(key), questions) if len(check.errors) < MAX_SUGGESTIONS else ""
            check.errors.setdefault(str(key), []).append(
                f"'{key}' is not a question of this pack{hint}"
            )
            continue
        if value is None:
            continue
        fitted = _fitted(q, value, pack)
        if fitted is not None:
            check.values[q.id] = fitted
            continue
        normalized = normalize(q, value, check.errors)
        if normalized is not None and q.id not in check.errors:
            check.values[q.id] = normalized
    check.ignored = apply_visibility(pack, check.values)
    return check
