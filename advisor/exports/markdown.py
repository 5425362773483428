"""Markdown from Django templates: the escaping filter, slugs for file names, and tidying.

The `.md` templates turn autoescaping off once (HTML escaping is wrong for Markdown) and pass
every piece of text through `md`, which makes it one inert line: no HTML, no link or image,
no emphasis, no heading or list started by the text itself (SECURITY rows 12-13).
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import quote, urlsplit

from django import template

register = template.Library()

SLUG_LENGTH = 60

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Characters that start inline Markdown anywhere in a line (code, emphasis, links, tables,
# strikethrough, math, headings' closing run, e-mail autolinks); escaped with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]|~$#@])")
# GitHub turns bare `https://…` and `www.…` into links; an escaped `:` or `.` stops that.
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<=\b[Ww]{3})(\.)")
# What would start a block if the text began a line: a list, quote, setext underline, ordered list.
_BLOCK_START = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_TRAILING_PUNCTUATION = ".,;:!"


def one_line(value: object) -> str:
    """The text on one line: control characters out, every run of whitespace one space."""
    text = _CONTROL.sub(" ", str(value))
    return _SPACE.sub(" ", text).strip()


@register.filter(name="md")
def escape_markdown(value: object) -> str:
    """Text as literal Markdown on one line: `<>&` as entities, Markdown syntax escaped."""
    text = one_line(value)
    text = "".join(_HTML.get(char, char) for char in text)
    text = _INLINE.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    return _BLOCK_START.sub(_escape_block_start, text)


def _escape_block_start(match: re.Match[str]) -> str:
    """`- x` as `\\- x`; a digit cannot be escaped, so `12. x` becomes `12\\. x`."""
    marker = match.group(0)
    return f"{marker}\\" if marker.isdigit() else f"\\{marker}"


@register.filter(name="md_heading")
def escape_heading(value: object) -> str:
    """Like `md`, without the trailing punctuation that Markdown linters refuse in headings."""
    return escape_markdown(one_line(value).rstrip(_TRAILING_PUNCTUATION))


@register.filter(name="yaml")
def yaml_string(value: object) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is valid YAML) for front matter."""
    return json.dumps(one_line(value), ensure_ascii=False)


@register.filter(name="md_url")
def escape_url(value: object) -> str:
    """An http(s) address or a relative file name, safe inside `[text](…)`: spaces,
    brackets and quotes encoded; any other scheme (javascript:, data:) gives ""."""
    url = str(value)
    parts = urlsplit(url)
    relative = not parts.scheme and not parts.netloc and not url.startswith("/")
    if parts.scheme not in ("http", "https") and not relative:
        return ""
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


@register.filter(name="md_link")
def escape_link(text: object, url: object) -> str:
    """`[text](url)` with both made safe, or the escaped text alone when there is no url."""
    address = escape_url(url) if url else ""
    return f"[{escape_markdown(text)}]({address})" if address else escape_markdown(text)


def slugify(value: object, *, fallback: str) -> str:
    """ASCII kebab-case of at most 60 characters; `fallback` when nothing Latin is left.

    Only [a-z0-9-] survive, so a slug can hold no `/`, `..` or anything a shell or a zip
    reader would interpret.
    """
    ascii_text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:SLUG_LENGTH].rstrip("-") or fallback


def tidy(text: str) -> str:
    """Template output as lint-clean Markdown: no trailing spaces, no runs of blank lines,
    exactly one newline at the end. Template tags on lines of their own leave blank lines."""
    lines = [line.rstrip() for line in text.splitlines()]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return cleaned.strip("\n") + "\n"
