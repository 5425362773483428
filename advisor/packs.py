"""The stored rule packs: importing from disk, publishing, and the compiled published pack.

Each process keeps compiled packs by version id, and re-checks which version is published at
most every PUBLISHED_TTL seconds, so a request costs no YAML parsing and rarely a query.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from advisor.engine import Pack, PackError, load_pack
from advisor.engine.loader import fingerprint, read_pack_files
from advisor.models import PackVersion, RulePack

log = logging.getLogger(__name__)

DEFAULT_PACK_ID = "default"
PUBLISHED_TTL = 2.0
MAX_LOGGED_PROBLEMS = 50

_compiled: dict[tuple[int, str], Pack] = {}
_published: dict[str, tuple[float, int]] = {}
_versions: dict[int, PackVersion] = {}


def clear_caches() -> None:
    """Forget compiled and published packs (tests that roll the database back need this)."""
    _compiled.clear()
    _published.clear()
    _versions.clear()


class PackUnavailable(Exception):
    """No usable published version of the pack exists."""


@dataclass(frozen=True)
class ImportOutcome:
    version: PackVersion | None
    created: bool
    problems: tuple[str, ...] = ()


def default_rules_path() -> Path:
    return Path(settings.RULES_DIR)


def decoded(files: dict[str, str | bytes]) -> dict[str, str]:
    return {n: b.decode("utf-8") if isinstance(b, bytes) else b for n, b in files.items()}


def import_pack(path: str | Path, *, message: str = "", author_name: str = "") -> ImportOutcome:
    """Store the pack at `path` as a new published version, unless nothing changed.

    A pack that fails validation is never stored or published; the last good version stays.
    """
    try:
        raw = read_pack_files(path)
        pack = load_pack(raw)  # names each file that is not UTF-8 before anything decodes it
    except PackError as exc:
        problems = tuple(map(str, exc.problems))
        log.error(
            "pack at %s not imported (%d problems); the published version stays:\n%s",
            path,
            len(problems),
            "\n".join(problems[:MAX_LOGGED_PROBLEMS]),
        )
        return ImportOutcome(None, False, problems)
    files = decoded(raw)
    digest = fingerprint(files)
    with transaction.atomic():
        record, _ = RulePack.objects.select_for_update().get_or_create(
            id=pack.id, defaults={"name": pack.name, "description": pack.description}
        )
        latest = record.versions.order_by("-number").first()
        if latest is not None and latest.fingerprint == digest:
            return ImportOutcome(latest, False)
        version = PackVersion.objects.create(
            pack=record,
            number=(latest.number + 1) if latest else 1,
            files=files,
            fingerprint=digest,
            pack_version=pack.version,
            parent=latest,
            author_name=author_name,
            message=message or f"imported from {Path(path).name or path}",
        )
        publish(version)
    log.info("pack %s: stored and published version %s", pack.id, version.number)
    return ImportOutcome(version, True)


def publish(version: PackVersion) -> None:
    """Make `version` the one founders get; the previously published one is retired."""
    record = version.pack
    record.versions.filter(status=PackVersion.Status.PUBLISHED).exclude(pk=version.pk).update(
        status=PackVersion.Status.RETIRED
    )
    version.status = PackVersion.Status.PUBLISHED
    version.save(update_fields=["status"])
    pack = compiled(version)
    record.published = version
    record.name, record.description = pack.name, pack.description
    record.save(update_fields=["published", "name", "description"])
    _published.pop(record.id, None)


def compiled(version: PackVersion) -> Pack:
    """The compiled pack of a stored version (cached per process; versions never change)."""
    key = (version.pk, version.fingerprint)
    pack = _compiled.get(key)
    if pack is None:
        pack = load_pack(version.files)
        _compiled[key] = pack
    return pack


def published_version(pack_id: str = DEFAULT_PACK_ID) -> PackVersion:
    now = time.monotonic()
    cached = _published.get(pack_id)
    if cached and now - cached[0] < PUBLISHED_TTL and cached[1] in _versions:
        return _versions[cached[1]]
    record = RulePack.objects.select_related("published").filter(id=pack_id).first()
    if record is None or record.published is None:
        raise PackUnavailable(f"pack '{pack_id}' has no published version")
    version = record.published
    _versions[version.pk] = version
    _published[pack_id] = (now, version.pk)
    return version


def published_pack(pack_id: str = DEFAULT_PACK_ID) -> tuple[PackVersion, Pack]:
    """The published version of a pack and its compiled form."""
    version = published_version(pack_id)
    return version, compiled(version)
