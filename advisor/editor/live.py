"""What the editing page asks while the consultant types: a scenario's result, an id's uses.

Both take the unsaved files as JSON (from our script, with the CSRF header) and answer an
HTML fragment that the script puts in place.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from advisor import services
from advisor.editor.access import editor_required
from advisor.editor.bodies import BadBody, files_of, json_body
from advisor.engine import AnswersError
from advisor.models import RulePack
from advisor.packs import check_files
from advisor.packs.references import find_references


def _fragment(request: HttpRequest, name: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"editor/{name}.html", context, status=status)


def _posted_files(request: HttpRequest, pack_id: str) -> tuple[dict[str, object], dict[str, str]]:
    """The JSON body of a live request and its files, for a pack that exists (else 404)."""
    get_object_or_404(RulePack, id=pack_id)
    data = json_body(request)
    return data, files_of(data)


@require_POST
@editor_required
def preview(request: HttpRequest, pack_id: str) -> HttpResponse:
    """The full result of one scenario of the unsaved files."""
    try:
        data, files = _posted_files(request, pack_id)
    except BadBody as bad:
        return _notice(request, str(bad), status=400)
    pack = check_files(files).pack
    if pack is None:
        return _notice(request, "Fix the errors first: the pack must load to run a scenario.")
    scenario = next((s for s in pack.scenarios if s.id == data.get("scenario")), None)
    if scenario is None:
        return _notice(request, "Choose a scenario of this pack.")
    try:
        result = services.simulate(files=files, answers=scenario.answers).to_dict()
    except AnswersError as exc:
        return _notice(request, f"The scenario's answers do not fit: {exc.errors}")
    return _fragment(request, "_result", {"scenario": scenario, "result": result})


def _notice(request: HttpRequest, message: str, *, status: int = 422) -> HttpResponse:
    return _fragment(request, "_notice", {"message": message}, status=status)


@require_POST
@editor_required
def references(request: HttpRequest, pack_id: str) -> HttpResponse:
    """Every place an id is used, to rename a question or an option by hand."""
    try:
        data, files = _posted_files(request, pack_id)
    except BadBody as bad:
        return _notice(request, str(bad), status=400)
    ident = str(data.get("id", "")).strip()[:100]
    if not ident:
        return _notice(request, "Type an id to look for.", status=400)
    found, unreadable = find_references(files, ident)
    context = {"ident": ident, "found": found, "unreadable": unreadable}
    return _fragment(request, "_references", context)
