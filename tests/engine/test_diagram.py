"""The diagram's DOT and Mermaid text, checked by structure, not as golden strings.

The DOT is read back by Graphviz itself (`dot -Tjson0`), so a test sees the clusters, nodes,
labels and edges exactly as Graphviz understood them.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from functools import cache

import pytest

from advisor.engine import Pack, PackError, evaluate, load_pack
from advisor.engine.diagram import (
    Graph,
    build_graph,
    choices_from_recommendation,
    choices_from_result,
    to_dot,
    to_mermaid,
)
from tests import support as _support

HOSTILE_NAMES = [
    'Evil"]; x [image="/etc/passwd"]; <script>alert(1)</script>',
    "<<FONT FACE='x\"/&gt;&lt;script&gt;alert(1)&lt;/script&gt;'>hi</FONT>>",
]


# Attributes that read a file or link out; none is ever written.
READS_OR_LINKS = {"image", "shapefile", "fontpath", "imagepath", "URL", "href", "stylesheet"}


@cache
def default_pack() -> Pack:
    return load_pack(_support.DEFAULT_RULES)


def scenario_graph(scenario_id: str, project_name: str = "") -> Graph:
    pack = default_pack()
    scenario = next(s for s in pack.scenarios if s.id == scenario_id)
    rec = evaluate(pack, scenario.answers)
    return build_graph(pack, choices_from_recommendation(rec), project_name=project_name)


def parsed(dot: str) -> dict:
    """Graphviz's own reading of the DOT text: objects (clusters and nodes) and edges."""
    done = subprocess.run(
        ["dot", "-Tjson0"], input=dot.encode(), capture_output=True, timeout=30, check=True
    )
    return json.loads(done.stdout)


def name_of(label: str) -> str:
    """The component name in a node label: its lines before the products (`— ...`)."""
    lines = label.split("\\n")
    return " ".join(line for line in itertools.takewhile(lambda x: not x.startswith("— "), lines))


def structure(dot: str) -> tuple[dict[str, set[str]], set[tuple[str, str, str, str]]]:
    """{cluster title: first lines of its node labels}, {(from, to, label, style)}."""
    graph = parsed(dot)
    objects = graph["objects"]
    clusters = {
        o["label"]: {name_of(objects[i]["label"]) for i in o.get("nodes", [])}
        for o in objects
        if o["name"].startswith("cluster_") and o["name"] != "cluster_legend"
    }
    edges = {
        (
            name_of(objects[e["tail"]]["label"]),
            name_of(objects[e["head"]]["label"]),
            e.get("label", "").replace("\\n", " "),
            e.get("style", "solid"),
        )
        for e in graph["edges"]
        if not objects[e["tail"]]["name"].startswith("legend")
    }
    return clusters, edges


def test_a_marketplace_with_team_owned_apps_has_every_layer() -> None:
    clusters, edges = structure(to_dot(scenario_graph("marketplace-team-per-app")))

    assert list(clusters) == [
        "Clients",
        "Edge",
        "Real-time",
        "Gateway, BFFs",
        "APIs",
        "Services",
        "Integrations",
        "Messaging",
        "Data",
    ]
    assert clusters["Clients"] == {"Web app", "Mobile apps", "Internal tools"}
    assert clusters["Gateway, BFFs"] == {
        "Web BFF (owned by the web team)",
        "Mobile BFF (owned by the mobile team)",
    }
    assert {"Federation router (supergraph)", "Core API"} <= clusters["APIs"]
    assert clusters["Messaging"] == {"Job queue", "Event stream (replayable log)"}
    # A client's request goes through the edge, then its BFF, then the router, in its protocol.
    edge_fn = "Edge functions (auth, redirects, personalization)"
    web_bff = "Web BFF (owned by the web team)"
    assert ("Web app", edge_fn, "GraphQL", "solid") in edges
    assert (edge_fn, web_bff, "GraphQL", "solid") in edges
    assert (web_bff, "Federation router (supergraph)", "GraphQL", "solid") in edges
    assert not any(tail == "Web app" and head.startswith("Fed") for tail, head, *_ in edges)
    assert not any(tail == web_bff and head == "Core API" for tail, head, *_ in edges)
    # Asynchronous links are dashed, whatever the pack wrote.
    assert ("Core API", "Job queue", "queue", "dashed") in edges
    providers = "Webhook providers (payments, code hosting, commerce)"
    assert (providers, "Webhook receiver", "webhook + HMAC", "dashed") in edges
    assert ("Web app", "WebSocket servers", "WebSocket", "solid") in edges


