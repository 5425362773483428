"""The reference page for bench/bench_web.py: the site's base template filled with plain
paragraphs up to a requested size, so it weighs as much as the page it is compared with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

PARAGRAPH = (
    "Every decision comes with the reasons that drove it, its trade-offs, the alternatives "
    "and what would change it, so a team can check the advice instead of trusting it. "
)


@require_safe
def bare_page(request: HttpRequest) -> HttpResponse:
    size = min(int(request.GET.get("bytes", "50000")), 2_000_000)
    count = max(1, size // (len(PARAGRAPH) + 8))
    return render(request, "bench_page.html", {"paragraphs": [PARAGRAPH] * count})
