"""Checking Graphviz's SVG before anyone opens or inlines it.

The DOT we build never asks for anything active, so this is the second wall: the SVG is parsed
with defusedxml (no DTD, no entities) after its XML prolog and DOCTYPE are dropped, and refused
if it has a script, a foreignObject, an image, an event-handler attribute or a link that leaves
the document.
"""

from __future__ import annotations

import re

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# What Graphviz writes before <svg>: the XML declaration, the DOCTYPE and comments.
_PROLOG = re.compile(r"\A(?:\s*(?:<\?xml[^>]*\?>|<!DOCTYPE[^>\[]*>|<!--.*?-->))*\s*", re.S)
_ACTIVE_ELEMENTS = frozenset(
    {"script", "foreignobject", "image", "iframe", "object", "embed", "handler", "use", "feimage"}
)
_ANIMATIONS = frozenset({"animate", "set", "animatetransform", "animatemotion"})


class UnsafeSvg(ValueError):
    """The SVG holds something that could run or load when opened or inlined."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _check_element(element: object) -> None:
    tag = _local(getattr(element, "tag", ""))
    if tag in _ACTIVE_ELEMENTS or tag in _ANIMATIONS:
        raise UnsafeSvg(f"<{tag}> element")
    for name, value in getattr(element, "attrib", {}).items():
        attribute = _local(name)
        if attribute.startswith("on"):
            raise UnsafeSvg(f"{attribute} attribute on <{tag}>")
        if attribute == "href" and not value.startswith("#"):
            raise UnsafeSvg(f"link to {value[:60]!r} on <{tag}>")


def safe_svg(svg: str) -> str:
    """The SVG without prolog or DOCTYPE, after checking it; raises UnsafeSvg otherwise."""
    body = _PROLOG.sub("", svg, count=1)
    try:
        root = ElementTree.fromstring(body, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise UnsafeSvg(f"not plain XML: {exc}") from None
    if _local(root.tag) != "svg":
        raise UnsafeSvg(f"the document is <{_local(root.tag)}>, not <svg>")
    for element in root.iter():
        _check_element(element)
    return body.strip()
