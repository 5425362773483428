"""manage.py test_rules [PATH]: run a pack's scenarios and report rule coverage."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from advisor.engine import run_scenarios
from advisor.packs import default_rules_path

from ._packs import load_or_fail


class Command(BaseCommand):
    help = "Run a rule pack's scenarios, show failures and uncovered rules; exit 1 on failure."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default=None, help="pack folder (default: rules/)")

    def handle(self, *args, path: str | None, **options) -> None:
        pack = load_or_fail(path or default_rules_path(), self.stdout)
        report = run_scenarios(pack)
        for result in report.failed:
            where = result.scenario.where
            place = f"{where.file}:{where.line}:{where.column}: " if where else ""
            self.stdout.write(f"FAIL {place}{result.scenario.id} — {result.scenario.title}")
            for failure in result.failures:
                self.stdout.write(f"    {failure}")
        if report.uncovered_rules:
            self.stdout.write("Rules no scenario fires:")
            for rule_id in report.uncovered_rules:
                self.stdout.write(f"    {rule_id}")
        self.stdout.write(report.summary())
        if report.failed or report.uncovered_rules:
            raise CommandError("scenarios failed or rules are not covered", returncode=1)
