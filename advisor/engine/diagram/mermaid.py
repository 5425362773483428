"""The graph as a Mermaid `flowchart LR`, so it renders inside GitHub and GitLab Markdown.

Ids are the generated `n0`, `n1`, ...; every label is quoted and written with Mermaid's entity
codes for the characters that could end the quote or start markup (`"`, `<`, `>`, `&`, `#`,
backticks), so a hostile name stays text whatever `securityLevel` the reader's Mermaid has.
"""

from __future__ import annotations

import json
import re

from .graph import Edge, Graph, Node
from .style import BORDERS, CLUSTERS, node_lines, protocol_words

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "|": "#124;",
    "\\": "#92;",
}
_TITLE_SPECIAL = re.compile("[<>&'#`]")
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")

# Mermaid node shapes for the pack's shapes (its own, not Graphviz's).
_SHAPES = {
    "cylinder": ('[("', '")]'),
    "hexagon": ('{{"', '"}}'),
    "parallelogram": ('[/"', '"/]'),
    "cds": ('>"', '"]'),
    "ellipse": ('(["', '"])'),
    "oval": ('(["', '"])'),
    "circle": ('(("', '"))'),
    "component": ('[["', '"]]'),
}
_BOX = ('["', '"]')
_ARROWS = {"solid": "-->", "dashed": "-.->", "dotted": "-.->", "bold": "==>"}


def quoted(text: str) -> str:
    """Text for inside a quoted Mermaid label: the dangerous characters as entity codes."""
    return _SPECIAL.sub(lambda m: _ENTITIES[m.group(0)], text)


def _yaml_text(text: str) -> str:
    """The front matter's title as a JSON string (valid YAML), with `<`, `>`, `&`, quotes, `#`
    and backticks as \\u escapes: Mermaid cleans markup out of its source before it reads the
    YAML, so raw tags in a title would break it."""
    inner = json.dumps(text, ensure_ascii=False)[1:-1]
    return '"' + _TITLE_SPECIAL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", inner) + '"'


def _label(*lines: str) -> str:
    return "<br/>".join(quoted(line) for line in lines)


def _node(node: Node) -> str:
    lines = node_lines(node)
    opening, closing = _SHAPES.get(node.shape, _BOX)
    return f"{node.id}{opening}{_label(*lines)}{closing}"


def _edge(edge: Edge) -> str:
    words = _label(*protocol_words(edge.label))
    return f'{edge.source} {_ARROWS[edge.style]}|"{words}"| {edge.target}'


def to_mermaid(graph: Graph) -> str:
    """Mermaid text of `graph`: a title, one subgraph per cluster, labelled links, colours."""
    lines = [
        "---",
        f"title: {_yaml_text(f'{graph.title} — {graph.subtitle}')}",
        "---",
        "flowchart LR",
    ]
    for name, members in graph.clusters():
        title, fill = CLUSTERS[name]
        lines.append(f'  subgraph c_{name}["{quoted(title)}"]')
        lines += [f"    {_node(node)}" for node in members]
        lines.append("  end")
        lines.append(f"  style c_{name} fill:{fill},stroke:#9A9A9A")
    lines += [f"  {_edge(edge)}" for edge in graph.edges]
    for node in graph.nodes:
        lines.append(
            f"  style {node.id} fill:#FFFFFF,stroke:{BORDERS[node.color]},stroke-width:2px"
        )
    return "\n".join(lines) + "\n"
