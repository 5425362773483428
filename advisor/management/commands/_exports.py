"""`advise --format md|madr|nygard`: the report or the decision records written to a folder.

The files are made by advisor.exports.records, as the API makes them, so the same answers,
date and permalink give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from django.core.management.base import CommandError, OutputWrapper
from django.urls import reverse

from advisor.engine import Pack, Recommendation
from advisor.engine.result import Result
from advisor.exports import records

RECORD_FORMATS = ("madr", "nygard")
REPORT_NAME = "report.md"


def export_context(
    *, date: str | None, permalink: str, decision_makers: str, out: str | None
) -> records.ExportContext:
    """The records' date (today in UTC unless given), permalink and decision-makers.

    The report links the SVG where the API serves it (`--permalink` is the assessment's API
    address, as in its Location), else the architecture.svg written beside it; sources link
    to the sources page of the app that `--permalink` names.
    """
    day = date or dt.datetime.now(dt.UTC).date().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise CommandError(f"--date: expected YYYY-MM-DD, got {day!r}", returncode=2) from None
    if permalink and not permalink.startswith(("https://", "http://")):
        raise CommandError("--permalink: expected an http(s) address", returncode=2)
    names = tuple(n.strip() for n in decision_makers.split(",") if n.strip())
    diagram_url = f"{permalink}/diagram.svg" if permalink else records.DIAGRAM_SVG if out else ""
    site = urlsplit(permalink)
    sources_url = f"{site.scheme}://{site.netloc}{reverse('sources')}" if permalink else ""
    return records.ExportContext(
        date=day,
        permalink=permalink,
        decision_makers=names,
        diagram_url=diagram_url,
        sources_url=sources_url,
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
