"""Routes of the public rules browser and the sources page."""

from __future__ import annotations

from django.urls import path

from advisor.web import rules

urlpatterns = [
    path("rules/", rules.rules_index, name="rules"),
    path("rules/<slug:rule_id>/", rules.rule_detail, name="rule"),
    path("sources/", rules.sources, name="sources"),
]
