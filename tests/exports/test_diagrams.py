"""Rendering the diagram with Graphviz: hostile names, a missing or slow `dot`, limits, cache,
and every scenario's Mermaid text through the real mermaid-cli."""

from __future__ import annotations

import json
import random
import stat
import subprocess
from functools import cache
from pathlib import Path

import pytest
from defusedxml import ElementTree

from advisor.engine import Pack, evaluate, load_pack
from advisor.exports import diagrams, dot_runner
from advisor.exports.svg_safety import UnsafeSvg, safe_svg
from tests import support as _support

HOSTILE_NAMES = [
    'Evil"]; x [image="/etc/passwd"]; <script>alert(1)</script>',
    "<<FONT FACE='x\"/&gt;&lt;script&gt;alert(1)&lt;/script&gt;'>hi</FONT>>",
    '<<TABLE><TR><TD><IMG SRC="/etc/passwd"/></TD></TR></TABLE>>',
]
SVG = "{http://www.w3.org/2000/svg}"
MMDC = _support.REPO / "node_modules" / ".bin" / "mmdc"


@cache
def default_pack() -> Pack:
    return load_pack(_support.DEFAULT_RULES)


def recommendation(scenario_id: str = "whiteboard-on-cloudflare"):
    pack = default_pack()
    scenario = next(s for s in pack.scenarios if s.id == scenario_id)
    return evaluate(pack, scenario.answers)


def fake_dot(folder: Path, script: str) -> None:
    """A `dot` on PATH that runs `script` (a shell script body) instead of Graphviz."""
    path = folder / "dot"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def texts_of(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_project_name_is_drawn_as_plain_text(name: str) -> None:
    drawn = diagrams.inline_svg(recommendation(), pack=default_pack(), project_name=name)

    assert drawn.ok, drawn.message
    assert name in texts_of(drawn.text)  # one text element, the name exactly as typed
    root = ElementTree.fromstring(drawn.text)
    tags = {element.tag.rsplit("}", 1)[-1].lower() for element in root.iter()}
    assert tags.isdisjoint({"script", "image", "foreignobject", "a", "iframe"})
    assert root.get("aria-label") == f"Architecture diagram of {name}"  # an inert name
    values = [v for e in root.iter() for k, v in e.attrib.items() if k != "aria-label"]
    assert not any("passwd" in value or "script" in value for value in values)


def test_inline_svg_is_made_for_a_page() -> None:
    drawn = diagrams.inline_svg(recommendation(), pack=default_pack(), project_name='A "B" <c>')
    root = ElementTree.fromstring(drawn.text)

    assert drawn.text.startswith("<svg")
    assert "<!DOCTYPE" not in drawn.text and "<?xml" not in drawn.text
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Architecture diagram of A "B" <c>'
    assert root.get("viewBox") and root.get("width") is None  # it fills its container
    assert not [e for e in root.iter() if e.get("id")]  # two on one page repeat no id
    assert not list(root.iter(f"{SVG}title"))  # no `n0` tooltips


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/passwd"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><g onload="alert(1)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="x"/></svg>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>',
        "<html><script>alert(1)</script></html>",
    ],
)
def test_the_svg_check_refuses_anything_active(svg: str) -> None:
    with pytest.raises(UnsafeSvg):
        safe_svg(svg)


def test_the_svg_check_keeps_local_links() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/></svg>'
    with pytest.raises(UnsafeSvg):  # <use> is refused even with a local link
        safe_svg(svg)
    assert safe_svg('<svg xmlns="http://www.w3.org/2000/svg"><a href="#n1"/></svg>')


