"""Answers and what-if flips in the pack's own words: labels and question texts, never ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.engine import Pack
from advisor.engine.model import Question
from advisor.engine.result import DecisionResult, JsonAnswer


@dataclass(frozen=True)
class Flip:
    """One what-if flip of a decision: the changed answer in words and the option it leads to.

    `change` ends a sentence that starts "Revisit when …", e.g. "the answer to “Peak
    requests per second at the edge” reaches 5,000 (now 200)".
    """

    question: str
    change: str
    option_title: str


def answer_words(question: Question, answer: object) -> str:
    """An answer as its labels ('Browser application, Native mobile apps'), 'yes', 5,000…"""
    if answer is None:
        return "not answered"
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, int):
        return f"{answer:,}"
    if isinstance(answer, list):
        return ", ".join(_label(question, option) for option in answer) or "none selected"
    if question.type == "single":
        return _label(question, answer)
    return str(answer)


def _label(question: Question, option_id: object) -> str:
    return next((o.label for o in question.options if o.id == option_id), str(option_id))


def _quoted_labels(question: Question, option_ids: list[object]) -> str:
    return " and ".join(f"“{_label(question, o)}”" for o in option_ids)


def change_words(question: Question, now: object, then: object) -> str:
    """How the answer would have to change, in words, for a flip to happen."""
    subject = f"the answer to “{question.text}”"
    if now is None:
        return f"{subject} is “{answer_words(question, then)}”"
    if _is_number(then) and _is_number(now):
        verb = "reaches" if then > now else "falls to"  # type: ignore[operator]
        return f"{subject} {verb} {then:,} (now {now:,})"
    if isinstance(then, list) and isinstance(now, list):
        return f"{subject} {_multi_change(question, now, then)}"
    return f"{subject} becomes “{answer_words(question, then)}”"


def _is_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _multi_change(question: Question, now: list[object], then: list[object]) -> str:
    if not set(now) & set(then):
        return f"becomes “{answer_words(question, then)}”"
    added = [o for o in then if o not in now]
    removed = [o for o in now if o not in then]
    parts = []
    if added:
        parts.append(f"also includes {_quoted_labels(question, added)}")
    if removed:
        parts.append(f"no longer includes {_quoted_labels(question, removed)}")
    return " and ".join(parts) or "changes"


def flips_in_words(
    *, pack: Pack, decision: DecisionResult, answers: Mapping[str, JsonAnswer]
) -> list[Flip]:
    """The decision's what-if flips as conditions a team can watch for."""
    questions = pack.compiled.questions
    titles = {o["option"]: o["title"] for o in decision["alternatives"]}
    flips = []
    for flip in decision.get("what_if", []):
        question = questions.get(flip["question"])
        if question is None:
            continue
        change = change_words(question, answers.get(question.id), flip["answer"])
        flips.append(Flip(question.id, change, titles.get(flip["option"], str(flip["option"]))))
    return flips
