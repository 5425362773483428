"""The architecture diagram of an assessment: DOT, Mermaid, and SVG/PNG rendered by Graphviz.

The interface the pages, the API, the records and the CLI share::

    diagram_source(source, *, pack, project_name=None) -> str        # DOT text
    mermaid_source(source, *, pack, project_name=None) -> str        # Mermaid flowchart LR
    render(dot, *, fmt="svg" | "png") -> Rendered                    # never raises
    rendered_diagram(source, *, pack, fmt, project_name=None) -> Rendered
    inline_svg(source, *, pack, project_name=None) -> Rendered       # SVG for an HTML page
    diagram_file(source, *, pack, fmt="svg" | "png" | "dot" | "mmd") -> Rendered
    stored_diagram(assessment_id, *, fmt) -> (Rendered, file name) | None  # by id, for the API
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
import html
import re
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cachetools import LRUCache
from django.core.cache import cache
from django.utils.text import slugify

from advisor.engine import Pack, Recommendation
from advisor.engine import diagram as engine_diagram
from advisor.engine.diagram import (
    Choices,
    DiagramTooLarge,
    Graph,
    build_graph,
    choices_from_recommendation,
    choices_from_result,
    to_dot,
    to_mermaid,
)
from advisor.exports.dot_runner import run_dot
from advisor.exports.svg_safety import UnsafeSvg, safe_svg
from advisor.models import Assessment
from advisor.packs import compiled

Format = Literal["svg", "png"]
FileFormat = Literal["svg", "png", "dot", "mmd"]
DiagramInput = Assessment | Recommendation | Mapping[str, object]
CACHE_SECONDS = 7 * 24 * 3600
# DOT and Mermaid texts by everything they depend on (per process; a pure function of it).
_texts: LRUCache[Hashable, str] = LRUCache(maxsize=1024)
_texts_lock = threading.Lock()
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


def _text(
    write: Callable[[Graph], str], source: DiagramInput, pack: Pack, project_name: str | None
) -> str:
    """`write` of the graph of `source`, remembered: building the DOT with the `graphviz`
    package takes milliseconds, reading it back from here microseconds."""
    choices = _choices(source, pack)
    name = project_name or ""
    try:
        key: Hashable = (
            write,
            pack.fingerprint,
            frozenset(choices.options.items()),
            frozenset(choices.values.items()),
            name,
        )
        hash(key)
    except TypeError:  # an answer that is not hashable: draw it, don't remember it
        return write(build_graph(pack, choices, project_name=name))
    with _texts_lock:
        text = _texts.get(key)
    if text is None:
        text = write(build_graph(pack, choices, project_name=name))
        with _texts_lock:
            _texts[key] = text
    return text


def diagram_source(source: DiagramInput, *, pack: Pack, project_name: str | None = None) -> str:
    """The DOT text of the recommended architecture."""
    return _text(to_dot, source, pack, project_name)


def mermaid_source(source: DiagramInput, *, pack: Pack, project_name: str | None = None) -> str:
    """The same graph as a Mermaid `flowchart LR`, for Markdown on GitHub or GitLab."""
    return _text(to_mermaid, source, pack, project_name)


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
    """Checked SVG markup without prolog or DOCTYPE, ready to put inside an HTML page.

    Made for a page rather than a file: no fixed width and height (it fills its container,
    keeping its viewBox), no `id` attributes (two diagrams on one page would repeat them), no
    per-shape <title> (browsers would show `n0` as a tooltip), and role="img" with a name.
    """
    drawn = rendered_diagram(source, pack=pack, fmt="svg", project_name=project_name)
    if not drawn.ok:
        return drawn
    name = project_name or project_name_of(source)
    return Rendered("svg", for_page(drawn.text, name=name).encode("utf-8"))


_SIZE = re.compile(r'\A<svg width="[^"]*" height="[^"]*"')
_IDS = re.compile(r' id="[^"]*"')
_TITLES = re.compile(r"<title>[^<]*</title>\n?")


def for_page(svg: str, *, name: str) -> str:
    """Graphviz's checked SVG, adjusted to sit inside an HTML page (see inline_svg)."""
    label = html.escape(f"Architecture diagram of {name}" if name else "Architecture diagram")
    opening = f'<svg role="img" aria-label="{label}"'
    return _TITLES.sub("", _IDS.sub("", _SIZE.sub(opening, svg, count=1)))


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


# The drawing code itself: a stored assessment's picture is remembered under this, so a new
# release that draws differently never serves a picture remembered by the previous one.
DRAWING = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted(Path(engine_diagram.__file__).parent.glob("*.py")))
).hexdigest()[:16]


def _stored_key(assessment_id: str, fmt: FileFormat) -> str:
    return f"diagram:v1:assessment:{DRAWING}:{assessment_id}:{fmt}"


def stored_diagram(assessment_id: str, *, fmt: FileFormat) -> tuple[Rendered, str] | None:
    """The picture of a stored assessment and its file name; None when there is no such one.

    A picture already drawn comes from the cache after a cheap existence check: the stored
    result (large, with every what-if) and the pack's files are read only to draw it once.
    """
    remembered = cache.get(_stored_key(assessment_id, fmt))
    if remembered is not None and Assessment.objects.filter(id=assessment_id).exists():
        content_key, name = remembered
        content = cache.get(content_key)
        if isinstance(content, bytes):
            return Rendered(fmt, content), name
    assessment = (
        Assessment.objects.select_related("pack_version")
        .defer("pack_version__files", "answers")
        .filter(id=assessment_id)
        .first()
    )
    if assessment is None:
        return None
    drawn = diagram_file(assessment, pack=compiled(assessment.pack_version), fmt=fmt)
    name = file_name(assessment, fmt=fmt)
    if drawn.ok and fmt in ("svg", "png"):
        dot = diagram_source(assessment, pack=compiled(assessment.pack_version))
        cache.set(_stored_key(assessment_id, fmt), (_cache_key(dot, fmt), name), CACHE_SECONDS)
    return drawn, name
