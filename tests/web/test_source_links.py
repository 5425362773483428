"""Every source link on every page resolves to an anchor that exists on /sources/."""

from __future__ import annotations

import re

import pytest

from advisor import services
from advisor.engine import load_pack
from tests.support import DEFAULT_RULES

pytestmark = pytest.mark.django_db

PACK = load_pack(DEFAULT_RULES)
SOURCE_LINK = re.compile(r'href="/sources/#([^"]*)"')
ANCHOR = re.compile(r'\sid="([^"]+)"')


def pages_with_source_links(client) -> dict[str, str]:
    """Every page of the app that can show a source: a result's comparison included."""
    a = services.create_assessment(answers={"clients": ["web"], "peak_rps": 700})
    b = services.create_assessment(answers={"clients": ["web", "third_party"], "peak_rps": 9000})
    urls = ["/", "/rules/", "/sources/", f"/compare/?a={a.id}&b={b.id}", f"/a/{a.id}/rerun/"]
    urls += [f"/a/{a.id}/", f"/a/{b.id}/"]  # result cards, practices and their sources
    urls += [f"/rules/{rule.id}/" for rule in PACK.rules]
    urls += [f"/rules/?decision={d.id}" for d in PACK.decisions]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_every_source_link_resolves_to_an_anchor(client):
    anchors = set(ANCHOR.findall(client.get("/sources/").content.decode()))
    links = {
        (url, key)
        for url, html in pages_with_source_links(client).items()
        for key in SOURCE_LINK.findall(html)
    }

    assert len({key for _, key in links}) == len({r.source for r in PACK.rules})
    broken = sorted((url, key) for url, key in links if key not in anchors)
    assert broken == []


def test_every_source_the_pack_cites_has_an_anchor(client):
    anchors = set(ANCHOR.findall(client.get("/sources/").content.decode()))
    cited = {r.source for r in PACK.rules} | {p.source for p in PACK.practices}

    assert cited <= anchors
