"""manage.py validate_rules [PATH]: every problem of a pack as file:line:column."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from advisor.packs import default_rules_path

from ._packs import load_or_fail


class Command(BaseCommand):
    help = "Check a rule pack and print every problem as file:line:column; exit 1 on any error."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default=None, help="pack folder (default: rules/)")

    def handle(self, *args, path: str | None, **options) -> None:
        folder = path or default_rules_path()
        pack = load_or_fail(folder, self.stdout)
        for warning in pack.warnings:
            self.stdout.write(str(warning))
        self.stderr.write(
            f"{folder}: pack {pack.id} {pack.version}: {len(pack.questions)} questions, "
            f"{len(pack.decisions)} decisions, {len(pack.rules)} rules, {len(pack.practices)} "
            f"practices, {len(pack.scenarios)} scenarios; 0 errors, {len(pack.warnings)} warnings"
        )
