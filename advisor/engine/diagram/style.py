"""How the diagram looks: colours, cluster titles, legend wording and label wrapping.

The colours are the Okabe-Ito set (distinct for the common kinds of colour blindness), used
for borders on white boxes over pale cluster backgrounds, so a grey-scale print keeps every
shape, line style and text readable; colour is never the only cue.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.engine.diagram.graph import Node

FONT = "Helvetica"
TEXT = "#1A1A1A"
EDGE = "#3D3D3D"

# The pack's colour names (an enum in pack.schema.json) as Okabe-Ito borders.
BORDERS = {
    "black": "#000000",
    "gray": "#6B6B6B",
    "blue": "#0072B2",
    "navy": "#004E7C",
    "teal": "#009E73",
    "green": "#009E73",
    "darkgreen": "#00704F",
    "orange": "#E69F00",
    "purple": "#CC79A7",
    "red": "#D55E00",
    "brown": "#8A5A2B",
}

CLUSTERS = {
    "clients": ("Clients", "#EAF3FA"),
    "edge": ("Edge", "#E5F5EF"),
    "realtime": ("Real-time", "#FBEDE4"),
    "bff": ("Gateway, BFFs", "#E7EEF5"),
    "apis": ("APIs", "#F1F1F1"),
    "services": ("Services", "#E8F4EE"),
    "integrations": ("Integrations", "#F8EDF3"),
    "messaging": ("Messaging", "#FDF3DE"),
    "data": ("Data", "#F3EDE6"),
}

# What each shape stands for, in the legend (shapes are an enum in pack.schema.json).
SHAPE_MEANING = {
    "box": "app, API or service",
    "rect": "app, API or service",
    "ellipse": "other component",
    "oval": "other component",
    "circle": "other component",
    "component": "gateway, BFF or router",
    "hexagon": "edge network",
    "cylinder": "data store",
    "cds": "queue",
    "parallelogram": "event stream",
    "box3d": "group of workers or outside systems",
    "folder": "modules in one deployable",
    "tab": "other component",
    "note": "API contract",
}

# How a pack shape is drawn: slanted outlines (hexagon, parallelogram) grow much wider than
# their text, so they become boxes with cut corners and arrow-ended boxes of the text's size.
DOT_SHAPES = {
    "box": ("box", "filled,rounded"),
    "box3d": ("box3d", "filled"),
    "rect": ("box", "filled,rounded"),
    "hexagon": ("box", "filled,diagonals"),
    "parallelogram": ("rarrow", "filled"),
}


# Shapes whose outline eats into the text box need a wider margin (inches, x,y).
MARGINS = {
    "cds": "0.28,0.06",
    "parallelogram": "0.3,0.06",
    "box3d": "0.14,0.08",
    "note": "0.14,0.06",
}


def dot_shape(shape: str) -> tuple[str, str]:
    """Graphviz's (shape, style) for a pack shape."""
    return DOT_SHAPES.get(shape, (shape, "filled"))


def margin(shape: str) -> str:
    return MARGINS.get(shape, "0.1,0.06")


# Line styles in the legend, in the order shown.
LINE_MEANING = {
    "solid": "request and response (waits for the answer)",
    "dashed": "asynchronous: messages, events, webhooks",
    "dotted": "polling (asks again and again)",
    "bold": "main path",
}

# Words on the edges: the pack's protocol names, spelled out where a reader needs more.
# One line each: Graphviz stacks multi-line labels of a left-to-right graph too tightly.
PROTOCOL_WORDS = {
    "webhook": "webhook + HMAC",
    "messages": "queue",
    "in-process": "in-process",
}

WRAP = 15  # characters per line of a node label
# Shapes whose outline grows wider than their text: narrower lines keep the columns even.
NARROW_SHAPES = {"cds": 14}
SHOWN_PRODUCTS = 2  # more would make the box taller than its neighbours; the page lists all


def wrapped(text: str, *, width: int = WRAP) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def protocol_words(label: str) -> list[str]:
    """The lines written on an edge of this protocol."""
    return PROTOCOL_WORDS.get(label, label).split("\n")


def node_lines(node: Node) -> list[str]:
    """The component's name, then the chosen cloud's products under it (`— Amazon SQS`)."""
    width = NARROW_SHAPES.get(node.shape, WRAP)
    lines = wrapped(node.label, width=width)
    if node.products:
        shown = ", ".join(node.products[:SHOWN_PRODUCTS])
        more = len(node.products) - SHOWN_PRODUCTS
        lines += wrapped(f"— {shown}" + (f" (+{more} more)" if more > 0 else ""), width=width + 3)
    return lines
