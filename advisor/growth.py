"""Growth copies: the same answers with the company bigger, to see which decisions would move.

Each kind changes a few answers of the domain vocabulary (peak_rps, backend_teams, clients),
within the limits the pack sets for those questions, and says in words what it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from advisor.engine import Pack
from advisor.engine.model import Question
from advisor.engine.wording import short_label

Answers = dict[str, object]


class GrowthNotApplicable(Exception):
    """The answers lack what this kind of growth multiplies (e.g. no peak traffic given)."""


@dataclass(frozen=True)
class Growth:
    key: str
    button: str
    explains: str
    apply: Callable[[Pack, Answers], list[str]]


def _multiply(question: Question, answers: Answers, factor: int) -> str | None:
    current = answers.get(question.id)
    if not isinstance(current, int) or isinstance(current, bool):
        return None
    grown = current * factor
    if question.max is not None:
        grown = min(grown, question.max)
    if grown == current:
        return None
    answers[question.id] = grown
    return f"{question.text}: {current:,} → {grown:,}"


def _traffic(pack: Pack, answers: Answers) -> list[str]:
    question = pack.compiled.questions.get("peak_rps")
    change = _multiply(question, answers, 10) if question else None
    if change is None:
        raise GrowthNotApplicable("Give your peak requests per second first (edit the answers).")
    return [change]


def _add_option(question: Question, answers: Answers, option_id: str) -> str | None:
    current = answers.get(question.id)
    if not isinstance(current, list) or option_id in current:
        return None
    if option_id not in question.option_ids:
        return None
    answers[question.id] = [o for o in question.option_ids if o in current or o == option_id]
    label = short_label(next(o.label for o in question.options if o.id == option_id))
    return f"{question.text}: adds {label}"


def _teams(pack: Pack, answers: Answers) -> list[str]:
    questions = pack.compiled.questions
    changes = []
    if "backend_teams" in questions:
        changes.append(_multiply(questions["backend_teams"], answers, 3))
    if "clients" in questions:
        changes.append(_add_option(questions["clients"], answers, "mobile"))
    done = [c for c in changes if c]
    if not done:
        raise GrowthNotApplicable("Give your backend teams and clients first (edit the answers).")
    return done


GROWTHS = {
    g.key: g
    for g in (
        Growth(
            "traffic",
            "Traffic grows 10×",
            "The same answers with ten times the peak requests per second.",
            _traffic,
        ),
        Growth(
            "teams",
            "Three times the teams, plus a mobile app",
            "Three times as many backend teams, and native mobile apps if you have none yet.",
            _teams,
        ),
    )
}


def grown_answers(
    *, pack: Pack, answers: Mapping[str, object], kind: str
) -> tuple[Answers, list[str]]:
    """The answers after growth of `kind`, and what changed in words.

    Raises KeyError for an unknown kind and GrowthNotApplicable when nothing would change.
    """
    copy = {k: list(v) if isinstance(v, list) else v for k, v in answers.items()}
    changes = GROWTHS[kind].apply(pack, copy)
    return copy, changes
