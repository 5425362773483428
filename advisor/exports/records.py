"""Decision records (MADR 4 or Nygard), their index, the zip, and the Markdown report.

Rendered from the `.md` templates in templates/records/ by a template engine of their own:
the templates turn autoescaping off once and escape every text with `md` (markdown.py).
The same inputs always give the same bytes, so the API and `manage.py advise` agree.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.template import Context, Engine

from advisor.engine import Pack
from advisor.engine.result import DecisionResult, JsonAnswer, Result

from . import diagrams
from .decisions import (
    Citations,
    RecordView,
    Superseded,
    project_name,
    record_filename,
    record_title,
    record_view,
)
from .markdown import slugify, tidy
from .wording import answer_words

Format = Literal["madr", "nygard"]
FORMATS: tuple[Format, ...] = ("madr", "nygard")
MAX_NUMBER = 9999  # four digits in NNNN-title.md
ZIP_FOLDER = "docs/decisions"
INDEX = "README.md"
DIAGRAM_SVG = "architecture.svg"
DIAGRAM_MERMAID = "architecture.mmd"


class ExportError(ValueError):
    """Options that cannot give a sound set of records; `field` names the option at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ExportContext:
    """What the records say beyond the result: when, by whom, and where the result lives."""

    date: str  # YYYY-MM-DD
    permalink: str = ""
    decision_makers: tuple[str, ...] = ()
    diagram_url: str = ""  # where the report links the SVG; "" shows the Mermaid block only
    sources_url: str = ""  # the app's sources page, to link each source; "" names them only


@dataclass(frozen=True)
class Earlier:
    """The export that a re-run's records supersede: its result and its first record number."""

    result: Result
    first_number: int


@dataclass(frozen=True)
class Diagram:
    """The architecture diagram beside the records: SVG (when Graphviz could draw it) and
    Mermaid, or the reason either is missing."""

    svg: bytes
    mermaid: str
    problem: str

    def files(self) -> dict[str, bytes]:
        """architecture.svg and architecture.mmd, those that could be made."""
        made = {DIAGRAM_SVG: self.svg, DIAGRAM_MERMAID: self.mermaid.encode()}
        return {name: data for name, data in made.items() if data}

    @property
    def fence(self) -> str:
        """A code fence longer than any run of backticks in the Mermaid text."""
        longest = max((len(run) for run in re.findall(r"`+", self.mermaid)), default=0)
        return "`" * max(3, longest + 1)


def draw(*, pack: Pack, result: Result) -> Diagram:
    svg = diagrams.diagram_file(result, pack=pack, fmt="svg")
    mermaid = diagrams.diagram_file(result, pack=pack, fmt="mmd")
    problem = svg.message or mermaid.message
    return Diagram(svg.content if svg.ok else b"", mermaid.text if mermaid.ok else "", problem)


@cache
def _engine() -> Engine:
    return Engine(
        dirs=[str(Path(settings.BASE_DIR) / "templates")],
        libraries={"markdown": "advisor.exports.markdown"},
    )


def _render(template: str, context: Mapping[str, Any]) -> str:
    return tidy(_engine().get_template(template).render(Context(dict(context))))


def _common(*, pack: Pack, result: Result, context: ExportContext) -> dict[str, Any]:
    return {
        "context": context,
        "project": project_name(result),
        "pack_label": f"{pack.id} {pack.version}",
        "decision_makers": ", ".join(context.decision_makers),
    }


def record_views(
    *,
    pack: Pack,
    result: Result,
    start: int = 1,
    earlier: Earlier | None = None,
    sources_url: str = "",
) -> list[RecordView]:
    """One view per decision numbered from `start`; after a re-run, only the changed ones,
    each naming the earlier record it supersedes."""
    decisions = result["decisions"]
    if earlier is not None:
        decisions = _changed(decisions, earlier)
    _check_numbers(start, len(decisions), earlier)
    views = []
    for offset, decision in enumerate(decisions):
        number = start + offset
        view = record_view(
            pack=pack, result=result, decision=decision, number=number, sources_url=sources_url
        )
        if earlier is not None:
            view = replace(view, supersedes=_superseded(earlier, decision["id"]))
        views.append(view)
    return views


