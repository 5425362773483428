"""Founders' pages: function views over services; htmx requests get the page's partials."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from advisor import services
from advisor.models import Assessment
from advisor.packs import published_pack
from advisor.web import draft
from advisor.web.steps import StepPage, step_page

FINISH = "finish"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _wants_partial(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


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


def _goto(request: HtmxHttpRequest, target: str) -> HttpResponse:
    if target == FINISH:
        return _finish(request)
    return redirect("assess-step", step_id=target)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def assess_step(request: HtmxHttpRequest, step_id: str) -> HttpResponse:
    _, pack = published_pack()
    if step_id not in {s.id for s in pack.steps}:
        raise Http404("no such step")
    stored = draft.answers(request.session)
    if request.method != "POST":
        return _render_step(request, step_page(pack, step_id, stored=stored))
    page = step_page(pack, step_id, stored=stored, data=request.POST)
    draft.save(request.session, changes=page.valid_answers)
    if not page.form_ok:
        return _render_step(request, page)
    target = request.POST.get("go", "")
    if page.newly_shown and target != step_id:
        return _render_step(request, page)  # without JavaScript: show what appeared first
    valid_targets = {s.id for s in pack.steps} | {FINISH}
    return _goto(request, target if target in valid_targets else page.next_target)


@require_POST
def assess_preview(request: HtmxHttpRequest, step_id: str) -> HttpResponse:
    """The live preview for the answers so far (partial answers are fine), plus the
    conditional questions of this step whose visibility changed, swapped out of band."""
    _, pack = published_pack()
    if step_id not in {s.id for s in pack.steps}:
        raise Http404("no such step")
    if not request.htmx:
        return redirect("assess-step", step_id=step_id)
    stored = draft.answers(request.session)
    page = step_page(pack, step_id, stored=stored, data=request.POST, preview_only=True)
    draft.save(request.session, changes=page.valid_answers)
    return render(request, "web/assess.html#preview-response", {"page": page})


def _finish(request: HtmxHttpRequest) -> HttpResponse:
    parent = services.find_assessment(draft.parent_id(request.session) or "")
    answers = services.asked_answers(draft.answers(request.session))
    origin = Assessment.Origin.EDITED if parent else Assessment.Origin.ANSWERED
    assessment = services.create_assessment(answers=answers, parent=parent, origin=origin)
    draft.clear(request.session)
    url = reverse("result", args=[assessment.id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_safe
def result(request: HtmxHttpRequest, assessment_id: str) -> HttpResponse:
    assessment = services.find_assessment(assessment_id)
    if assessment is None:
        raise Http404("no assessment with this id")
    context = {"assessment": assessment, "view": services.result_page(assessment)}
    return render(request, "web/result.html", context)


@require_POST
def edit_answers(request: HttpRequest, assessment_id: str) -> HttpResponse:
    """Back into the questionnaire with this assessment's answers; finishing makes a new one."""
    assessment = services.find_assessment(assessment_id)
    if assessment is None:
        raise Http404("no assessment with this id")
    draft.start_editing(request.session, answers=assessment.answers, parent=assessment.id)
    _, pack = published_pack()
    return redirect("assess-step", step_id=pack.steps[0].id)
