"""Founders' pages: function views over services; htmx requests get the page's partials."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from advisor import presenting, services
from advisor.engine import Pack
from advisor.models import Assessment
from advisor.packs import published_pack
from advisor.web import draft
from advisor.web.steps import FINISH, StepPage, step_page


def _fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The result page caches its worded parts per assessment; a new template or new wording makes
# new keys, so a deploy never serves parts rendered by the previous code.
RESULT_CACHE_VERSION = _fingerprint(
    Path(settings.BASE_DIR) / "templates" / "web" / "result.html",
    Path(presenting.__file__),
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _wants_partial(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _pack_with_step(step_id: str) -> Pack:
    _, pack = published_pack()
    if step_id not in {s.id for s in pack.steps}:
        raise Http404("no such step")
    return pack


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_safe
def assess(request: HttpRequest) -> HttpResponse:
    _, pack = published_pack()
    return redirect("assess-step", step_id=pack.steps[0].id)


def _render_step(request: HtmxHttpRequest, page: StepPage) -> HttpResponse:
    template = "web/assess.html#assess" if _wants_partial(request) else "web/assess.html"
    return render(request, template, {"page": page})


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def assess_step(request: HtmxHttpRequest, step_id: str) -> HttpResponse:
    pack = _pack_with_step(step_id)
    saved = draft.load(request)
    if request.method != "POST":
        return _render_step(request, step_page(pack, step_id, stored=saved.answers))
    page = step_page(pack, step_id, stored=saved.answers, data=request.POST)
    saved.merge(page.valid_answers)
    target = request.POST.get("go", "")
    if not page.form_ok or (page.newly_shown and target != step_id):
        # Errors, or (without JavaScript) questions that just appeared: show the step again.
        response = _render_step(request, page)
    elif target == FINISH:
        return _finish(request, saved)
    else:
        known = {s.id for s in pack.steps}
        response = redirect("assess-step", step_id=target if target in known else page.next_target)
    return draft.save(response, saved) if saved.changed else response


@require_POST
def assess_preview(request: HtmxHttpRequest, step_id: str) -> HttpResponse:
    """The live preview for the answers so far (partial answers are fine), plus the
    conditional questions of this step whose visibility changed, swapped out of band."""
    pack = _pack_with_step(step_id)
    if not request.htmx:
        return redirect("assess-step", step_id=step_id)
    saved = draft.load(request)
    page = step_page(pack, step_id, stored=saved.answers, data=request.POST, preview_only=True)
    saved.merge(page.valid_answers)
    response = render(request, "web/assess.html#preview-response", {"page": page})
    return draft.save(response, saved) if saved.changed else response


def _finish(request: HtmxHttpRequest, saved: draft.Draft) -> HttpResponse:
    """Store the draft as an assessment (a new one when editing) and go to its permalink."""
    parent = services.find_assessment(saved.parent or "")
    answers = services.asked_answers(saved.answers)
    origin = Assessment.Origin.EDITED if parent else Assessment.Origin.ANSWERED
    assessment = services.create_assessment(answers=answers, parent=parent, origin=origin)
    url = reverse("result", args=[assessment.id])
    return draft.clear(HttpResponseClientRedirect(url) if request.htmx else redirect(url))


@require_safe
def result(request: HtmxHttpRequest, assessment_id: str) -> HttpResponse:
    assessment = services.stored_assessment(assessment_id)
    if assessment is None:
        raise Http404("no assessment with this id")
    context = {
        "assessment": assessment,
        "view": services.result_page(assessment),
        "cache_version": RESULT_CACHE_VERSION,
        "rules_change": services.rules_change(assessment=assessment),
        "growths": services.GROWTHS.values(),
    }
    return render(request, "web/result.html", context)


@require_POST
def edit_answers(request: HttpRequest, assessment_id: str) -> HttpResponse:
    """Back into the questionnaire with this assessment's answers; finishing makes a new one."""
    assessment = services.find_assessment(assessment_id)
    if assessment is None:
        raise Http404("no assessment with this id")
    _, pack = published_pack()
    editing = draft.Draft(dict(assessment.answers), assessment.id)
    return draft.save(redirect("assess-step", step_id=pack.steps[0].id), editing)
