"""`advise --format md|madr|nygard`: the report or the decision records written to a folder.

The files are made by advisor.exports.records, as the API makes them, so the same answers,
date and permalink give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from django.core.management.base import CommandError, OutputWrapper
from django.urls import Resolver404, resolve, reverse

from advisor.engine import Pack, Recommendation
from advisor.engine.result import Result
from advisor.exports import records

RECORD_FORMATS = ("madr", "nygard")
REPORT_NAME = "report.md"


def export_context(
    *, date: str | None, permalink: str, decision_makers: str, out: str | None
) -> records.ExportContext:
    """The records' date (today in UTC unless given), permalink and decision-makers.

    `--permalink` is the address of the assessment's result page; the report then links the
    SVG where that app's API serves it, and sources to that app's sources page. Without it
    the report links the architecture.svg written beside it.
    """
    day = date or dt.datetime.now(dt.UTC).date().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise CommandError(f"--date: expected YYYY-MM-DD, got {day!r}", returncode=2) from None
    names = tuple(n.strip() for n in decision_makers.split(",") if n.strip())
    context = records.ExportContext(
        date=day, decision_makers=names, diagram_url=records.DIAGRAM_SVG if out else ""
    )
    return _linked(context, permalink) if permalink else context


def _linked(context: records.ExportContext, permalink: str) -> records.ExportContext:
    """The context with the result page and the diagram and sources of the same app."""
    address = urlsplit(permalink)
    try:
        match = resolve(address.path)
    except Resolver404:
        match = None
    if address.scheme not in ("http", "https") or match is None or match.url_name != "result":
        raise CommandError(
            "--permalink: expected the address of a result page, such as "
            "https://advisor.example.com/a/<id>/",
            returncode=2,
        )
    site = f"{address.scheme}://{address.netloc}"
    diagram = reverse("api-assessment-diagram-svg", args=[match.kwargs["assessment_id"]])
    return replace(
        context,
        permalink=permalink,
        diagram_url=site + diagram,
        sources_url=site + reverse("sources"),
    )


def export_files(
    *, rec: Recommendation, pack: Pack, fmt: str, context: records.ExportContext, start: int
) -> dict[str, bytes]:
    result = rec.to_dict()
    if fmt not in RECORD_FORMATS:
        return _report_files(pack=pack, result=result, context=context)
    try:
        chosen = cast(records.Format, fmt)
        return records.records(pack=pack, result=result, context=context, fmt=chosen, start=start)
    except records.ExportError as exc:
        raise CommandError(f"--{exc.field}: {exc.message}", returncode=2) from None


def write_files(files: dict[str, bytes], *, out: Path, force: bool, stderr: OutputWrapper) -> None:
    """Write into `out`, refusing to overwrite anything unless `force` (an existing decision
    log loses nothing by a forgotten --start)."""
    existing = sorted(name for name in files if (out / name).exists())
    if existing and not force:
        raise CommandError(
            f"{out}: would overwrite {', '.join(existing)}; use --start to append to an "
            "existing log, another folder, or --force",
            returncode=2,
        )
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    stderr.write(f"wrote {len(files)} file(s) to {out}")


def _report_files(
    *, pack: Pack, result: Result, context: records.ExportContext
) -> dict[str, bytes]:
    """report.md, and the diagram files beside it when the report links them there."""
    files = {REPORT_NAME: records.report(pack=pack, result=result, context=context).encode()}
    if context.diagram_url == records.DIAGRAM_SVG:
        files |= records.draw(pack=pack, result=result).files()
    return files
