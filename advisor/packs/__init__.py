"""The stored rule packs: importing, drafts, publishing, rolling back and the published pack.

Each process keeps compiled packs by their files' fingerprint (bounded, see `cache`), and
re-checks which version is published at most every PUBLISHED_TTL seconds, so a request costs
no YAML parsing and rarely a query.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from advisor.engine.loader import fingerprint
from advisor.models import AuditEvent, PackVersion, RulePack
from advisor.packs import cache
from advisor.packs.archive import ArchiveRefused, files_from_folder
from advisor.packs.checking import FilesCheck, check_files, files_problems
from advisor.packs.store import (
    DEFAULT_PACK_ID,
    Actor,
    PackUnavailable,
    PublishRefused,
    SaveConflict,
    compiled,
    publish,
    published_pack,
    published_version,
    roll_back,
    save_version,
)

log = logging.getLogger(__name__)
MAX_LOGGED_PROBLEMS = 50

__all__ = [
    "DEFAULT_PACK_ID",
    "Actor",
    "ArchiveRefused",
    "FilesCheck",
    "ImportOutcome",
    "PackUnavailable",
    "PublishRefused",
    "SaveConflict",
    "check_files",
    "clear_caches",
    "compiled",
    "decoded",
    "default_rules_path",
    "import_files",
    "import_pack",
    "publish",
    "published_pack",
    "published_version",
    "roll_back",
    "save_version",
]


def clear_caches() -> None:
    """Forget compiled and published packs (tests that roll the database back need this)."""
    cache.clear()


@dataclass(frozen=True)
class ImportOutcome:
    version: PackVersion | None
    created: bool
    problems: tuple[str, ...] = ()
    published: bool = False


def decoded(files: Mapping[str, str | bytes]) -> dict[str, str]:
    """Files as text (a folder is read as bytes; stored versions keep text)."""
    return {n: b.decode("utf-8") if isinstance(b, bytes) else b for n, b in files.items()}


def default_rules_path() -> Path:
    return Path(settings.RULES_DIR)


def import_pack(
    path: str | Path, *, message: str = "", author_name: str = "", publish_it: bool = True
) -> ImportOutcome:
    """Store the pack folder at `path` as a new version (published by default) if it changed.

    A pack that fails validation is never stored; the last good version stays published.
    """
    try:
        files = files_from_folder(path)
    except ArchiveRefused as exc:
        _log_refusal(path, exc.problems)
        return ImportOutcome(None, False, tuple(exc.problems))
    outcome = import_files(
        files,
        message=message or f"imported from {Path(path).name or path}",
        actor=Actor(None, author_name),
        publish_it=publish_it,
    )
    if outcome.version is None:
        _log_refusal(path, outcome.problems)
    return outcome


def _log_refusal(path: str | Path, problems: Sequence[str]) -> None:
    log.error(
        "pack at %s not imported (%d problems); the published version stays:\n%s",
        path,
        len(problems),
        "\n".join(problems[:MAX_LOGGED_PROBLEMS]),
    )


def import_files(
    files: Mapping[str, str], *, message: str, actor: Actor, publish_it: bool
) -> ImportOutcome:
    """Store files as the newest version of the pack they declare, unless nothing changed.

    Publishing needs passing scenarios too; a pack that loads but fails them stays a draft.
    """
    check = check_files(files) if not (early := files_problems(files)) else None
    if check is None or check.pack is None:
        problems = early or [str(p) for p in check.problems if p.is_error]  # type: ignore[union-attr]
        return ImportOutcome(None, False, tuple(problems))
    pack = check.pack
    with transaction.atomic():
        record, _ = RulePack.objects.select_for_update().get_or_create(
            id=pack.id, defaults={"name": pack.name, "description": pack.description}
        )
        latest = record.versions.order_by("-number").first()
        if latest is not None and latest.fingerprint == fingerprint(files):
            return ImportOutcome(latest, False, published=latest.status == "published")
        version = save_version(
            pack=record,
            base=record.head,
            files=files,
            message=message,
            actor=actor,
            action=AuditEvent.Action.IMPORT,
        )
        if publish_it and not check.refusals():
            publish(version, actor=actor)
    log.info("pack %s: stored version %s (%s)", pack.id, version.number, version.status)
    refusals = tuple(check.refusals()) if publish_it else ()
    return ImportOutcome(version, True, refusals, version.status == "published")
