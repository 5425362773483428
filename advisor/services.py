"""What the API and the pages do with answers: plain functions over the engine and models."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache

from advisor import presenting
from advisor.engine import Pack, Recommendation, evaluate, validate_answers
from advisor.engine.conditions import condition_data, describe
from advisor.models import Assessment, PackVersion, RulePack
from advisor.packs import compiled, published_pack

ASSESSMENT_ID = re.compile(r"[A-Za-z0-9_-]{22}")
ASSESSMENT_CACHE_SECONDS = 3600


def pack_ref(version: PackVersion, pack: Pack) -> dict[str, object]:
    return {"id": pack.id, "name": pack.name, "version": pack.version, "revision": version.number}


def questionnaire(version: PackVersion, pack: Pack) -> dict[str, object]:
    """The published questionnaire: steps and questions with their show_if, data and words."""
    return {
        "pack": pack_ref(version, pack),
        "steps": [{"id": s.id, "title": s.title, "intro": s.intro} for s in pack.steps],
        "questions": [
            {
                "id": q.id,
                "type": q.type,
                "text": q.text,
                "help": q.help,
                "step": q.step,
                "required": q.required,
                "options": [
                    {"id": o.id, "label": o.label, "help": o.help, "exclusive": o.exclusive}
                    for o in q.options
                ],
                "min": q.min,
                "max": q.max,
                "max_length": q.max_length if q.type == "text" else None,
                "show_if": (
                    {
                        "condition": condition_data(q.show_if),
                        "text": f"asked when {describe(q.show_if)}",
                    }
                    if q.show_if
                    else None
                ),
            }
            for q in pack.questions
        ],
    }


def recommend(answers: Mapping[str, object], *, what_if: bool = True) -> Recommendation:
    """Evaluate answers on the published pack (raises AnswersError naming each question)."""
    _, pack = published_pack()
    return evaluate(pack, answers, what_if=what_if)


def create_assessment(
    *,
    answers: Mapping[str, object],
    parent: Assessment | None = None,
    origin: str = Assessment.Origin.ANSWERED,
) -> Assessment:
    """Evaluate and store answers with the result and the pack version that produced it."""
    version, pack = published_pack()
    rec = evaluate(pack, answers, what_if=True)
    result = rec.to_dict()
    return Assessment.objects.create(
        pack_version=version,
        answers=result["answers"],
        result=result,
        parent=parent,
        origin=origin,
    )


def find_assessment(assessment_id: str, *, with_result: bool = True) -> Assessment | None:
    """The stored assessment, or None; only well-formed ids reach the database (a NUL in an
    id is an error on PostgreSQL). Without the result, it is read when first used."""
    if not ASSESSMENT_ID.fullmatch(assessment_id):
        return None
    found = Assessment.objects.select_related("pack_version__pack").filter(id=assessment_id)
    # The version's files are only read to compile a pack this process has not seen yet.
    found = found.defer("pack_version__files")
    return (found if with_result else found.defer("result")).first()


def stored_assessment(assessment_id: str) -> Assessment | None:
    """An assessment for its page, from the cache after the first read: a stored assessment
    never changes, and the ORM query costs more than rendering the cached page around it."""
    if not ASSESSMENT_ID.fullmatch(assessment_id):
        return None
    key = f"assessment:{assessment_id}"
    found = cache.get(key)
    if found is None:
        found = find_assessment(assessment_id, with_result=False)
        if found is not None:
            cache.set(key, found, ASSESSMENT_CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class AnswersState:
    """Answers as the questionnaire sees them, judged once by the engine."""

    asked: dict[str, object]  # normalized answers that fit; hidden questions' dropped
    hidden: frozenset[str]  # questions not asked with these answers (show_if false)
    unanswered: frozenset[str]  # questions asked but not answered yet
    errors: dict[str, list[str]]  # the engine's messages, keyed `clients` or `clients[0]`


def answers_state(answers: Mapping[str, object]) -> AnswersState:
    """Judge (possibly partial, possibly stale) answers against the published pack."""
    _, pack = published_pack()
    check = validate_answers(pack, answers)
    values = check.values
    hidden = frozenset(q for q, shown in pack.compiled.visibility if shown(values) is not True)
    asked = check.answers(pack)
    unanswered = frozenset(q.id for q in pack.questions if q.id not in asked) - hidden
    return AnswersState(asked, hidden, unanswered, check.errors)


def asked_answers(answers: Mapping[str, object]) -> dict[str, object]:
    """Answers the published questionnaire would ask with these answers (hidden ones dropped),
    normalized; answers that do not fit are dropped too, so a stale draft still finishes."""
    return answers_state(answers).asked


def preview(state: AnswersState) -> list[dict[str, object]]:
    """The decisions so far for partial answers, with the questions each one still waits on."""
    _, pack = published_pack()
    recommendation = evaluate(pack, state.asked)
    return presenting.preview_decisions(pack, recommendation, state.unanswered)


@dataclass
class ResultPage:
    """A stored assessment worded for people with the pack version it was made with. The
    stored result is read and worded on first use only, so a page whose parts are cached
    reads neither."""

    pack: Pack
    assessment: Assessment

    @cached_property
    def headline(self) -> dict[str, str]:
        return presenting.headline(self.pack, self.assessment.answers)

    @cached_property
    def summary(self) -> str:
        return presenting.summary(self.assessment.result)

    @cached_property
    def details(self) -> dict[str, object]:
        return presenting.result_words(self.pack, self.assessment.result)


def result_page(assessment: Assessment) -> ResultPage:
    return ResultPage(compiled(assessment.pack_version), assessment)


def assessment_data(assessment: Assessment, *, self_url: str) -> dict[str, object]:
    version = assessment.pack_version
    return {
        "id": assessment.id,
        "created": _timestamp(assessment.created),
        "pack": {
            "id": version.pack_id,
            "version": version.pack_version,
            "revision": version.number,
        },
        "answers": assessment.answers,
        "result": assessment.result,
        "links": {"self": self_url},
    }


def _timestamp(moment) -> str:  # noqa: ANN001 - a datetime
    return moment.isoformat().replace("+00:00", "Z")


def pack_list() -> list[dict[str, object]]:
    packs = RulePack.objects.select_related("published").order_by("id")
    return [
        {
            "id": p.id,
            "name": p.name,
            "description": p.description,
            "published_version": p.published.number if p.published else None,
        }
        for p in packs
    ]


def pack_versions(pack: RulePack) -> list[dict[str, object]]:
    """A pack's versions, oldest first, with who made each and from which parent."""
    versions = pack.versions.select_related("author", "parent").order_by("number")
    return [
        {
            "number": v.number,
            "created": _timestamp(v.created),
            "author": v.author.get_username() if v.author else v.author_name,
            "message": v.message,
            "status": v.status,
            "pack_version": v.pack_version,
            "parent": v.parent.number if v.parent else None,
        }
        for v in versions
    ]
