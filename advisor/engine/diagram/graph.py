"""The diagram as plain data: which components a recommendation brings in and how they talk.

Everything comes from the pack (`components`, the base `diagram`, each chosen option's
`diagram`) and the answers; nothing is drawn here. Node ids are generated (`n0`, `n1`, ...),
never taken from the pack or the answers, and every text is cleaned and capped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from advisor.engine.conditions import compile_condition
from advisor.engine.model import Component, DecisionOption, Link
from advisor.engine.pack import Pack

from .doors import through_front_doors

MAX_NODES = 80
MAX_EDGES = 240
MAX_LABEL = 120  # characters of one label (a component name, a product list, a title)

# Clusters from left to right; real-time sits with the gateways (it faces the clients) and
# integrations with the services (receivers and dispatchers are services of their own).
CLUSTER_ORDER = (
    "clients",
    "edge",
    "realtime",
    "bff",
    "apis",
    "services",
    "integrations",
    "messaging",
    "data",
)
# Protocols whose sender does not wait for the receiver: drawn dashed whatever the pack says.
ASYNC_PROTOCOLS = frozenset({"events", "messages", "webhook"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"\s+")


class DiagramTooLarge(ValueError):
    """More nodes or edges than a readable (and quickly rendered) picture can hold."""


def clean_text(text: str, *, limit: int = MAX_LABEL) -> str:
    """One line of plain text: control characters and runs of space become one space, capped."""
    flat = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Node:
    id: str  # generated: n0, n1, ...
    component: str  # the pack's component id; never written out as a DOT or Mermaid id
    label: str
    products: tuple[str, ...]  # the chosen cloud's products; none when no cloud is chosen
    kind: str
    cluster: str
    shape: str
    color: str


@dataclass(frozen=True)
class Edge:
    source: str  # node ids
    target: str
    label: str
    style: str  # solid, dashed, dotted or bold

    @property
    def asynchronous(self) -> bool:
        return self.style == "dashed"


@dataclass(frozen=True)
class Graph:
    title: str
    subtitle: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def clusters(self) -> list[tuple[str, list[Node]]]:
        """Clusters in left-to-right order, each with its nodes; empty ones left out."""
        return [
            (name, members)
            for name in CLUSTER_ORDER
            if (members := [n for n in self.nodes if n.cluster == name])
        ]


@dataclass(frozen=True)
class Choices:
    """What a diagram depends on: the option chosen per decision and the normalized answers."""

    options: Mapping[str, str]
    values: Mapping[str, object]

    def product_answer(self, pack: Pack) -> str:
        """The answer that picks products (the pack's `products_question`, such as a cloud);
        empty while it is unanswered or still the pack's `products_default`."""
        answer = self.values.get(pack.products_question or "")
        if not isinstance(answer, str) or answer == pack.products_default:
            return ""
        return answer


def build_graph(pack: Pack, choices: Choices, *, project_name: str = "") -> Graph:
    """The graph of a recommendation: the components its options bring in, linked."""
    components = _present_components(pack, choices)
    by_id = {c.id: c for c in components}
    links = [
        link for link in _chosen_links(pack, choices) if {link.source, link.target} <= set(by_id)
    ]
    links = through_front_doors(links, by_id)
    products = _products(pack, choices, by_id)
    ordered = sorted(components, key=lambda c: CLUSTER_ORDER.index(c.cluster))
    ids = {c.id: f"n{i}" for i, c in enumerate(ordered)}
    nodes = tuple(_node(ids[c.id], c, products.get(c.id, ())) for c in ordered)
    edges = tuple(
        dict.fromkeys(Edge(ids[k.source], ids[k.target], k.label, _style(k)) for k in links)
    )
    if len(nodes) > MAX_NODES or len(edges) > MAX_EDGES:
        raise DiagramTooLarge(
            f"{len(nodes)} components and {len(edges)} links; a diagram holds at most "
            f"{MAX_NODES} and {MAX_EDGES}"
        )
    return Graph(_title(pack, choices, project_name), _subtitle(pack, choices), nodes, edges)


def _node(node_id: str, c: Component, products: Iterable[str]) -> Node:
    return Node(
        id=node_id,
        component=c.id,
        label=clean_text(c.label),
        products=tuple(clean_text(p) for p in products),
        kind=c.kind,
        cluster=c.cluster,
        shape=c.shape or "box",
        color=c.color or "black",
    )


def _style(link: Link) -> str:
    return "dashed" if link.label in ASYNC_PROTOCOLS else link.style


def _title(pack: Pack, choices: Choices, project_name: str) -> str:
    answered = choices.values.get("project_name")
    name = project_name or (answered if isinstance(answered, str) else "") or "Your project"
    return clean_text(name)


def _subtitle(pack: Pack, choices: Choices) -> str:
    pack_words = f"Recommended architecture · {pack.name} {pack.version}"
    cloud = choices.product_answer(pack)
    if not cloud:
        return clean_text(f"{pack_words} · no cloud chosen", limit=2 * MAX_LABEL)
    question = pack.compiled.questions.get(pack.products_question or "")
    label = next((o.label for o in question.options if o.id == cloud), cloud) if question else cloud
    return clean_text(f"{pack_words} · products for {label}", limit=2 * MAX_LABEL)


def _chosen_options(pack: Pack, choices: Choices) -> list[DecisionOption]:
    chosen = []
    for decision in pack.decisions:
        option_id = choices.options.get(decision.id, "")
        if option_id in decision.option_ids:
            chosen.append(decision.option(option_id))
    return chosen


def _present_components(pack: Pack, choices: Choices) -> list[Component]:
    """The base diagram's components, then each chosen option's, whose `when` holds."""
    wanted = list(pack.diagram.components)
    for option in _chosen_options(pack, choices):
        wanted.extend(option.diagram.components)
    by_id = {c.id: c for c in pack.components}
    return [
        by_id[cid]
        for cid in dict.fromkeys(wanted)
        if cid in by_id and _applies(by_id[cid], choices.values)
    ]


def _applies(component: Component, values: Mapping[str, object]) -> bool:
    return component.when is None or compile_condition(component.when)(values) is True


def _chosen_links(pack: Pack, choices: Choices) -> list[Link]:
    links = list(pack.diagram.links)
    for option in _chosen_options(pack, choices):
        links.extend(option.diagram.links)
    return list(dict.fromkeys(links))


def _runs_it(component: Component | None) -> bool:
    """Whether products can be written under it: drawn, and not a client or an outside party."""
    return component is not None and component.kind not in ("client", "external")


def _products(
    pack: Pack, choices: Choices, present: Mapping[str, Component]
) -> dict[str, list[str]]:
    """Each chosen option's products for the chosen cloud, under the components its
    `products_on` names (product i under the i-th, the rest under the last), else under the
    first of its components that is drawn (or the component its first drawn link points to)."""
    cloud = choices.product_answer(pack)
    if not cloud:
        return {}
    found: dict[str, list[str]] = {}
    for option in _chosen_options(pack, choices):
        names = option.products_for(cloud, default=None)
        for holder, name in zip(_holders(option, present, len(names)), names, strict=False):
            listed = found.setdefault(holder, [])
            if name not in listed:
                listed.append(name)
    return found


def _holders(option: DecisionOption, present: Mapping[str, Component], count: int) -> list[str]:
    """The component each of the option's `count` products is written under."""
    named = [c for c in option.diagram.products_on if _runs_it(present.get(c))]
    if named:
        return named[:count] + [named[-1]] * (count - len(named))
    first = [c for c in option.diagram.components if _runs_it(present.get(c))]
    first += [k.target for k in option.diagram.links if _runs_it(present.get(k.target))]
    return [first[0]] * count if first else []
