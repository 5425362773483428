"""One sentence per decision saying, in words, what the choice rests on.

Every decision gets one, so a reader never meets a bare "decided, 0.00": a choice no rule
argues for says it is a default and which questions would decide it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .conditions import Answers
from .model import Decision
from .pack import Pack
from .resolve import NO_RUNNER_UP, Resolution

NEEDS_ANSWERS_CAP = 0.25
DEFAULT_PREFIX = "By default:"
MAX_QUESTIONS_NAMED = 4


def needs_answers_cap(confidence: float) -> float:
    """While an open question could change a decision, its confidence stays below "medium"."""
    return min(confidence, NEEDS_ANSWERS_CAP)


def _quoted(texts: Sequence[str]) -> str:
    named = [f'"{t}"' for t in texts[:MAX_QUESTIONS_NAMED]]
    if len(texts) > MAX_QUESTIONS_NAMED:
        named.append(f"{len(texts) - MAX_QUESTIONS_NAMED} more")
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def deciding_questions(pack: Pack, decision: Decision, values: Answers) -> list[str]:
    """The unanswered questions this decision's rules read (that the questionnaire would ask)."""
    compiled = pack.compiled
    hidden = {qid for qid, check in compiled.visibility if check(values) is not True}
    return [q for q in compiled.decision_deps[decision.id] if q not in values and q not in hidden]


def _would_decide(pack: Pack, ids: Sequence[str]) -> str:
    if not ids:
        return ""
    texts = [pack.compiled.questions[q].text for q in ids]
    return f" Answering {_quoted(texts)} would decide it."


def _argued_for(decision: Decision, res: Resolution, pack: Pack, fired: Sequence[bool]) -> bool:
    chosen = decision.option_ids.index(res.option)
    return any(
        fired[effect.rule] and effect.option == chosen and effect.argues_for
        for effect in pack.compiled.decision_effects[decision.id]
    )


def _why_left(decision: Decision, res: Resolution) -> str:
    if res.runner_up == NO_RUNNER_UP:
        return "every alternative was ruled out by the answers"
    chosen = decision.option_ids.index(res.option)
    lead = res.scores[chosen] - res.scores[res.runner_up]
    other = decision.options[res.runner_up].title
    if lead == 0:
        return f'it ties with "{other}" and comes first in the list'
    return f'the rules weighed against the alternatives; "{other}" trails by {lead}'


def _ranking(decision: Decision, res: Resolution, tied: Sequence[str]) -> str:
    if res.status == "required" and res.confidence < 1.0:
        return "Assumed while the answers that could call for something else are missing."
    if res.status == "required":
        return "Required by the answers."
    if tied:
        titles = [decision.option(o).title for o in tied]
        return f"Tied with {_quoted(titles)}; the option listed first wins the tie."
    if res.runner_up == NO_RUNNER_UP:
        return "The only option left once the others were ruled out."
    chosen = decision.option_ids.index(res.option)
    lead = res.scores[chosen] - res.scores[res.runner_up]
    return f'Ahead of "{decision.options[res.runner_up].title}" by {lead}.'


def needs_deciding_questions(res: Resolution, open_ids: Sequence[str], *, argued: bool) -> bool:
    """Whether the statement names the unanswered questions the decision reads: a default or
    unargued choice with no open question of its own to name."""
    return res.status != "conflict" and not open_ids and (res.status == "default" or not argued)


def statement(
    pack: Pack,
    decision: Decision,
    res: Resolution,
    values: Answers,
    open_ids: Sequence[str],
    tied: Sequence[str],
    fired: Sequence[bool],
    argued: bool | None = None,
) -> str:
    """What the choice rests on, in words; starts with "By default:" when no rule argues for it.

    `argued`: whether a fired rule argues for the chosen option, when the caller knows it.
    """
    if res.status == "conflict":
        return "Rules conflict on this decision; the first required option is shown."
    if argued is None:
        argued = _argued_for(decision, res, pack, fired)
    if res.status == "default":
        words = "no rule applies to these answers, so the pack's cautious default stands."
    elif not argued:
        words = f"no rule argues for this option; it stands because {_why_left(decision, res)}."
    else:
        return _argued(pack, decision, res, open_ids, tied)
    if needs_deciding_questions(res, open_ids, argued=argued):
        open_ids = deciding_questions(pack, decision, values)
    ask = _would_decide(pack, open_ids)
    return f"{DEFAULT_PREFIX} {words}{ask}"


def _argued(
    pack: Pack, decision: Decision, res: Resolution, open_ids: Sequence[str], tied: Sequence[str]
) -> str:
    """The statement of a choice some fired rule argues for: its ranking, and what is open."""
    ranking = _ranking(decision, res, tied)
    if not open_ids:
        return ranking
    texts = [pack.compiled.questions[q].text for q in open_ids]
    return f"{ranking} Needs answers: {_quoted(texts)} could still change it."
