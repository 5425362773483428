"""manage.py import_rules PATH: store a pack folder as a new published version."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from advisor.packs import import_pack


class Command(BaseCommand):
    help = "Import a rule pack folder; publishes it as a new version if its files changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="pack folder")
        parser.add_argument("--message", default="", help="version message")

    def handle(self, *args, path: str, message: str, **options) -> None:
        outcome = import_pack(path, message=message, author_name="manage.py import_rules")
        if outcome.version is None:
            for problem in outcome.problems:
                self.stdout.write(problem)
            raise CommandError(
                f"{path}: not imported; the published version is unchanged", returncode=1
            )
        v = outcome.version
        state = "stored and published" if outcome.created else "unchanged; already"
        self.stdout.write(f"pack {v.pack_id}: {state} version {v.number} ({v.pack_version})")