def test_products_of_the_chosen_cloud_are_under_the_component_name() -> None:
    graph = parsed(to_dot(scenario_graph("marketplace-team-per-app")))
    labels = [o["label"].replace("\\n", " ") for o in graph["objects"] if "nodes" not in o]

    # queue_and_stream names where its products go (products_on): one under each broker.
    assert "Job queue — Amazon SQS" in labels
    assert "Event stream (replayable log) — Amazon Kinesis Data Streams or Amazon MSK" in labels
    providers = next(label for label in labels if label.startswith("Webhook providers"))
    assert "—" not in providers  # the providers are not ours to buy
    assert "products for AWS" in graph["label"]


def test_a_whiteboard_on_cloudflare_has_real_time_but_no_bff() -> None:
    clusters, edges = structure(to_dot(scenario_graph("whiteboard-on-cloudflare")))

    assert list(clusters) == ["Clients", "Edge", "Real-time", "APIs", "Data"]
    assert clusters["Clients"] == {"Web app", "Desktop app"}
    assert ("Core API", "Primary database", "SQL", "solid") in edges
    assert all(style in ("solid", "dotted") for *_, style in edges)


def test_without_answers_only_the_base_diagram_and_defaults_are_drawn() -> None:
    graph = scenario_graph("nothing-answered-yet")
    clusters, edges = structure(to_dot(graph))

    assert "Clients" not in clusters  # no client was chosen, so none is drawn
    assert clusters["Data"] == {"Primary database"}
    assert all(not node.products for node in graph.nodes)  # no cloud chosen: names alone
    assert "no cloud chosen" in graph.subtitle


def test_a_stored_result_draws_the_same_graph_as_the_recommendation() -> None:
    pack = default_pack()
    scenario = next(s for s in pack.scenarios if s.id == "ride-hailing-platform")
    rec = evaluate(pack, scenario.answers)

    from_result = build_graph(pack, choices_from_result(pack, json.loads(rec.to_json())))

    assert from_result == build_graph(pack, choices_from_recommendation(rec))


def test_a_result_that_no_longer_fits_the_pack_draws_what_fits() -> None:
    result = {"answers": {"clients": ["web", "made-up"]}, "decisions": [{"id": "x", "option": 1}]}

    graph = build_graph(default_pack(), choices_from_result(default_pack(), result))

    assert {n.component for n in graph.nodes} >= {"api", "primary_db"}


def test_node_ids_are_generated_never_taken_from_the_pack() -> None:
    dot = to_dot(scenario_graph("marketplace-team-per-app"))
    names = [o["name"] for o in parsed(dot)["objects"] if "nodes" not in o]

    assert all(re.fullmatch(r"n\d+|legend_\w+", name) for name in names)
    assert "client_web" not in dot and "primary_db" not in dot


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_project_name_is_one_plain_title(name: str) -> None:
    dot = to_dot(scenario_graph("whiteboard-on-cloudflare", project_name=name))
    graph = parsed(dot)

    plain = parsed(to_dot(scenario_graph("whiteboard-on-cloudflare", project_name="Plain")))

    assert graph["label"].startswith(name.replace("&", "&amp;"))  # Graphviz reads &amp; as &
    assert len(graph["objects"]) == len(plain["objects"])  # no node or cluster smuggled in
    assert len(graph["edges"]) == len(plain["edges"])
    keys = {key for part in [graph, *graph["objects"], *graph["edges"]] for key in part}
    assert keys.isdisjoint(READS_OR_LINKS)


def test_control_characters_and_long_names_are_cleaned_and_capped() -> None:
    graph = scenario_graph("whiteboard-on-cloudflare", project_name="a\x01b\nc" + "x" * 500)

    assert graph.title.startswith("a b c")
    assert len(graph.title) <= 120


