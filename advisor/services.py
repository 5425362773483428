"""What the API and the pages do with answers: plain functions over the engine and models."""

from __future__ import annotations

import re
from collections.abc import Mapping

from advisor import presenting
from advisor.engine import AnswerCheck, Pack, Recommendation, evaluate, validate_answers
from advisor.engine.conditions import condition_data, describe
from advisor.models import Assessment, PackVersion, RulePack
from advisor.packs import compiled, published_pack

ASSESSMENT_ID = re.compile(r"[A-Za-z0-9_-]{22}")


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


def find_assessment(assessment_id: str) -> Assessment | None:
    """The stored assessment, or None; only well-formed ids reach the database (a NUL in an
    id is an error on PostgreSQL)."""
    if not ASSESSMENT_ID.fullmatch(assessment_id):
        return None
    return Assessment.objects.select_related("pack_version__pack").filter(id=assessment_id).first()


def asked_answers(answers: Mapping[str, object]) -> dict[str, object]:
    """Answers the published questionnaire would ask with these answers (hidden ones dropped),
    normalized; answers that do not fit are dropped too, so a stale draft still finishes."""
    _, pack = published_pack()
    check = validate_answers(pack, answers)
    wrong = {key.split("[")[0] for key in check.errors}
    return {k: v for k, v in check.answers(pack).items() if k not in wrong}


def check_answers(answers: Mapping[str, object]) -> AnswerCheck:
    """The engine's verdict on answers for the published pack (it stays the only judge)."""
    _, pack = published_pack()
    return validate_answers(pack, answers)


def hidden_questions(pack: Pack, answers: Mapping[str, object]) -> set[str]:
    """Questions the questionnaire does not ask with these answers (their show_if is false)."""
    values = validate_answers(pack, answers).values
    return {qid for qid, check in pack.compiled.visibility if check(values) is not True}


def preview(answers: Mapping[str, object]) -> list[dict[str, object]]:
    """The decisions so far for partial answers, with the questions each one still waits on."""
    _, pack = published_pack()
    result = evaluate(pack, answers).to_dict()
    return presenting.preview_decisions(pack, result)


def result_page(assessment: Assessment) -> dict[str, object]:
    """A stored assessment worded for people, with the pack version it was made with."""
    pack = compiled(assessment.pack_version)
    return presenting.result_words(pack, assessment.result)


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
