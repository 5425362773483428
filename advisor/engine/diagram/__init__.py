"""The architecture diagram of a recommendation, as data, DOT text and Mermaid text.

Pure code, like the rest of the engine: rendering DOT to SVG or PNG (running `dot`) lives in
`advisor/exports/diagrams.py`.

    graph = build_graph(pack, choices_from_result(pack, result), project_name="Acme")
    to_dot(graph), to_mermaid(graph)
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.engine.answers import validate_answers
from advisor.engine.evaluate import Recommendation
from advisor.engine.pack import Pack

from .dot import to_dot
from .graph import Choices, DiagramTooLarge, Edge, Graph, Node, build_graph
from .mermaid import to_mermaid

__all__ = [
    "Choices",
    "DiagramTooLarge",
    "Edge",
    "Graph",
    "Node",
    "build_graph",
    "choices_from_recommendation",
    "choices_from_result",
    "to_dot",
    "to_mermaid",
]


def choices_from_recommendation(rec: Recommendation) -> Choices:
    return Choices({d: r.option for d, r in rec.resolutions.items()}, rec.values)


def choices_from_result(pack: Pack, result: Mapping[str, object]) -> Choices:
    """The choices in a stored result (`Recommendation.to_dict()`), read against its pack.

    Anything that does not fit the pack (an older result, a hand-edited one) is left out
    rather than raised: a diagram of what does fit is still worth drawing.
    """
    decisions = result.get("decisions")
    options = {
        d["id"]: d["option"]
        for d in (decisions if isinstance(decisions, list) else [])
        if isinstance(d, Mapping)
        and isinstance(d.get("id"), str)
        and isinstance(d.get("option"), str)
    }
    answers = result.get("answers")
    values = validate_answers(pack, answers).values if isinstance(answers, Mapping) else {}
    return Choices(options, values)
