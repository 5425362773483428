from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from advisor import views

urlpatterns = [
    path("", views.home, name="home"),
    # Where the home page's start button leads. Repoint it when the questionnaire exists.
    path("start", RedirectView.as_view(pattern_name="api-docs"), name="start"),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script as a file, so the strict CSP needs no inline script.
    path(
        "api/docs",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
]
