from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def import_default_pack(sender: AppConfig, **kwargs: object) -> None:
    """After `migrate`, store rules/ as a new published version if its files changed."""
    from advisor.packs import default_rules_path, import_pack

    import_pack(default_rules_path(), message="default pack from rules/", author_name="migrate")


def ensure_editors_group(sender: AppConfig, **kwargs: object) -> None:
    from advisor.models import ensure_editors_group

    ensure_editors_group()


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = "Architecture Decision Advisor"

    def ready(self) -> None:
        post_migrate.connect(import_default_pack, sender=self)
        # After auth's own post_migrate handler has created the permissions.
        post_migrate.connect(ensure_editors_group, sender=self)
