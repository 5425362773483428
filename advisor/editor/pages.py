"""The editor's read pages: packs, versions, one version, the editing page, diffs, audit log."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from advisor.editor.access import editor_required
from advisor.models import AuditEvent, PackVersion, RulePack
from advisor.packs import FilesCheck, check_files
from advisor.packs.diffs import diff_files

RECENT_VERSIONS = 6


def version_or_404(pack_id: str, number: int) -> PackVersion:
    return get_object_or_404(
        PackVersion.objects.select_related("pack", "author", "parent"),
        pack_id=pack_id,
        number=number,
    )


@require_safe
@editor_required
def home(request: HttpRequest) -> HttpResponse:
    recent = PackVersion.objects.select_related("author").order_by("-number")
    packs = RulePack.objects.annotate(version_count=Count("versions")).prefetch_related(
        Prefetch("versions", queryset=recent, to_attr="newest_first")
    )
    rows = [(p, p.newest_first[:RECENT_VERSIONS]) for p in packs]
    return render(request, "editor/home.html", {"rows": rows})


@require_safe
@editor_required
def pack_page(request: HttpRequest, pack_id: str) -> HttpResponse:
    pack = get_object_or_404(RulePack, id=pack_id)
    versions = pack.versions.select_related("author", "parent").order_by("-number")
    return render(request, "editor/pack.html", {"pack": pack, "versions": versions})


def file_rows(version: PackVersion, check: FilesCheck) -> list[dict[str, object]]:
    """Each file with its problem counts as checked now (the engine may have grown stricter
    since the version was saved, so the stored summary can be out of date)."""
    by_file = check.counts_by_file()
    return [
        {
            "name": name,
            "lines": text.count("\n") + 1,
            "errors": by_file.get(name, {}).get("error", 0),
            "warnings": by_file.get(name, {}).get("warning", 0),
        }
        for name, text in sorted(version.files.items())
    ]


def version_context(version: PackVersion) -> dict[str, object]:
    check = check_files(version.files).for_pack(version.pack_id, version.files)
    published = version.pack.published
    return {
        "pack": version.pack,
        "version": version,
        "files": file_rows(version, check),
        "check": check,
        "refusals": check.refusals(),
        "published": published,
        "is_latest": version.number == version.pack.head,
    }


@require_safe
@editor_required
def version_page(request: HttpRequest, pack_id: str, number: int) -> HttpResponse:
    return render(request, "editor/version.html", version_context(version_or_404(pack_id, number)))


@require_safe
@editor_required
def edit_page(request: HttpRequest, pack_id: str, number: int) -> HttpResponse:
    version = version_or_404(pack_id, number)
    names = sorted(version.files)
    first = request.GET.get("file", "")
    data = {
        "pack": pack_id,
        "base_version": version.number,
        "latest_version": version.pack.head,
        "files": version.files,
        "open": first if first in version.files else (names[0] if names else ""),
        "urls": {
            "validate": reverse("api-pack-validate", args=[pack_id]),
            "save": reverse("api-pack-versions", args=[pack_id]),
            "preview": reverse("editor:preview", args=[pack_id]),
            "references": reverse("editor:references", args=[pack_id]),
            "version": reverse("editor:version", args=[pack_id, 0]).replace("/v0/", "/v{n}/"),
            "edit": reverse("editor:edit", args=[pack_id, 0]).replace("/v0/", "/v{n}/"),
        },
    }
    context = {"pack": version.pack, "version": version, "editor_data": data}
    return render(request, "editor/edit.html", context)


def _numbers(request: HttpRequest, pack: RulePack) -> tuple[int, int]:
    """The two versions to compare: ?a=&b=, by default the latest and its parent."""

    def number(key: str, default: int) -> int:
        value = request.GET.get(key, "")
        return int(value) if value.isdigit() and len(value) < 10 else default

    b = number("b", pack.head)
    return number("a", max(b - 1, 1)), b


@require_safe
@editor_required
def diff_page(request: HttpRequest, pack_id: str) -> HttpResponse:
    pack = get_object_or_404(RulePack, id=pack_id)
    a, b = _numbers(request, pack)
    old, new = version_or_404(pack_id, a), version_or_404(pack_id, b)
    view = "split" if request.GET.get("view") == "split" else "unified"
    context = {
        "pack": pack,
        "old": old,
        "new": new,
        "view": view,
        "diffs": diff_files(old.files, new.files, labels=(f"v{a}", f"v{b}")),
        "numbers": pack.versions.order_by("-number").values_list("number", flat=True),
    }
    return render(request, "editor/diff.html", context)


@require_safe
@editor_required
def audit_page(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("user", "version", "pack")
    pack_id, user = request.GET.get("pack", ""), request.GET.get("user", "")
    if pack_id:
        events = events.filter(pack_id=pack_id)
    if user:
        events = events.filter(Q(user__username=user) | Q(user=None, user_name=user))
    page = Paginator(events.order_by("-created", "-id"), 50).get_page(request.GET.get("page"))
    users = get_user_model().objects.filter(auditevent__isnull=False).distinct()
    context = {
        "page": page,
        "packs": RulePack.objects.order_by("id"),
        "users": sorted({u.get_username() for u in users}),
        "chosen_pack": pack_id,
        "chosen_user": user,
    }
    return render(request, "editor/audit.html", context)
