"""The Markdown-escaping filter and file-name slugs, case by case (SECURITY rows 12-13)."""

from __future__ import annotations

import re

import pytest

from advisor.exports.decisions import record_filename
from advisor.exports.markdown import escape_markdown, escape_url, slugify, tidy, yaml_string
from tests.exports.helpers import PARSER


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Acme Invoicing", "Acme Invoicing"),
        ("a <b> & c", "a &lt;b&gt; &amp; c"),
        ("[c](javascript:alert(2))", "\\[c\\](javascript:alert(2))"),
        ("![i](x.png)", "!\\[i\\](x.png)"),
        ("*bold* _it_ `code` ~s~ $m$ a|b", "\\*bold\\* \\_it\\_ \\`code\\` \\~s\\~ \\$m\\$ a\\|b"),
        ("line\n## Decision Outcome", "line \\#\\# Decision Outcome"),
        ("- item", "\\- item"),
        ("12. item", "12\\. item"),
        ("see https://x.example or www.x.example", "see https\\://x.example or www\\.x.example"),
        ("ops@acme.example", "ops\\@acme.example"),
        ("tab\there\x00\x1b[31m\u2028next", "tab here \\[31m next"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_text_becomes_one_inert_line(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    "text",
    [
        "Acme <img src=x onerror=alert(1)> [c](javascript:alert(2))\n## Decision Outcome",
        "<script>alert(1)</script>",
        "[x]: javascript:alert(1)\n\n[x]",
        "<https://evil.example>",
        "**a** __b__ https://evil.example www.evil.example",
    ],
)
def test_escaped_text_renders_as_the_same_plain_text(text: str) -> None:
    rendered = PARSER.render(f"Project: {escape_markdown(text)}")

    assert rendered.count("<p>") == 1
    assert not re.search(r"<(?!/?p>)", rendered), rendered
    collapsed = " ".join(text.split())
    expected = collapsed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert rendered == f"<p>Project: {expected}</p>\n".replace('"', "&quot;")


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("../../etc/cron.d/evil", "0001-etc-cron-d-evil.md"),
        ("..", "0001-decision.md"),
        ("東京の配達アプリ", "0001-decision.md"),
        ("a" * 300, "0001-" + "a" * 60 + ".md"),
        ("Édition spéciale: API / BFF", "0001-edition-speciale-api-bff.md"),
        ("x" * 59 + " y", "0001-" + "x" * 59 + ".md"),
    ],
)
def test_record_file_names_are_digits_and_a_bounded_slug(title: str, name: str) -> None:
    assert record_filename(1, title) == name
    assert re.fullmatch(r"\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.md", name)


def test_slug_falls_back_when_nothing_latin_is_left() -> None:
    assert slugify("東京", fallback="architecture") == "architecture"
    assert slugify("", fallback="decision") == "decision"


def test_front_matter_strings_are_quoted_single_lines() -> None:
    assert yaml_string('Ada "the first"\n---\nstatus: accepted') == (
        '"Ada \\"the first\\" --- status: accepted"'
    )


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://advisor.example/a/abc/", "https://advisor.example/a/abc/"),
        ("https://x.example/a b)(", "https://x.example/a%20b%29%28"),
        ("javascript:alert(1)", ""),
    ],
)
def test_link_addresses_are_http_and_cannot_close_the_link(url: str, safe: str) -> None:
    assert escape_url(url) == safe


def test_tidy_leaves_one_blank_line_and_one_final_newline() -> None:
    assert tidy("\n\n# A  \n\n\n\ntext\n\n\n") == "# A\n\ntext\n"
