"""What the API and the pages do with answers: plain functions over the engine and models."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import OuterRef, Subquery

from advisor.engine import Pack, Recommendation, evaluate
from advisor.engine.conditions import condition_data, describe
from advisor.models import Assessment, PackVersion, RulePack
from advisor.packs import published_pack


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


def create_assessment(*, answers: Mapping[str, object]) -> Assessment:
    """Evaluate and store answers with the result and the pack version that produced it."""
    version, pack = published_pack()
    rec = evaluate(pack, answers, what_if=True)
    result = rec.to_dict()
    return Assessment.objects.create(pack_version=version, answers=result["answers"], result=result)


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
    published = PackVersion.objects.filter(
        pack=OuterRef("pk"), status=PackVersion.Status.PUBLISHED
    ).values("number")[:1]
    packs = RulePack.objects.annotate(published_number=Subquery(published)).order_by("id")
    return [
        {
            "id": p.id,
            "name": p.name,
            "description": p.description,
            "published_version": p.published_number,
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
