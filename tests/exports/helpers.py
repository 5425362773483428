"""Results to export and Markdown to read back, shared by the export tests."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from markdown_it import MarkdownIt

from advisor.engine import Pack, evaluate, load_pack
from advisor.exports import diagrams
from advisor.exports.records import ExportContext
from tests.support import DEFAULT_RULES, MINI

CONTEXT = ExportContext(date="2026-03-14", permalink="https://advisor.example/a/abc/")
HOSTILE_NAMES = [
    "../../etc/cron.d/evil",
    "Acme <img src=x onerror=alert(1)> [c](javascript:alert(2))\n## Decision Outcome",
    "a" * 300,
    "東京の配達アプリ",
]
# Answers of a small SaaS; its Backend-for-Frontend decision has known what-if flips.
SAAS = {
    "project_name": "Acme Invoicing",
    "clients": ["web", "mobile", "third_party"],
    "client_needs_differ": "somewhat",
    "frontend_team_per_client": False,
    "backend_teams": 1,
    "architecture_style": "monolith",
    "async_jobs": True,
    "inbound_webhooks": True,
    "webhook_side_effects": "critical",
    "cloud": "aws",
}


@cache
def default_pack() -> Pack:
    return load_pack(DEFAULT_RULES)


@cache
def mini_pack() -> Pack:
    return load_pack(MINI)


def result_of(pack: Pack, answers: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The result as stored; `overrides` replace answers afterwards, as an older pack with
    looser limits could have stored them."""
    result = evaluate(pack, answers, what_if=True).to_dict()
    result["answers"] = {**result["answers"], **overrides}
    return result


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(YAML front matter, the Markdown after it); an empty mapping when there is none."""
    if not text.startswith("---\n"):
        return {}, text
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")


def headings(text: str) -> list[tuple[int, str]]:
    """(level, text) of every heading, as a Markdown reader sees them."""
    _, body = split_front_matter(text)
    tokens = PARSER.parse(body)
    return [
        (int(token.tag[1]), _plain(tokens[index + 1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def _plain(inline: Any) -> str:
    return "".join(child.content for child in inline.children or [] if child.type == "text")


def html(text: str) -> str:
    """The Markdown rendered with raw HTML allowed, as GitHub renders it before sanitising."""
    return PARSER.render(split_front_matter(text)[1])


def quick_svg(monkeypatch: Any) -> None:
    """Tests of the Markdown skip Graphviz (a second or so per picture on a busy machine):
    the SVG is a stand-in; the Mermaid text is the real one. Zip, API and CLI tests draw."""

    def render(dot: str, *, fmt: str) -> diagrams.Rendered:
        return diagrams.Rendered(fmt, b'<svg xmlns="http://www.w3.org/2000/svg"/>')  # type: ignore[arg-type]

    monkeypatch.setattr(diagrams, "render", render)


def is_record(name: str) -> bool:
    return name[:4].isdigit()
