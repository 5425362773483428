"""What the API and the pages do with answers: plain functions over the engine and models."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from advisor.engine import Pack, Recommendation, evaluate
from advisor.engine.conditions import condition_data, describe
from advisor.exports import records
from advisor.models import Assessment, PackVersion, RulePack
from advisor.packs import compiled, published_pack


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


def _timestamp(moment: datetime) -> str:
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


# --- exports of a stored assessment (records, report, JSON) ---------------------------------


def export_context(
    assessment: Assessment, *, permalink: str, decision_makers: Sequence[str] = ()
) -> records.ExportContext:
    """Records are dated by the assessment (UTC), so downloading them again gives the same bytes."""
    day = assessment.created.astimezone(UTC).date().isoformat()
    names = tuple(name.strip() for name in decision_makers if name.strip())
    return records.ExportContext(date=day, permalink=permalink, decision_makers=names)


def _earlier(assessment: Assessment, supersedes: int | None) -> records.Earlier | None:
    if supersedes is None:
        return None
    parent = assessment.parent
    if assessment.origin != Assessment.Origin.RERUN or parent is None:
        raise records.ExportError(
            "supersedes", "only the records of a re-run assessment can supersede earlier ones"
        )
    return records.Earlier(result=parent.result, first_number=supersedes)


def records_download(
    assessment: Assessment,
    *,
    context: records.ExportContext,
    fmt: records.Format = "madr",
    start: int = 1,
    supersedes: int | None = None,
) -> tuple[str, bytes]:
    """(file name, zip) of the assessment's decision records under docs/decisions/.

    Raises records.ExportError naming the option at fault.
    """
    pack = compiled(assessment.pack_version)
    files = records.records(
        pack=pack,
        result=assessment.result,
        context=context,
        fmt=fmt,
        start=start,
        earlier=_earlier(assessment, supersedes),
    )
    name = records.download_name(assessment.result, "decisions.zip")
    return name, records.records_zip(files, date=context.date)


def report_download(assessment: Assessment, *, context: records.ExportContext) -> tuple[str, bytes]:
    pack = compiled(assessment.pack_version)
    text = records.report(pack=pack, result=assessment.result, context=context)
    return records.download_name(assessment.result, "report.md"), text.encode()


def result_download(assessment: Assessment) -> tuple[str, bytes]:
    """The stored result as `advise --format json` prints it."""
    text = json.dumps(assessment.result, indent=2, ensure_ascii=False) + "\n"
    return records.download_name(assessment.result, "result.json"), text.encode()
