"""The API's routes: /api/v1/ operations, the OpenAPI document and its two viewers."""

from __future__ import annotations

from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from advisor.api import editor_views, views

v1 = [
    path("questionnaire", views.QuestionnaireApi.as_view(), name="api-questionnaire"),
    path("recommendations", views.RecommendationsApi.as_view(), name="api-recommendations"),
    path("assessments", views.AssessmentCreateApi.as_view(), name="api-assessments"),
    path(
        "assessments/<str:assessment_id>",
        views.AssessmentDetailApi.as_view(),
        name="api-assessment",
    ),
    path(
        "assessments/<str:assessment_id>/rerun",
        views.AssessmentRerunApi.as_view(),
        name="api-assessment-rerun",
    ),
    path("compare", views.CompareApi.as_view(), name="api-compare"),
    *[
        path(
            f"assessments/<str:assessment_id>/diagram.{fmt}",
            view.as_view(),
            name=f"api-assessment-diagram-{fmt}",
        )
        for fmt, view in (
            ("svg", views.DiagramSvgApi),
            ("png", views.DiagramPngApi),
            ("dot", views.DiagramDotApi),
            ("mmd", views.DiagramMermaidApi),
        )
    ],
    path(
        "assessments/<str:assessment_id>/records.zip",
        views.AssessmentRecordsApi.as_view(),
        name="api-assessment-records",
    ),
    path(
        "assessments/<str:assessment_id>/report.md",
        views.AssessmentReportApi.as_view(),
        name="api-assessment-report",
    ),
    path(
        "assessments/<str:assessment_id>/result.json",
        views.AssessmentResultApi.as_view(),
        name="api-assessment-result",
    ),
    path("packs", views.PackListApi.as_view(), name="api-packs"),
    path(
        "packs/<slug:pack_id>/versions",
        editor_views.PackVersionsApi.as_view(),
        name="api-pack-versions",
    ),
    path(
        "packs/<slug:pack_id>/versions/<int:number>",
        editor_views.PackVersionDetailApi.as_view(),
        name="api-pack-version",
    ),
    path(
        "packs/<slug:pack_id>/versions/<int:number>/publish",
        editor_views.PackPublishApi.as_view(),
        name="api-pack-publish",
    ),
    path(
        "packs/<slug:pack_id>/validate",
        editor_views.PackValidateApi.as_view(),
        name="api-pack-validate",
    ),
    path(
        "packs/<slug:pack_id>/simulate",
        editor_views.PackSimulateApi.as_view(),
        name="api-pack-simulate",
    ),
    path("pack-schema.json", views.PackSchemaApi.as_view(), name="api-pack-schema"),
]

docs = [
    path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script as a file, so the strict CSP needs no inline script.
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    # Redoc injects <style> elements at run time (allowed by this page's nonce) and runs its
    # search in a worker made from a blob: URL.
    path(
        "redoc",
        csp_update({"style-src": [NONCE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api_redoc.html")
        ),
        name="api-redoc",
    ),
]
