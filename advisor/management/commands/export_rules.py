"""manage.py export_rules PATH: write a stored pack version as a folder, or a zip (PATH.zip)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.models import AuditEvent, PackVersion
from advisor.packs import DEFAULT_PACK_ID, Actor, ArchiveRefused, PackUnavailable, published_version
from advisor.packs.archive import write_folder, zip_of
from advisor.packs.store import audit


class Command(BaseCommand):
    help = "Export a pack version (default: the published one) as a folder, or as PATH.zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="folder to write (created if missing), or a .zip file")
        parser.add_argument("--pack", default=DEFAULT_PACK_ID)
        parser.add_argument("--number", type=int, default=None, help="version number")

    def handle(self, *args: Any, path: str, pack: str, number: int | None, **options: Any) -> None:
        try:
            version = (
                PackVersion.objects.get(pack_id=pack, number=number)
                if number
                else published_version(pack)
            )
        except (PackVersion.DoesNotExist, PackUnavailable):
            raise CommandError(f"pack '{pack}' has no such version", returncode=1) from None
        target = Path(path)
        try:
            if target.suffix == ".zip":
                target.write_bytes(zip_of(version.files, folder=f"{pack}-v{version.number}"))
            else:
                write_folder(version.files, target)
        except ArchiveRefused as refused:
            raise CommandError("; ".join(refused.problems), returncode=1) from None
        actor = Actor(None, "manage.py export_rules")
        audit(version.pack, AuditEvent.Action.EXPORT, actor, version, f"to {target.name}")
        count = len(version.files)
        self.stdout.write(f"wrote {count} files of {pack} v{version.number} to {target.resolve()}")
