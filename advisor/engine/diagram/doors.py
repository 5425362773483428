"""A client's requests pass its front doors in order: edge, then BFF or gateway, then router.

Each option of the pack draws its own links from the clients (the edge option to the CDN, the
BFF option to the BFFs, the API-style option straight to the API), because an option cannot
know which others are chosen with it. Drawn as they are, a client would seem to call the same
API three ways. Here the links of one client to several doors become one chain through them,
in the order of the layers, carrying the client's protocol (the label of its link to the
innermost door); a door's own shortcut past the next door is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.engine.model import Component, Link


def door_layer(component: Component) -> int | None:
    """0 edge, 1 BFF or gateway in front of the API, 2 router or gateway beside it, 3 the API."""
    if component.kind == "edge":
        return 0
    if component.kind in ("bff", "gateway"):
        return 1 if component.cluster == "bff" else 2
    if component.kind == "api" and component.cluster == "apis":
        return 3
    return None


def _chain(client: str, links: list[Link], components: Mapping[str, Component]) -> list[Link]:
    """The client's request links to doors, innermost last; [] unless one door per layer."""
    mine = [
        link
        for link in links
        if link.source == client
        and link.style == "solid"
        and door_layer(components[link.target]) is not None
    ]
    layers = [door_layer(components[link.target]) for link in mine]
    if len(mine) < 2 or len(set(layers)) != len(layers):
        return []
    return sorted(mine, key=lambda link: door_layer(components[link.target]) or 0)


def through_front_doors(links: list[Link], components: Mapping[str, Component]) -> list[Link]:
    """`links` with each client's links to several doors turned into one chain through them."""
    removed: set[Link] = set()
    added: list[Link] = []
    next_door: dict[str, set[str]] = {}
    for client in (c.id for c in components.values() if c.kind == "client"):
        chain = _chain(client, links, components)
        if not chain:
            continue
        protocol = chain[-1].label
        removed.update(chain)
        added.append(Link(client, chain[0].target, protocol))
        doors = [link.target for link in chain]
        for here, there in zip(doors, doors[1:], strict=False):
            next_door.setdefault(here, set()).add(there)
            if not any(k.source == here and k.target == there for k in links):
                added.append(Link(here, there, protocol))
    kept = [k for k in links if k not in removed and not _shortcut(k, next_door, components)]
    return list(dict.fromkeys(kept + added))


def _shortcut(
    link: Link, next_door: Mapping[str, set[str]], components: Mapping[str, Component]
) -> bool:
    """A door's link past its next door(s) to a door further in."""
    following = next_door.get(link.source)
    if not following or link.target in following:
        return False
    return door_layer(components[link.target]) is not None
