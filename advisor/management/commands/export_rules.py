"""manage.py export_rules PATH: write a stored pack version's files into a folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advisor.models import PackVersion
from advisor.packs import DEFAULT_PACK_ID, PackUnavailable, published_version


class Command(BaseCommand):
    help = "Export a pack version (default: the published one) as a folder of YAML files."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="folder to write (created if missing)")
        parser.add_argument("--pack", default=DEFAULT_PACK_ID)
        parser.add_argument("--number", type=int, default=None, help="version number")

    def handle(self, *args, path: str, pack: str, number: int | None, **options) -> None:
        try:
            version = (
                PackVersion.objects.get(pack_id=pack, number=number)
                if number
                else published_version(pack)
            )
        except (PackVersion.DoesNotExist, PackUnavailable):
            raise CommandError(f"pack '{pack}' has no such version", returncode=1) from None
        root = Path(path).resolve()
        for name, text in sorted(version.files.items()):
            target = (root / name).resolve()
            if not target.is_relative_to(root):
                raise CommandError(f"refusing to write outside {root}: {name}", returncode=1)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {len(version.files)} files of {pack} v{version.number} to {root}")
