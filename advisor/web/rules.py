"""The public rules browser: every decision and rule in plain words, and their sources."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from advisor import services


@require_safe
def rules_index(request: HttpRequest) -> HttpResponse:
    """All rules, or those of one decision, or those that read one question (a GET form, so
    the filters work without JavaScript and every filtered view has its own link)."""
    decision = request.GET.get("decision", "").strip()
    question = request.GET.get("question", "").strip()
    page = services.rules_page(decision=decision, question=question)
    known_decision = not decision or decision in page.pack.compiled.decisions
    known_question = not question or question in page.pack.compiled.questions
    context = {
        "page": page,
        "pack": page.pack,
        "decision": decision,
        "question": question,
        "question_obj": page.pack.compiled.questions.get(question),
        "decision_obj": page.pack.compiled.decisions.get(decision),
        "filtered": bool(decision or question),
        "unknown_filter": not (known_decision and known_question),
        "rule_count": sum(len(d.rules) for d in page.decisions) + len(page.practice_rules),
    }
    status = 200 if context["unknown_filter"] is False else 404
    return render(request, "web/rules/index.html", context, status=status)


@require_safe
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    found = services.rule_page(rule_id=rule_id)
    if found is None:
        raise Http404("no rule with this id")
    pack, entry, scenarios = found
    context = {"pack": pack, "entry": entry, "scenarios": scenarios}
    return render(request, "web/rules/rule.html", context)


@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    pack, entries = services.sources_page()
    return render(request, "web/rules/sources.html", {"pack": pack, "entries": entries})
