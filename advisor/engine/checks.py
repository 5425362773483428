"""Reference checks on raw pack data: ids that must exist, operators that must fit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import LEAF_OPERATORS, OPERATORS_BY_TYPE, QuestionType
from .problems import Problem, Severity, did_you_mean
from .schema import dotted
from .yamlsafe import DocPath, Document


@dataclass
class Reporter:
    """Collects problems, each pinned to a place in a file."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self, severity: Severity, doc: Document, path: DocPath, message: str, *, key: bool = False
    ) -> None:
        line, column = doc.where(path, key=key)
        self.problems.append(
            Problem(doc.name, line, column, severity, f"{dotted(path)}: {message}")
        )

    def error(self, doc: Document, path: DocPath, message: str, *, key: bool = False) -> None:
        self.add("error", doc, path, message, key=key)

    def warning(self, doc: Document, path: DocPath, message: str) -> None:
        self.add("warning", doc, path, message)

    def unknown(
        self,
        doc: Document,
        path: DocPath,
        kind: str,
        value: object,
        known: Iterable[str],
        *,
        key: bool = False,
    ) -> None:
        hint = did_you_mean(str(value), known)
        self.error(doc, path, f"unknown {kind} '{value}'{hint}", key=key)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


@dataclass(frozen=True)
class QuestionShape:
    """What a condition needs to know about a question to check a leaf on it."""

    type: QuestionType
    options: tuple[str, ...]


def check_condition(
    rep: Reporter,
    doc: Document,
    path: DocPath,
    raw: Mapping[str, Any],
    questions: Mapping[str, QuestionShape],
    broken: frozenset[str] = frozenset(),
    decisions: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    """Report unknown questions, decisions and options, and operators that do not fit the type.

    Questions in `broken` exist but failed the schema; they are already reported there.
    `decisions` (id -> option ids) is given where a condition may read decisions (rules,
    practices); elsewhere a decision leaf is an error, since questions come before decisions.
    """
    for op in ("all", "any"):
        if op in raw:
            for i, child in enumerate(raw[op]):
                check_condition(rep, doc, path + (op, i), child, questions, broken, decisions)
            return
    if "not" in raw:
        check_condition(rep, doc, path + ("not",), raw["not"], questions, broken, decisions)
        return
    if "decision" in raw:
        _check_decision_leaf(rep, doc, path, raw, decisions)
        return
    qid = raw["q"]
    shape = questions.get(qid)
    if shape is None:
        if qid not in broken:
            rep.unknown(doc, path + ("q",), "question", qid, questions)
        return
    op = next(k for k in LEAF_OPERATORS if k in raw)
    allowed = OPERATORS_BY_TYPE[shape.type]
    if op not in allowed:
        rep.error(
            doc,
            path + (op,),
            f"operator '{op}' does not fit {shape.type} question '{qid}'; "
            f"use one of: {', '.join(allowed)}",
            key=True,
        )
        return
    _check_leaf_value(rep, doc, path, qid, op, raw, shape)


def _check_decision_leaf(
    rep: Reporter,
    doc: Document,
    path: DocPath,
    raw: Mapping[str, Any],
    decisions: Mapping[str, tuple[str, ...]] | None,
) -> None:
    if decisions is None:
        rep.error(
            doc,
            path + ("decision",),
            "a condition on a decision is only allowed in rules and practices",
            key=True,
        )
        return
    did = raw["decision"]
    if did not in decisions:
        rep.unknown(doc, path + ("decision",), "decision", did, decisions)
        return
    if not decisions[did]:
        return  # the decision itself failed the schema; that error is reported there
    op = "is" if "is" in raw else "in"
    value = raw[op]
    values = value if isinstance(value, list) else [value]
    for i, v in enumerate(values):
        sub = path + (op, i) if isinstance(value, list) else path + (op,)
        if v not in decisions[did]:
            rep.unknown(doc, sub, f"option of decision '{did}':", v, decisions[did])


def _check_leaf_value(
    rep: Reporter,
    doc: Document,
    path: DocPath,
    qid: str,
    op: str,
    raw: Mapping[str, Any],
    shape: QuestionShape,
) -> None:
    value = raw[op]
    kind = shape.type
    if op == "answered":
        return
    if kind in ("single", "multi") and op != "count_gte":
        values = value if isinstance(value, list) else [value]
        for i, v in enumerate(values):
            sub = path + (op, i) if isinstance(value, list) else path + (op,)
            if not isinstance(v, str):
                rep.error(doc, sub, f"expected an option id of '{qid}', got {v!r}")
            elif v not in shape.options:
                rep.unknown(doc, sub, f"option of '{qid}':", v, shape.options)
        return
    if op == "count_gte":
        for i, v in enumerate(raw.get("of", [])):
            if v not in shape.options:
                rep.unknown(doc, path + ("of", i), f"option of '{qid}':", v, shape.options)
        return
    if kind == "boolean" and not isinstance(value, bool):
        rep.error(doc, path + (op,), f"'{qid}' is a yes/no question: compare it with true or false")
    elif kind == "integer":
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            rep.error(
                doc, path + (op,), f"'{qid}' is an integer question: compare it with integers"
            )
        elif op == "between" and values[0] > values[1]:
            rep.error(doc, path + (op,), f"between needs [low, high]; got {values}")
    elif kind == "text" and not isinstance(value, str):
        rep.error(doc, path + (op,), f"'{qid}' is a text question: compare it with text")
