"""Routes of the comparison pages, growth copies and re-runs."""

from __future__ import annotations

from django.urls import path

from advisor.web import compare

urlpatterns = [
    path("compare/", compare.compare, name="compare"),
    path("a/<str:assessment_id>/grow/<slug:kind>/", compare.grow, name="grow"),
    path("a/<str:assessment_id>/rerun/", compare.rerun_preview, name="rerun-preview"),
    path("a/<str:assessment_id>/rerun/save/", compare.rerun, name="rerun"),
]
