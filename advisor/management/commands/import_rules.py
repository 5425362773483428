"""manage.py import_rules PATH: store a pack folder or zip as a new version (published)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.packs import Actor, ArchiveRefused, ImportOutcome, import_files
from advisor.packs.archive import files_from_folder, files_from_zip


def read(path: Path) -> dict[str, str]:
    if path.is_file() and path.suffix == ".zip":
        return files_from_zip(path.read_bytes())
    return files_from_folder(path)


class Command(BaseCommand):
    help = (
        "Import a rule pack folder or zip; stores it as a new version if its files changed and "
        "publishes it when it loads and its scenarios pass (--draft to only store it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="pack folder, or a zip of one")
        parser.add_argument("--message", default="", help="version message")
        parser.add_argument("--draft", action="store_true", help="store without publishing")

    def handle(self, *args: Any, path: str, message: str, draft: bool, **options: Any) -> None:
        source = Path(path)
        try:
            files = read(source)
        except ArchiveRefused as refused:
            self.fail(path, refused.problems)
        outcome = import_files(
            files,
            message=message or f"imported from {source.name or path}",
            actor=Actor(None, "manage.py import_rules"),
            publish_it=not draft,
        )
        if outcome.version is None:
            self.fail(path, list(outcome.problems))
        self.stdout.write(self.report(outcome))
        for problem in outcome.problems:
            self.stdout.write(f"  {problem}")

    def fail(self, path: str, problems: list[str]) -> None:
        for problem in problems:
            self.stdout.write(problem)
        raise CommandError(
            f"{path}: not imported; the published version is unchanged", returncode=1
        )

    @staticmethod
    def report(outcome: ImportOutcome) -> str:
        v = outcome.version
        assert v is not None
        if not outcome.created:
            state = "unchanged; already"
        elif outcome.published:
            state = "stored and published"
        else:
            state = "stored as a draft of"
        where = "published" if outcome.published else "not published"
        return f"pack {v.pack_id}: {state} version {v.number} ({v.pack_version}; {where})"
