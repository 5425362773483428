"""The editor's routes, under /editor/ (names in the `editor` namespace)."""

from __future__ import annotations

from django.urls import path

from advisor.editor import actions, live, pages

app_name = "editor"

urlpatterns = [
    path("", pages.home, name="home"),
    path("import", actions.import_view, name="import"),
    path("audit", pages.audit_page, name="audit"),
    path("<slug:pack_id>/", pages.pack_page, name="pack"),
    path("<slug:pack_id>/diff", pages.diff_page, name="diff"),
    path("<slug:pack_id>/preview", live.preview, name="preview"),
    path("<slug:pack_id>/references", live.references, name="references"),
    path("<slug:pack_id>/v<int:number>/", pages.version_page, name="version"),
    path("<slug:pack_id>/v<int:number>/edit", pages.edit_page, name="edit"),
    path("<slug:pack_id>/v<int:number>/publish", actions.publish_view, name="publish"),
    path("<slug:pack_id>/v<int:number>/export.zip", actions.export_zip, name="export"),
]
