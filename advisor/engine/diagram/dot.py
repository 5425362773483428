"""The graph as DOT text, built with the `graphviz` package: no I/O, nothing is rendered here.

Every text is escaped with `graphviz.escape` (so a name like `<<b>x</b>>` stays text, never an
HTML-like label) and ids are the generated `n0`, `n1`, ...; no attribute that reads a file or
links out (image, shapefile, fontpath, URL, href, stylesheet) is ever written.
"""

from __future__ import annotations

from itertools import pairwise
from typing import cast

import graphviz  # type: ignore[import-untyped]  # the package ships no type hints

from .graph import Edge, Graph, Node
from .style import (
    BORDERS,
    CLUSTERS,
    EDGE,
    FONT,
    LINE_MEANING,
    SHAPE_MEANING,
    TEXT,
    dot_shape,
    margin,
    node_lines,
    protocol_words,
    wrapped,
)

LEGEND_ROW = 4  # shape samples per row
CLUSTER_FONT = {"fontsize": "13", "fontname": f"{FONT}-Bold", "labeljust": "l"}


def _escaped(line: str) -> str:
    """One line for a DOT label: backslashes doubled and `<...>` kept from being HTML by
    `graphviz.escape`, and `&` written `&amp;`, since Graphviz reads entities such as `&gt;`
    in every label (a name typed with `&gt;` would otherwise be drawn with `>`)."""
    return cast(str, graphviz.escape(line.replace("&", "&amp;")))


def left_text(*lines: str) -> str:
    """Lines of plain text as one DOT label, each escaped and left-aligned (`\\l` endings)."""
    return cast(str, graphviz.nohtml("".join(_escaped(line) + "\\l" for line in lines)))


def text(*lines: str) -> str:
    """Lines of plain text as one DOT label: each escaped, joined by centred line breaks."""
    return cast(str, graphviz.nohtml("\\n".join(_escaped(line) for line in lines)))


def to_dot(graph: Graph) -> str:
    """The DOT source of `graph`, left to right, with clusters, labelled links and a legend."""
    dot = graphviz.Digraph(name="architecture", graph_attr=_graph_attr(graph))
    dot.attr(
        "node",
        fontname=FONT,
        fontsize="13",
        fontcolor=TEXT,
        style="filled",
        fillcolor="white",
        penwidth="1.8",
    )
    dot.attr(
        "edge",
        fontname=FONT,
        fontsize="12",
        fontcolor=TEXT,
        color=EDGE,
        penwidth="1.2",
        arrowsize="0.7",
    )
    _legend(dot, graph)
    for name, members in graph.clusters():
        _cluster(dot, graph, name, members)
    for edge in graph.edges:
        _edge(dot, edge)
    return cast(str, dot.source)


def _graph_attr(graph: Graph) -> dict[str, str]:
    return {
        "rankdir": "LR",
        "newrank": "true",
        "label": left_text(graph.title, graph.subtitle),
        "labelloc": "t",
        "labeljust": "l",
        "fontname": FONT,
        "fontsize": "18",
        "fontcolor": TEXT,
        "nodesep": "0.28",
        "ranksep": "0.12",
        "forcelabels": "true",
        "pad": "0.3",
        "bgcolor": "white",
    }


# Clusters drawn as one column: every client, edge node and BFF side by side, even when
# only some of them pass through the edge.
ONE_COLUMN = ("clients", "edge", "bff")


def _same_rank(sub: graphviz.Digraph, node_ids: list[str]) -> None:
    with sub.subgraph() as same:
        same.attr(rank="same")
        for node_id in node_ids:
            same.node(node_id)


def _columns(sub: graphviz.Digraph, name: str, members: list[Node], graph: Graph) -> None:
    """One column for the layers in ONE_COLUMN; elsewhere, unlinked nodes (API contract
    notes) share the rank of their cluster's first linked node, not the far left."""
    if name in ONE_COLUMN:
        _same_rank(sub, [n.id for n in members])
        return
    linked = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    anchors = [n.id for n in members if n.id in linked]
    loose = [n.id for n in members if n.id not in linked]
    if anchors and loose:
        _same_rank(sub, [anchors[0], *loose])


def _cluster(dot: graphviz.Digraph, graph: Graph, name: str, members: list[Node]) -> None:
    title, fill = CLUSTERS[name]
    with dot.subgraph(name=f"cluster_{name}") as sub:
        sub.attr(
            label=text(title),
            style="rounded,filled",
            fillcolor=fill,
            color="#9A9A9A",
            margin="8",
            **CLUSTER_FONT,
        )
        for node in members:
            shape, style = dot_shape(node.shape)
            sub.node(
                node.id,
                _node_label(node),
                shape=shape,
                style=style,
                color=BORDERS[node.color],
                margin=margin(node.shape),
            )
        if name == "clients":
            sub.attr(rank="min")
        _columns(sub, name, members, graph)


def _node_label(node: Node) -> str:
    lines = node_lines(node)
    return text(*lines)


def _edge(dot: graphviz.Digraph, edge: Edge) -> None:
    dot.edge(edge.source, edge.target, label=text(*protocol_words(edge.label)), style=edge.style)


def _legend(dot: graphviz.Digraph, graph: Graph) -> None:
    """Samples of the shapes and line styles in this diagram, two to a row beside the clients:
    each row is a pair of nodes joined by an invisible edge (so they sit one rank apart)."""
    by_meaning = {SHAPE_MEANING[n.shape]: n.shape for n in graph.nodes}
    styles = [s for s in LINE_MEANING if any(e.style == s for e in graph.edges)]
    with dot.subgraph(name="cluster_legend") as sub:
        sub.attr(label=text("Legend"), style="rounded", color="#9A9A9A", **CLUSTER_FONT)
        shapes = [f"legend_shape{i}" for i in range(len(by_meaning))]
        for node_id, (meaning, shape) in zip(shapes, by_meaning.items(), strict=True):
            drawn, style = dot_shape(shape)
            sub.node(
                node_id,
                text(*wrapped(meaning, width=16)),
                shape=drawn,
                style=style,
                color="#6B6B6B",
                fontsize="11",
                margin=margin(shape),
            )
        for row in range(0, len(shapes), LEGEND_ROW):
            for left, right in pairwise(shapes[row : row + LEGEND_ROW]):
                sub.edge(left, right, style="invis")
        for index, style in enumerate(styles):  # a short line with its meaning above it
            start, end = f"legend_line{index}", f"legend_end{index}"
            sub.node(start, "", shape="point", width="0.06", color=EDGE, group=start)
            sub.node(end, "", shape="point", width="0.01", color=EDGE, group=start)
            meaning = text(*wrapped(LINE_MEANING[style], width=16))
            sub.edge(start, end, label=meaning, style=style, fontsize="11", weight="10")
        for index in range(1, len(styles)):  # the line samples in one row too
            sub.edge(f"legend_end{index - 1}", f"legend_line{index}", style="invis")
