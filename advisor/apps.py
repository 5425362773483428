from __future__ import annotations

from django.apps import AppConfig


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = "Architecture Decision Advisor"
    default_auto_field = "django.db.models.BigAutoField"
