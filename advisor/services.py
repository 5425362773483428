"""What the API and the pages do with answers: plain functions over the engine and models."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, Subquery

from advisor import presenting, rulebook
from advisor.comparison import compare_results
from advisor.engine import AnswersError, Pack, PackError, Recommendation, evaluate, validate_answers
from advisor.engine.conditions import condition_data, describe
from advisor.engine.result import Result, summarize
from advisor.exports import diagrams, records
from advisor.growth import GROWTHS as GROWTHS  # re-exported for the faces
from advisor.growth import GrowthNotApplicable as GrowthNotApplicable
from advisor.growth import grown_answers
from advisor.models import Assessment, PackVersion, RulePack
from advisor.packs import SaveConflict, check_files, compiled, published_pack
from advisor.packs.diffs import unified_text

log = logging.getLogger(__name__)
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
    """Evaluate and store answers with the result and the pack version that produced it;
    edited answers name the assessment they came from."""
    version, pack = published_pack()
    rec = evaluate(pack, answers, what_if=True)
    return _store(version=version, rec=rec, parent=parent, origin=origin)


def _stored_pack_ref(version: PackVersion) -> dict[str, object]:
    return {"id": version.pack_id, "version": version.pack_version, "revision": version.number}


def assessment_data(
    assessment: Assessment, *, self_url: str, view: str = "full"
) -> dict[str, object]:
    """A stored assessment for the API; with view="summary", its result in the compact view."""
    return {
        "id": assessment.id,
        "created": _timestamp(assessment.created),
        "pack": _stored_pack_ref(assessment.pack_version),
        "answers": assessment.answers,
        "result": summarize(assessment.result) if view == "summary" else assessment.result,
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


# --- Growth, comparison and re-run (issue 14) ----------------------------------------------


def _store(
    *, version: PackVersion, rec: Recommendation, parent: Assessment | None, origin: str
) -> Assessment:
    result = rec.to_dict()
    return Assessment.objects.create(
        pack_version=version,
        answers=result["answers"],
        result=result,
        parent=parent,
        origin=origin,
    )


def find_assessment(assessment_id: str, *, with_result: bool = True) -> Assessment | None:
    """The stored assessment, or None; only well-formed ids reach the database (PostgreSQL
    refuses a NUL in a query). Without the result, it is read when first used."""
    if not ASSESSMENT_ID.fullmatch(assessment_id or ""):
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
    asked: dict[str, object] = dict(check.answers(pack))
    unanswered = frozenset(q.id for q in pack.questions if q.id not in asked) - hidden
    return AnswersState(asked, hidden, unanswered, check.errors)


def asked_answers(answers: Mapping[str, object]) -> dict[str, object]:
    """Answers the published questionnaire would ask with these answers (hidden ones dropped),
    normalized; answers that do not fit are dropped too, so a stale draft still finishes."""
    return answers_state(answers).asked


def preview(state: AnswersState) -> list[dict[str, object]]:
    """The decisions so far for partial answers, with the questions each one still waits on."""
    _, pack = published_pack()
    summary = evaluate(pack, state.asked).summary()
    return presenting.preview_decisions(pack, summary, state.unanswered)


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

    @cached_property
    def diagram(self) -> diagrams.Rendered:
        """The checked inline SVG, or the one-line reason there is none (no Graphviz)."""
        return diagrams.inline_svg(self.assessment, pack=self.pack)


def result_page(assessment: Assessment) -> ResultPage:
    return ResultPage(pack_for_words(assessment), assessment)


def assessment_side(assessment: Assessment) -> dict[str, object]:
    """Who one side of a comparison is: id, when, from which pack, made how and from what."""
    version = assessment.pack_version
    return {
        "id": assessment.id,
        "created": _timestamp(assessment.created),
        "origin": assessment.origin,
        "parent": assessment.parent_id,
        "project_name": assessment.answers.get("project_name") or "",
        "pack": _stored_pack_ref(version),
    }


def pack_for_words(assessment: Assessment) -> Pack:
    """The pack that made an assessment, to word its stored result; the published one when
    that old version no longer loads with this release of the engine (its stored result is
    still shown as it was)."""
    try:
        return compiled(assessment.pack_version)
    except PackError:
        log.warning(
            "pack version %s no longer loads; wording with the published one",
            assessment.pack_version_id,
        )
        return published_pack(assessment.pack_version.pack_id)[1]


def compare_assessments(*, a: Assessment, b: Assessment) -> dict[str, object]:
    """Two stored results side by side (worded with the newer side's pack)."""
    pack = pack_for_words(b)
    return {
        "a": assessment_side(a),
        "b": assessment_side(b),
        **compare_results(a=a.result, b=b.result, pack=pack),
    }


def grow_assessment(*, assessment: Assessment, kind: str) -> tuple[Assessment, list[str]]:
    """Store a growth copy (origin "grown") evaluated on the original's pack version, so the
    comparison shows the effect of growing and nothing else.

    Raises KeyError for an unknown kind, GrowthNotApplicable when the answers lack what grows.
    """
    version = assessment.pack_version
    pack = compiled(version)
    answers, changes = grown_answers(pack=pack, answers=assessment.answers, kind=kind)
    rec = evaluate(pack, answers, what_if=True)
    copy = _store(version=version, rec=rec, parent=assessment, origin=Assessment.Origin.GROWN)
    return copy, changes


@dataclass(frozen=True)
class RulesChange:
    """What the published pack would make of an older assessment's answers."""

    version: PackVersion
    result: Result | None  # None when the answers no longer fit the new questions
    comparison: dict[str, Any] | None
    problems: dict[str, list[str]]

    @property
    def differing(self) -> int:
        return int(self.comparison["differing_decisions"]) if self.comparison else 0


def rules_change(*, assessment: Assessment) -> RulesChange | None:
    """None when the assessment was made with the published version; otherwise the result
    the current pack gives for the same answers and how it differs from the stored one."""
    version, pack = published_pack(assessment.pack_version.pack_id)
    if version.pk == assessment.pack_version_id:
        return None
    try:
        result = evaluate(pack, assessment.answers).to_dict()  # no what-if: only compared
    except AnswersError as exc:
        return RulesChange(version, None, None, dict(exc.errors))
    pending = {
        **assessment_side(assessment),
        "id": "",
        "created": "",
        "origin": Assessment.Origin.RERUN,
        "parent": assessment.id,
        "pack": _stored_pack_ref(version),
    }
    comparison = {
        "a": assessment_side(assessment),
        "b": pending,
        **compare_results(a=assessment.result, b=result, pack=pack),
    }
    return RulesChange(version, result, comparison, {})


def rerun_assessment(*, assessment: Assessment) -> tuple[Assessment, dict[str, object]]:
    """Store the answers re-run on the published pack (origin "rerun", parent the original)
    and return it with the comparison. The original keeps its own result and pack version.

    Raises AnswersError when the answers no longer fit the published questions.
    """
    version, pack = published_pack(assessment.pack_version.pack_id)
    rec = evaluate(pack, assessment.answers, what_if=True)
    rerun = _store(version=version, rec=rec, parent=assessment, origin=Assessment.Origin.RERUN)
    return rerun, compare_assessments(a=assessment, b=rerun)


# --- The public rules browser (issue 14) ---------------------------------------------------


@dataclass(frozen=True)
class RulesPage:
    pack: Pack
    version: PackVersion
    decisions: list[rulebook.DecisionEntry]
    practice_rules: list[rulebook.RuleEntry]


def rules_page(*, decision: str = "", question: str = "") -> RulesPage:
    """The published pack's decisions and rules, optionally for one decision or question."""
    version, pack = published_pack()
    decisions, practice_rules = rulebook.rulebook(pack=pack, decision=decision, question=question)
    return RulesPage(pack, version, decisions, practice_rules)


def rule_page(
    *, rule_id: str
) -> tuple[Pack, rulebook.RuleEntry, list[rulebook.ScenarioHit]] | None:
    """One published rule worded, with the scenarios that make it fire; None if unknown."""
    _, pack = published_pack()
    rule = next((r for r in pack.rules if r.id == rule_id), None)
    if rule is None:
        return None
    entry = rulebook.rule_entry(pack=pack, rule=rule)
    return pack, entry, rulebook.scenarios_firing(pack=pack, rule=rule)


def sources_page() -> tuple[Pack, list[rulebook.SourceEntry]]:
    _, pack = published_pack()
    return pack, rulebook.source_entries(pack=pack)


# --- exports of a stored assessment (records, report, JSON) ---------------------------------


def export_context(
    assessment: Assessment,
    *,
    permalink: str,
    diagram_url: str = "",
    sources_url: str = "",
    decision_makers: Sequence[str] = (),
) -> records.ExportContext:
    """Records are dated by the assessment (UTC), so downloading them again gives the same bytes."""
    day = assessment.created.astimezone(UTC).date().isoformat()
    names = tuple(name.strip() for name in decision_makers if name.strip())
    return records.ExportContext(
        date=day,
        permalink=permalink,
        decision_makers=names,
        diagram_url=diagram_url,
        sources_url=sources_url,
    )


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
