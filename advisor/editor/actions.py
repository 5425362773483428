"""The editor's writes from forms: publish, roll back, import a zip; and the zip export."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from advisor.editor.access import editor_required
from advisor.editor.pages import version_context, version_or_404
from advisor.models import AuditEvent, PackVersion
from advisor.packs import Actor, PublishRefused, import_files, publish, roll_back
from advisor.packs.archive import MAX_ARCHIVE_BYTES, ArchiveRefused, files_from_zip, zip_of
from advisor.packs.store import audit


class PublishForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label="Note for the audit log")


@require_POST
@editor_required
def publish_view(request: HttpRequest, pack_id: str, number: int) -> HttpResponse:
    """Publish a draft, or roll back to an earlier version (published again as a new one)."""
    version = version_or_404(pack_id, number)
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    actor = Actor.of(request.user, note=note)
    try:
        if version.status == PackVersion.Status.RETIRED:
            new = roll_back(version, actor=actor)
            messages.success(
                request,
                f"Rolled back: version {new.number} has the files of "
                f"version {number} and is now published.",
            )
            return redirect("editor:version", pack_id, new.number)
        if version.status == PackVersion.Status.DRAFT:
            publish(version, actor=actor)
            messages.success(request, f"Version {number} is published: founders get it now.")
    except PublishRefused:
        context = version_context(version) | {"publish_refused": True}
        return render(request, "editor/version.html", context, status=422)
    return redirect("editor:version", pack_id, number)


@require_safe
@editor_required
def export_zip(request: HttpRequest, pack_id: str, number: int) -> FileResponse:
    version = version_or_404(pack_id, number)
    folder = f"{pack_id}-v{number}"
    audit(version.pack, AuditEvent.Action.EXPORT, Actor.of(request.user), version, "zip download")
    return FileResponse(
        io.BytesIO(zip_of(version.files, folder=folder)),
        as_attachment=True,
        filename=f"{folder}.zip",
        content_type="application/zip",
    )


class ImportForm(forms.Form):
    archive = forms.FileField(
        label="Zip archive of a pack folder",
        help_text=f"Up to {MAX_ARCHIVE_BYTES // 1_000_000} MB; the YAML files of one pack, "
        "as exported here or zipped from git.",
    )
    message = forms.CharField(max_length=500, required=False, label="Version message")


@require_http_methods(["GET", "POST"])
@editor_required
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["archive"]
        try:
            if upload.size > MAX_ARCHIVE_BYTES:
                raise ArchiveRefused([f"the archive is larger than {MAX_ARCHIVE_BYTES:,} bytes"])
            files = files_from_zip(upload.read(MAX_ARCHIVE_BYTES + 1))
        except ArchiveRefused as refused:
            problems = refused.problems
        else:
            message = form.cleaned_data["message"] or f"imported from {upload.name}"[:500]
            outcome = import_files(
                files, message=message, actor=Actor.of(request.user), publish_it=False
            )
            if outcome.version is not None:
                state = "stored as a draft" if outcome.created else "already stored as"
                messages.success(request, f"Imported: {state} version {outcome.version.number}.")
                return redirect("editor:version", outcome.version.pack_id, outcome.version.number)
            problems = list(outcome.problems)
    status = 400 if problems or form.errors else 200
    return render(
        request, "editor/import.html", {"form": form, "problems": problems}, status=status
    )
