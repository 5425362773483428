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
        fontsize="12",
        fontcolor=TEXT,
        style="filled",
        fillcolor="white",
        penwidth="1.8",
        margin="0.18,0.08",
    )
    dot.attr(
        "edge",
        fontname=FONT,
        fontsize="10",
        fontcolor=TEXT,
        color=EDGE,
        penwidth="1.2",
        arrowsize="0.7",
    )
    for name, members in graph.clusters():
        _cluster(dot, name, members)
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
        "nodesep": "0.3",
        "ranksep": "0.75",
        "pad": "0.3",
        "bgcolor": "white",
    }


def _cluster(dot: graphviz.Digraph, name: str, members: list[Node]) -> None:
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
            margin="12",
        )
        for node in members:
            sub.node(node.id, label=_node_label(node), shape=node.shape, color=BORDERS[node.color])


def _node_label(node: Node) -> str:
    lines = wrapped(node.label)
    if node.products:
        lines += wrapped(f"— {node.products}", width=30)
    return text(*lines)


def _edge(dot: graphviz.Digraph, edge: Edge) -> None:
    dot.edge(edge.source, edge.target, label=text(protocol_words(edge.label)), style=edge.style)


def _legend(dot: graphviz.Digraph, graph: Graph) -> None:
    shapes = dict.fromkeys(SHAPE_MEANING[n.shape] for n in graph.nodes)
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
        chain: list[str] = []
        for index, meaning in enumerate(shapes):
            node_id = f"legend_shape{index}"
            sub.node(
                node_id,
                label=text(*wrapped(meaning, width=18)),
                shape=by_meaning[meaning],
                color="#6B6B6B",
                fontsize="10",
            )
            chain.append(node_id)
        for index, style in enumerate(styles):
            start, end = f"legend_line{index}a", f"legend_line{index}b"
            sub.node(start, label="", shape="point", width="0.06", color=EDGE)
            sub.node(end, label="", shape="point", width="0.06", color=EDGE)
            sub.edge(start, end, label=text(*wrapped(LINE_MEANING[style], width=22)), style=style)
            chain += [start, end]
        for here, there in zip(chain, chain[1:], strict=False):
            if not (here.endswith("a") and there.endswith("b")):
                sub.edge(here, there, style="invis")
