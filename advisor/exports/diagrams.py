"""The architecture diagram of an assessment: DOT, Mermaid, and SVG/PNG rendered by Graphviz.

The interface the pages, the API, the records and the CLI share::

    diagram_source(source, *, pack, project_name=None) -> str        # DOT text
    mermaid_source(source, *, pack, project_name=None) -> str        # Mermaid flowchart LR
    render(dot, *, fmt="svg" | "png") -> Rendered                    # never raises
    rendered_diagram(source, *, pack, fmt, project_name=None) -> Rendered
    inline_svg(source, *, pack, project_name=None) -> Rendered       # SVG for an HTML page
    diagram_file(source, *, pack, fmt="svg" | "png" | "dot" | "mmd") -> Rendered
    file_name(source, *, fmt) -> str               # e.g. acme-invoicing-architecture.svg

`source` is whatever the caller holds: a stored `Assessment` (its `result` is read), a result
dict (`Recommendation.to_dict()`, as stored), or a `Recommendation`. `pack` is the compiled pack
that produced it (`advisor.packs.compiled(assessment.pack_version)`); `project_name` defaults
to the `project_name` answer. The text functions raise `DiagramTooLarge` only for a pack whose
recommendation has more than 80 components or 240 links (the default pack has about 25).

`Rendered` carries either `content` (bytes; `.text` decodes an SVG) or a `message` for a
person: Graphviz missing, timed out or failed, or an SVG refused by the safety check. An SVG
from `render` has been parsed with defusedxml and holds no script, foreignObject, image,
event-handler attribute or outside link; `inline_svg` also drops the XML prolog and DOCTYPE,
so its `.text` can go straight into a page. Rendered output is cached by the SHA-256 of the
DOT source in Django's cache (Redis when REDIS_URL is set).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.core.cache import cache
from django.utils.text import slugify

from advisor.engine import Pack, Recommendation
from advisor.engine.diagram import (
    Choices,
    DiagramTooLarge,
    build_graph,
    choices_from_recommendation,
    choices_from_result,
    to_dot,
    to_mermaid,
)
from advisor.exports.dot_runner import run_dot
from advisor.exports.svg_safety import UnsafeSvg, safe_svg
from advisor.models import Assessment

Format = Literal["svg", "png"]
FileFormat = Literal["svg", "png", "dot", "mmd"]
DiagramInput = Assessment | Recommendation | Mapping[str, object]
CACHE_SECONDS = 7 * 24 * 3600
MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "dot": "text/vnd.graphviz; charset=utf-8",
    "mmd": "text/plain; charset=utf-8",
}

__all__ = [
    "DiagramInput",
    "DiagramTooLarge",
    "FileFormat",
    "Format",
    "Rendered",
    "diagram_file",
    "diagram_source",
    "file_name",
    "inline_svg",
    "mermaid_source",
    "render",
    "rendered_diagram",
]


@dataclass(frozen=True)
class Rendered:
    """A rendered diagram, or the reason there is none (`message`, for a person to read)."""

    fmt: FileFormat
    content: bytes = b""
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.message

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


def project_name_of(source: DiagramInput) -> str:
    """The `project_name` answer of `source`, or "" when it has none."""
    if isinstance(source, Recommendation):
        name = source.values.get("project_name")
    else:
        result = source.result if isinstance(source, Assessment) else source
        answers = result.get("answers") if isinstance(result, Mapping) else None
        name = answers.get("project_name") if isinstance(answers, Mapping) else None
    return name if isinstance(name, str) else ""


def file_name(source: DiagramInput, *, fmt: FileFormat) -> str:
    """`acme-invoicing-architecture.svg`: the slugged project name, or `architecture.svg`."""
    slug = slugify(project_name_of(source))[:60].strip("-")
    return f"{slug}-architecture.{fmt}" if slug else f"architecture.{fmt}"


def _choices(source: DiagramInput, pack: Pack) -> Choices:
    if isinstance(source, Recommendation):
        return choices_from_recommendation(source)
    result = source.result if isinstance(source, Assessment) else source
    return choices_from_result(pack, result if isinstance(result, Mapping) else {})


def diagram_source(source: DiagramInput, *, pack: Pack, project_name: str | None = None) -> str:
    """The DOT text of the recommended architecture."""
    return to_dot(build_graph(pack, _choices(source, pack), project_name=project_name or ""))


def mermaid_source(source: DiagramInput, *, pack: Pack, project_name: str | None = None) -> str:
    """The same graph as a Mermaid `flowchart LR`, for Markdown on GitHub or GitLab."""
    return to_mermaid(build_graph(pack, _choices(source, pack), project_name=project_name or ""))


def _cache_key(dot: str, fmt: Format) -> str:
    return f"diagram:v1:{fmt}:{hashlib.sha256(dot.encode('utf-8')).hexdigest()}"


def render(dot: str, *, fmt: Format) -> Rendered:
    """`dot` rendered by Graphviz (cached by the hash of the source); never raises."""
    key = _cache_key(dot, fmt)
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return Rendered(fmt, cached)
    outcome = run_dot(dot, fmt=fmt)
    if outcome.message:
        return Rendered(fmt, message=outcome.message)
    content = outcome.output
    if fmt == "svg":
        try:
            content = safe_svg(content.decode("utf-8")).encode("utf-8")
        except (UnsafeSvg, UnicodeDecodeError) as exc:
            return Rendered(fmt, message=f"the rendered SVG was refused: {exc}")
    cache.set(key, content, CACHE_SECONDS)
    return Rendered(fmt, content)


def rendered_diagram(
    source: DiagramInput, *, pack: Pack, fmt: Format, project_name: str | None = None
) -> Rendered:
    """The diagram of `source` as SVG or PNG, or a message saying why there is none."""
    try:
        dot = diagram_source(source, pack=pack, project_name=project_name)
    except DiagramTooLarge as exc:
        return Rendered(fmt, message=str(exc))
    return render(dot, fmt=fmt)


def inline_svg(source: DiagramInput, *, pack: Pack, project_name: str | None = None) -> Rendered:
    """Checked SVG markup without prolog or DOCTYPE, ready to put inside an HTML page."""
    return rendered_diagram(source, pack=pack, fmt="svg", project_name=project_name)


def diagram_file(
    source: DiagramInput, *, pack: Pack, fmt: FileFormat, project_name: str | None = None
) -> Rendered:
    """The diagram in any of the four download formats, or a message saying why there is none."""
    if fmt in ("svg", "png"):
        return rendered_diagram(source, pack=pack, fmt=fmt, project_name=project_name)
    write = diagram_source if fmt == "dot" else mermaid_source
    try:
        return Rendered(fmt, write(source, pack=pack, project_name=project_name).encode("utf-8"))
    except DiagramTooLarge as exc:
        return Rendered(fmt, message=str(exc))
