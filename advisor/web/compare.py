"""Comparing two results, the growth copies that lead there, and re-running on newer rules."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from advisor import services
from advisor.engine import AnswersError
from advisor.exports import diagrams
from advisor.models import Assessment
from advisor.packs import published_pack

COMPARE_TEMPLATE = "web/compare/compare.html"


def _get_assessment_or_404(assessment_id: str) -> Assessment:
    assessment = services.find_assessment(assessment_id)
    if assessment is None:
        raise Http404("no result with this id")
    return assessment


def _diagram(assessment: Assessment) -> diagrams.Rendered:
    """The checked inline SVG of a stored result, drawn with the pack version that made it."""
    return diagrams.inline_svg(assessment, pack=services.pack_for_words(assessment))


def compare_url(a: Assessment, b: Assessment) -> str:
    return f"{reverse('compare')}?a={a.id}&b={b.id}"


def _labels(a: Assessment, b: Assessment) -> tuple[str, str]:
    """How to call the two sides: growth and re-run copies say what they are."""
    if b.parent_id == a.id and b.origin == Assessment.Origin.GROWN:
        return "Today", "After growing"
    if b.parent_id == a.id and b.origin == Assessment.Origin.RERUN:
        return "With the rules of then", "With the current rules"
    return "Result A", "Result B"


def _result_id(given: str) -> str:
    """The id in what a founder pastes: an id, or a result's link such as
    https://host/a/<id>/ (its last path segment)."""
    path = given.strip().split("?", 1)[0].split("#", 1)[0]
    return path.rstrip("/").rsplit("/", 1)[-1]


def _problem(given: str) -> str:
    if not given:
        return "Give the id of a result (the last part of its link)."
    return "No result has this id. Check the link you copied."


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    a_id, b_id = _result_id(request.GET.get("a", "")), _result_id(request.GET.get("b", ""))
    if not a_id and not b_id:
        return render(request, "web/compare/choose.html", {"errors": {}})
    a, b = services.find_assessment(a_id), services.find_assessment(b_id)
    if a is None or b is None:
        errors = {
            side: _problem(given)
            for side, given, found in (("a", a_id, a), ("b", b_id, b))
            if found is None
        }
        choose = {"errors": errors, "a": a_id, "b": b_id}
        return render(request, "web/compare/choose.html", choose, status=404)
    label_a, label_b = _labels(a, b)
    context: dict[str, object] = {
        "comparison": services.compare_assessments(a=a, b=b),
        "label_a": label_a,
        "label_b": label_b,
        "diagrams": (_diagram(a), _diagram(b)),
        "permalink": request.build_absolute_uri(compare_url(a, b)),
        "swap_url": compare_url(b, a),
    }
    return render(request, COMPARE_TEMPLATE, context)


@require_POST
def grow(request: HttpRequest, assessment_id: str, kind: str) -> HttpResponse:
    """Store a growth copy and open its comparison with the original."""
    original = _get_assessment_or_404(assessment_id)
    if kind not in services.GROWTHS:
        raise Http404("no such kind of growth")
    try:
        copy, _ = services.grow_assessment(assessment=original, kind=kind)
    except services.GrowthNotApplicable as exc:
        context = {"assessment": original, "growth": services.GROWTHS[kind], "reason": str(exc)}
        return render(request, "web/compare/cannot_grow.html", context, status=422)
    return redirect(compare_url(original, copy))


@require_safe
def rerun_preview(request: HttpRequest, assessment_id: str) -> HttpResponse:
    """What the current rules make of these answers, before anything is stored."""
    original = _get_assessment_or_404(assessment_id)
    change = services.rules_change(assessment=original)
    context: dict[str, object] = {
        "assessment": original,
        "change": change,
        "preview": change.comparison if change else None,
    }
    if change is not None and change.result is not None:
        _, pack = published_pack(original.pack_version.pack_id)
        context["diagrams"] = (_diagram(original), diagrams.inline_svg(change.result, pack=pack))
    return render(request, "web/compare/rerun.html", context)


@require_POST
def rerun(request: HttpRequest, assessment_id: str) -> HttpResponse:
    """Store the re-run as a new result linked to the original, then compare the two."""
    original = _get_assessment_or_404(assessment_id)
    try:
        copy, _ = services.rerun_assessment(assessment=original)
    except AnswersError:
        return redirect("rerun-preview", assessment_id=original.id)
    return redirect(compare_url(original, copy))