def _earlier_numbers(earlier: Earlier) -> dict[str, tuple[int, DecisionResult]]:
    decisions = earlier.result["decisions"]
    return {d["id"]: (earlier.first_number + i, d) for i, d in enumerate(decisions)}


def _changed(decisions: list[DecisionResult], earlier: Earlier) -> list[DecisionResult]:
    before = {decision_id: d["option"] for decision_id, (_, d) in _earlier_numbers(earlier).items()}
    return [d for d in decisions if before.get(d["id"]) != d["option"]]


def _superseded(earlier: Earlier, decision_id: str) -> Superseded | None:
    found = _earlier_numbers(earlier).get(decision_id)
    if found is None:
        return None  # a decision the earlier pack did not have: nothing to supersede
    number, decision = found
    title = record_title(decision)
    return Superseded(number, title, record_filename(number, title))


def _check_numbers(start: int, count: int, earlier: Earlier | None) -> None:
    if start < 1 or start + max(count, 1) - 1 > MAX_NUMBER:
        raise ExportError(
            "start", f"records are numbered 1 to {MAX_NUMBER}; {count} from {start} do not fit"
        )
    if earlier is None:
        return
    last = earlier.first_number + len(earlier.result["decisions"]) - 1
    if earlier.first_number <= start <= last:
        raise ExportError(
            "start",
            f"the earlier records are numbered {earlier.first_number} to {last}; "
            f"start the new ones after them (start={last + 1})",
        )


def unchanged(result: Result, earlier: Earlier) -> list[tuple[int, str]]:
    """(number, title) of the earlier records whose decision the re-run did not change."""
    now = {d["id"]: d["option"] for d in result["decisions"]}
    return [
        (number, record_title(decision))
        for decision_id, (number, decision) in _earlier_numbers(earlier).items()
        if now.get(decision_id) == decision["option"]
    ]


def records(
    *,
    pack: Pack,
    result: Result,
    context: ExportContext,
    fmt: Format = "madr",
    start: int = 1,
    earlier: Earlier | None = None,
) -> dict[str, bytes]:
    """File name -> bytes: one record per decision, the index README.md and the diagram."""
    views = record_views(
        pack=pack, result=result, start=start, earlier=earlier, sources_url=context.sources_url
    )
    common = _common(pack=pack, result=result, context=context)
    files = {
        view.filename: _render(f"records/{fmt}.md", {**common, "record": view}).encode()
        for view in views
    }
    diagram = draw(pack=pack, result=result)
    index = {
        **common,
        "records": views,
        "format": fmt,
        "unchanged": unchanged(result, earlier) if earlier else [],
        "superseding": earlier is not None,
        "diagram": diagram,
    }
    files[INDEX] = _render("records/index.md", index).encode()
    return files | diagram.files()


def records_zip(files: Mapping[str, bytes], *, date: str) -> bytes:
    """The files under docs/decisions/, dated `date`, so the same files give the same bytes."""
    stamp = (*(int(part) for part in date.split("-")), 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def report(*, pack: Pack, result: Result, context: ExportContext) -> str:
    """The whole assessment in one Markdown document."""
    views = record_views(pack=pack, result=result, sources_url=context.sources_url)
    cite = Citations(pack, context.sources_url)
    return _render(
        "records/report.md",
        {
            **_common(pack=pack, result=result, context=context),
            "records": views,
            "answers": _answers_by_step(pack, result["answers"]),
            "practices": [
                cite.reason(p["title"], p["why"], p["source"]) for p in result["practices"]
            ],
            "unknown": result["unknown"],
            "warnings": result["warnings"],
            "diagram": draw(pack=pack, result=result),
        },
    )


def _answers_by_step(
    pack: Pack, answers: Mapping[str, JsonAnswer]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(step title, [(question text, answer in words)]) for the steps with answers."""
    steps = []
    for step in pack.steps:
        given = [
            (q.text, answer_words(q, answers[q.id]))
            for q in pack.questions
            if q.step == step.id and q.id in answers
        ]
        if given:
            steps.append((step.title, given))
    return steps


def download_name(result: Result, suffix: str) -> str:
    """`acme-invoicing-decisions.zip`: a slug of the project name, never taken as it is."""
    return f"{slugify(project_name(result), fallback='architecture')}-{suffix}"
