"""The graph as DOT text, built with the `graphviz` package: no I/O, nothing is rendered here.

Every text is escaped with `graphviz.escape` (so a name like `<<b>x</b>>` stays text, never an
HTML-like label) and ids are the generated `n0`, `n1`, ...; no attribute that reads a file or
links out (image, shapefile, fontpath, URL, href, stylesheet) is ever written.
"""

from __future__ import annotations

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


def text(*lines: str) -> str:
    """Lines of plain text as one DOT label: each escaped, joined by centred line breaks."""
    return cast(str, graphviz.nohtml("\\n".join(graphviz.escape(line) for line in lines)))


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
    for name, members in graph.clusters():
        _cluster(dot, graph, name, members)
    for edge in graph.edges:
        _edge(dot, edge)
    _legend(dot, graph)
    return cast(str, dot.source)


def _graph_attr(graph: Graph) -> dict[str, str]:
    return {
        "rankdir": "LR",
        "newrank": "true",
        "label": text(graph.title, graph.subtitle),
        "labelloc": "t",
        "labeljust": "l",
        "fontname": FONT,
        "fontsize": "18",
        "fontcolor": TEXT,
        "nodesep": "0.22",
        "ranksep": "0.12",
        "forcelabels": "true",
        "pad": "0.3",
        "bgcolor": "white",
    }


def _beside_linked(sub: graphviz.Digraph, members: list[Node], graph: Graph) -> None:
    """Unlinked nodes (API contract notes) share the rank of their cluster's first linked node,
    instead of being pushed to the far left."""
    linked = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    anchors = [n.id for n in members if n.id in linked]
    loose = [n.id for n in members if n.id not in linked]
    if anchors and loose:
        with sub.subgraph() as same:
            same.attr(rank="same")
            for node_id in [anchors[0], *loose]:
                same.node(node_id)


def _cluster(dot: graphviz.Digraph, graph: Graph, name: str, members: list[Node]) -> None:
    title, fill = CLUSTERS[name]
    with dot.subgraph(name=f"cluster_{name}") as sub:
        sub.attr(
            label=text(title),
            style="rounded,filled",
            fillcolor=fill,
            color="#9A9A9A",
            fontsize="13",
            fontname=f"{FONT} Bold",
            labeljust="l",
            margin="8",
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
        _beside_linked(sub, members, graph)


def _node_label(node: Node) -> str:
    lines = node_lines(node)
    return text(*lines)


def _edge(dot: graphviz.Digraph, edge: Edge) -> None:
    dot.edge(edge.source, edge.target, label=text(*protocol_words(edge.label)), style=edge.style)


def _legend(dot: graphviz.Digraph, graph: Graph) -> None:
    """Samples of the shapes and line styles in this diagram, in two rows under the title."""
    by_meaning = {SHAPE_MEANING[n.shape]: n.shape for n in graph.nodes}
    styles = [s for s in LINE_MEANING if any(e.style == s for e in graph.edges)]
    with dot.subgraph(name="cluster_legend") as sub:
        sub.attr(
            label=text("Legend"),
            style="rounded",
            color="#9A9A9A",
            fontsize="13",
            fontname=f"{FONT} Bold",
            labeljust="l",
        )
        shapes: list[str] = []
        for index, (meaning, shape) in enumerate(by_meaning.items()):
            node_id = f"legend_shape{index}"
            sub.node(
                node_id,
                label=text(*wrapped(meaning, width=16)),
                shape=dot_shape(shape)[0],
                style=dot_shape(shape)[1],
                color="#6B6B6B",
                fontsize="10",
            )
            shapes.append(node_id)
        lines: list[str] = []
        for index, style in enumerate(styles):
            start, end = f"legend_line{index}a", f"legend_line{index}b"
            sub.node(start, label="", shape="point", width="0.05", color=EDGE)
            sub.node(end, label="", shape="point", width="0.05", color=EDGE)
            sub.edge(start, end, label=text(*wrapped(LINE_MEANING[style], width=20)), style=style)
            lines += [start, end]
        for row in (shapes, lines):
            for here, there in zip(row, row[1:], strict=False):
                if not (here.endswith("a") and there.endswith("b")):
                    sub.edge(here, there, style="invis")
