from __future__ import annotations

from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from advisor import api, views

handler400 = "advisor.api_errors.bad_request"
handler404 = "advisor.api_errors.not_found"
handler500 = "advisor.api_errors.server_error"

api_v1 = [
    path("api/v1/questionnaire", api.QuestionnaireApi.as_view(), name="api-questionnaire"),
    path("api/v1/recommendations", api.RecommendationsApi.as_view(), name="api-recommendations"),
    path("api/v1/assessments", api.AssessmentCreateApi.as_view(), name="api-assessments"),
    path(
        "api/v1/assessments/<str:assessment_id>",
        api.AssessmentDetailApi.as_view(),
        name="api-assessment",
    ),
    path("api/v1/packs", api.PackListApi.as_view(), name="api-packs"),
    path(
        "api/v1/packs/<slug:pack_id>/versions",
        api.PackVersionsApi.as_view(),
        name="api-pack-versions",
    ),
    path("api/v1/pack-schema.json", api.PackSchemaApi.as_view(), name="api-pack-schema"),
]

urlpatterns = [
    path("", views.home, name="home"),
    # Where the home page's start button leads. Repoint it when the questionnaire exists.
    path("start", RedirectView.as_view(pattern_name="api-docs"), name="start"),
    *api_v1,
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script as a file, so the strict CSP needs no inline script.
    path(
        "api/docs",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    # Redoc injects <style> elements at run time (allowed by this page's nonce) and runs its
    # search in a worker made from a blob: URL.
    path(
        "api/redoc",
        csp_update({"style-src": [NONCE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api_redoc.html")
        ),
        name="api-redoc",
    ),
]