def test_a_missing_graphviz_is_a_clear_message(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without `dot`

    drawn = diagrams.rendered_diagram(recommendation(), pack=default_pack(), fmt="svg")

    assert not drawn.ok
    assert drawn.message == "Graphviz (the `dot` program) is not installed here"
    text = diagrams.diagram_file(recommendation(), pack=default_pack(), fmt="dot")
    assert text.ok and text.text.startswith("digraph")  # the textual result still works


def test_a_slow_graphviz_is_stopped_at_the_timeout(monkeypatch) -> None:
    # SECURITY.md #5: 200 nodes and 600 labelled edges keep `dot` busy for over a minute.
    rng = random.Random(5)
    edges = "\n".join(
        f'a{rng.randrange(200)} -> a{rng.randrange(200)} [label="edge {i}"]' for i in range(600)
    )
    monkeypatch.setattr(dot_runner, "TIMEOUT_SECONDS", 1.0)

    drawn = diagrams.render(f"digraph {{ splines=ortho\n{edges} }}", fmt="svg")

    assert drawn.message == "Graphviz took longer than 1 s and was stopped"


def test_dot_runs_with_limits_and_server_name(monkeypatch, tmp_path: Path) -> None:
    fake_dot(tmp_path, 'cat >/dev/null; ulimit -t; ulimit -v; echo "$SERVER_NAME"\n')
    monkeypatch.setenv("PATH", str(tmp_path))

    outcome = dot_runner.run_dot("digraph {}", fmt="svg")

    assert outcome.output.decode().split() == [
        str(dot_runner.CPU_SECONDS),
        str(dot_runner.MEMORY_BYTES // 1024),
        "architecture-advisor",
    ]


def test_a_failing_graphviz_says_why(monkeypatch, tmp_path: Path) -> None:
    drawn = diagrams.render("digraph { a -> }", fmt="svg")
    assert drawn.message.startswith("Graphviz failed: Error: <stdin>: syntax error")

    fake_dot(tmp_path, "cat >/dev/null; echo '<svg><script/></svg>'\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    refused = diagrams.render("digraph { b }", fmt="svg")
    assert refused.message == "the rendered SVG was refused: <script> element"


def test_a_huge_source_is_refused_before_graphviz_runs() -> None:
    drawn = diagrams.render('digraph { a [label="' + "x" * 300_000 + '"] }', fmt="svg")

    assert drawn.message.startswith("the diagram is too large to draw (29")


def test_the_second_render_of_the_same_source_comes_from_the_cache(monkeypatch) -> None:
    dot = diagrams.diagram_source(recommendation(), pack=default_pack())
    first = diagrams.render(dot, fmt="png")

    def no_graphviz(*args: object, **kwargs: object) -> dot_runner.DotOutcome:
        raise AssertionError("dot ran again")

    monkeypatch.setattr(diagrams, "run_dot", no_graphviz)
    second = diagrams.render(dot, fmt="png")

    assert first.ok and second.content == first.content
    assert second.content.startswith(b"\x89PNG")


def test_files_are_named_after_the_project() -> None:
    rec = recommendation()
    result = json.loads(rec.to_json())
    result["answers"]["project_name"] = "Acme\"; filename*=UTF-8''evil.html"

    assert diagrams.file_name(result, fmt="svg") == "acme-filenameutf-8evilhtml-architecture.svg"
    assert diagrams.file_name({"answers": {}}, fmt="mmd") == "architecture.mmd"


def test_every_scenario_renders_with_mermaid_cli(tmp_path: Path) -> None:
    """mermaid-cli (the renderer GitHub and GitLab use) draws every scenario's .mmd."""
    assert MMDC.exists(), "mermaid-cli is missing: run `make setup` (npm ci installs it)"
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": "/usr/bin/chromium", "args": ["--no-sandbox"]}))
    pack = default_pack()
    blocks = [
        diagrams.mermaid_source(evaluate(pack, s.answers), pack=pack, project_name=s.title)
        for s in pack.scenarios
    ] + [
        diagrams.mermaid_source(recommendation(), pack=pack, project_name=name)
        for name in HOSTILE_NAMES
    ]
    source = tmp_path / "scenarios.md"
    source.write_text("".join(f"```mermaid\n{block}```\n\n" for block in blocks))

    done = subprocess.run(
        [str(MMDC), "-p", str(config), "-i", str(source), "-o", str(tmp_path / "out.md")],
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    rendered = sorted(tmp_path.glob("out-*.svg"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(rendered) == len(blocks)
    names = [s.id for s in pack.scenarios] + HOSTILE_NAMES
    for svg, name in zip(rendered, names, strict=True):
        body = svg.read_text()
        assert "Core API" in body, name
        assert "Syntax error" not in body, name
        assert "<script" not in body and "<img" not in body.lower(), name
