"""Founders' pages: home, the questionnaire, its live preview and the result permalink."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from advisor.web import views

urlpatterns = [
    path("", views.home, name="home"),
    # The home page's start button; kept as its own URL so links to it stay valid.
    path("start", RedirectView.as_view(pattern_name="assess"), name="start"),
    path("assess/", views.assess, name="assess"),
    path("assess/<slug:step_id>/", views.assess_step, name="assess-step"),
    path("assess/<slug:step_id>/preview", views.assess_preview, name="assess-preview"),
    path("a/<str:assessment_id>/", views.result, name="result"),
    path("a/<str:assessment_id>/edit", views.edit_answers, name="result-edit"),
]