def test_mermaid_has_the_same_clusters_nodes_and_links() -> None:
    graph = scenario_graph("marketplace-team-per-app")
    text = to_mermaid(graph)

    assert text.splitlines()[3] == "flowchart LR"
    assert re.findall(r"subgraph c_(\w+)", text) == [name for name, _ in graph.clusters()]
    assert len(re.findall(r"^  n\d+ [-.=]+>\|", text, re.M)) == len(graph.edges)
    assert len(re.findall(r"^  n\d+ -\.->\|", text, re.M)) == sum(
        e.style in ("dashed", "dotted") for e in graph.edges
    )


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_mermaid_labels_carry_no_markup_from_a_hostile_name(name: str) -> None:
    text = to_mermaid(scenario_graph("whiteboard-on-cloudflare", project_name=name))
    title = text.splitlines()[1]

    assert title.startswith('title: "') and title.endswith('"')
    assert json.loads(title.removeprefix("title: ")).startswith(name)  # JSON is YAML too
    assert not set("<>&'`#") & set(title)  # written as \\u escapes
    body = "\n".join(text.splitlines()[3:])
    assert "<" not in body.replace("<br/>", "")  # every < of a label is an entity code
    assert body.count('"') % 2 == 0 and '\\"' not in body


def default_files() -> dict[str, str]:
    root = _support.DEFAULT_RULES
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.yaml"))}


@pytest.mark.parametrize(
    ("file", "after", "added", "message"),
    [
        (
            "components.yaml",
            "    label: CDN cache\n",
            "    image: /etc/passwd\n",
            "components[6].image: unexpected key 'image'",
        ),
        (
            "components.yaml",
            "    label: CDN cache\n",
            '    URL: "javascript:alert(1)"\n',
            "components[6].URL: unexpected key 'URL'",
        ),
        (
            "components.yaml",
            "    label: CDN cache\n",
            "    fontname: 'x\"/><script>'\n",
            "components[6].fontname: unexpected key 'fontname'",
        ),
        (
            "decisions.yaml",
            "            - {from: cdn, to: api, label: HTTPS",
            ", href: 'http://example.com'",
            "links[1].href: unexpected key 'href'",
        ),
    ],
)
def test_a_pack_cannot_smuggle_graphviz_attributes(
    file: str, after: str, added: str, message: str
) -> None:
    files = default_files()
    assert files[file].count(after) == 1
    files[file] = files[file].replace(after, after + added)

    with pytest.raises(PackError) as caught:
        load_pack(files)

    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1
    assert re.fullmatch(rf"{file}:\d+:\d+: error: .*{re.escape(message)}.*", problems[0])


@pytest.mark.parametrize(
    ("attribute", "value"), [("shape", "box] x [image=/etc/passwd"), ("color", "red;x")]
)
def test_shapes_and_colours_come_from_a_fixed_list(attribute: str, value: str) -> None:
    files = default_files()
    original = f"    {attribute}: hexagon\n" if attribute == "shape" else "    color: teal\n"
    files["components.yaml"] = files["components.yaml"].replace(
        original, f'    {attribute}: "{value}"\n', 1
    )

    with pytest.raises(PackError) as caught:
        load_pack(files)

    assert f"components[6].{attribute}" in str(caught.value.problems[0])


def test_products_on_must_name_the_options_own_components() -> None:
    files = default_files()
    original = "products_on: [job_queue, event_stream]"
    text = files["decisions.yaml"]
    line = text[: text.index(original)].count("\n") + 1
    column = text.splitlines()[line - 1].index(original) + len("products_on: [job_queue, ") + 1
    files["decisions.yaml"] = text.replace(original, "products_on: [job_queue, primary_db]")
    messaging = next(
        i for i, d in enumerate(load_pack(default_files()).decisions) if d.id == "messaging"
    )
    option = [o.id for o in load_pack(default_files()).decisions[messaging].options].index(
        "queue_and_stream"
    )

    with pytest.raises(PackError) as caught:
        load_pack(files)

    assert [str(p) for p in caught.value.problems] == [
        f"decisions.yaml:{line}:{column}: error: decisions[{messaging}].options[{option}]"
        ".diagram.products_on[1]: "
        "products_on: 'primary_db' is not one of this option's components"
    ]
