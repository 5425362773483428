"""What the API and the pages do with answers: plain functions over the engine and models."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from django.db.models import OuterRef, Subquery

from advisor.engine import Pack, PackError, Recommendation, evaluate
from advisor.engine.conditions import condition_data, describe
from advisor.exports import records
from advisor.models import Assessment, PackVersion, RulePack
from advisor.packs import SaveConflict, check_files, compiled, published_pack
from advisor.packs.diffs import unified_text


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


# --- the rule editor ------------------------------------------------------------------------


def version_detail(version: PackVersion, *, with_files: bool = True) -> dict[str, object]:
    """A stored version with its validation summary (and its files, for the editor)."""
    data: dict[str, object] = {
        "pack": version.pack_id,
        "number": version.number,
        "created": _timestamp(version.created),
        "author": version.author.get_username() if version.author else version.author_name,
        "message": version.message,
        "status": version.status,
        "pack_version": version.pack_version,
        "parent": version.parent.number if version.parent else None,
        "summary": version.summary,
    }
    if with_files:
        data["files"] = version.files
    return data


def simulate(*, files: Mapping[str, str], answers: Mapping[str, object]) -> Recommendation:
    """Evaluate answers on unsaved files (raises PackError if they do not load)."""
    check = check_files(files)
    if check.pack is None:
        raise PackError(check.problems)
    return evaluate(check.pack, answers, what_if=True)


def conflict_data(conflict: SaveConflict, *, files: Mapping[str, str]) -> dict[str, object]:
    """What a refused save shows: who saved in between, their changes and yours."""
    base_files = conflict.base.files if conflict.base else {}
    head = conflict.head
    base_label = f"v{conflict.base.number}" if conflict.base else "empty"
    return {
        "base_version": conflict.base.number if conflict.base else 0,
        "latest_version": head.number,
        "latest_author": head.author.get_username() if head.author else head.author_name,
        "latest_message": head.message,
        "their_changes": unified_text(
            base_files, head.files, labels=(base_label, f"v{head.number}")
        ),
        "your_changes": unified_text(base_files, files, labels=(base_label, "yours")),
    }
