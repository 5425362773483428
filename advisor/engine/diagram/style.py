"""How the diagram looks: colours, cluster titles, legend wording and label wrapping.

The colours are the Okabe-Ito set (distinct for the common kinds of colour blindness), used
for borders on white boxes over pale cluster backgrounds, so a grey-scale print keeps every
shape, line style and text readable; colour is never the only cue.
"""

from __future__ import annotations

import textwrap

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
    "bff": ("Gateway and BFF layer", "#E7EEF5"),
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

# Line styles in the legend, in the order shown.
LINE_MEANING = {
    "solid": "request and response (waits for the answer)",
    "dashed": "asynchronous: messages, events, webhooks",
    "dotted": "polling (asks again and again)",
    "bold": "main path",
}

# Words on the edges: the pack's protocol names, spelled out where a reader needs more.
PROTOCOL_WORDS = {
    "webhook": "webhook + HMAC",
    "messages": "queue messages",
}

WRAP = 24  # characters per line of a node label


def wrapped(text: str, *, width: int = WRAP) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def protocol_words(label: str) -> str:
    return PROTOCOL_WORDS.get(label, label)
