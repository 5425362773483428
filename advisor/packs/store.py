"""Stored versions: the published one (hot path), saving drafts, publishing and rolling back.

A version's status is the one truth about what is published (a constraint allows one per
pack). Saves are optimistic: a save names the version it was edited from, and the pack's
`head` moves from that number to the next in one conditional UPDATE, so of two saves from the
same base exactly one moves it; the other gets SaveConflict and nothing is written.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction

from advisor.engine import Pack
from advisor.engine.loader import fingerprint
from advisor.models import AuditEvent, PackVersion, RulePack
from advisor.packs import cache
from advisor.packs.checking import check_files, compiled_files

DEFAULT_PACK_ID = "default"
AnyUser = AbstractBaseUser | AnonymousUser | None


class PackUnavailable(Exception):
    """No usable published version of the pack exists."""


class SaveConflict(Exception):
    """Another save moved the pack past the version this one was edited from."""

    def __init__(self, *, base: PackVersion | None, head: PackVersion) -> None:
        super().__init__(f"version {head.number} was saved after version {base_number(base)}")
        self.base, self.head = base, head


class PublishRefused(Exception):
    """The version has errors or failing scenarios; `reasons` says which."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def base_number(version: PackVersion | None) -> int:
    return version.number if version else 0


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in user, or a name for shell commands."""

    user: User | None = None
    name: str = ""
    note: str = ""  # why, for the audit log

    @classmethod
    def of(cls, user: AnyUser, *, name: str = "", note: str = "") -> Actor:
        real = user if isinstance(user, User) else None
        return cls(real, name or (real.get_username() if real else ""), note)


def audit(
    pack: RulePack, action: str, actor: Actor, version: PackVersion | None, detail: str
) -> None:
    AuditEvent.objects.create(
        pack=pack,
        version=version,
        action=action,
        user=actor.user,
        user_name=actor.name[:150],
        detail=detail[:500],
    )


# --- the published version ----------------------------------------------------------------


def published_version(pack_id: str = DEFAULT_PACK_ID) -> PackVersion:
    """The published version, trusted for PUBLISHED_TTL seconds per process (one indexed query)."""
    now = time.monotonic()
    cached = cache.published.get(pack_id)
    if cached is not None and now - cached[0] < cache.PUBLISHED_TTL:
        return cached[1]  # type: ignore[return-value]
    version = PackVersion.objects.filter(
        pack_id=pack_id, status=PackVersion.Status.PUBLISHED
    ).first()
    if version is None:
        raise PackUnavailable(f"pack '{pack_id}' has no published version")
    cache.published[pack_id] = (now, version)
    return version


_DIGEST = "_files_fingerprint"  # where `compiled` keeps a loaded row's files digest


def compiled(version: PackVersion) -> Pack:
    """The compiled pack of a stored version (raises PackError for a draft that does not load).

    The files' digest is worked out once per loaded row, not per call: hashing a pack's
    ~300 KB of files costs more than evaluating a set of answers, and the published version's
    row serves every request for PUBLISHED_TTL seconds. Stored versions never change.
    """
    memo = vars(version)
    digest = memo.get(_DIGEST)
    if digest is None:
        digest = memo[_DIGEST] = fingerprint(version.files)
    return compiled_files(version.files, digest=digest)


def published_pack(pack_id: str = DEFAULT_PACK_ID) -> tuple[PackVersion, Pack]:
    """The published version of a pack and its compiled form."""
    version = published_version(pack_id)
    return version, compiled(version)


# --- writing versions ---------------------------------------------------------------------


def _take_next_number(pack: RulePack, base: int) -> bool:
    """Move the pack's head from `base` to `base + 1`; False when another save got there first."""
    return RulePack.objects.filter(pk=pack.pk, head=base).update(head=base + 1) == 1


def _pack_version_string(files: Mapping[str, str], parent: PackVersion | None) -> str:
    check = check_files(files)
    if check.pack is not None:
        return check.pack.version[:40]
    return parent.pack_version if parent else "?"


def save_version(
    *,
    pack: RulePack,
    base: int,
    files: Mapping[str, str],
    message: str,
    actor: Actor,
    action: str = AuditEvent.Action.SAVE,
) -> PackVersion:
    """Store `files` as a new draft on top of version `base`, or raise SaveConflict."""
    files = dict(sorted(files.items()))
    check = check_files(files)
    with transaction.atomic():
        if not _take_next_number(pack, base):
            head = pack.versions.order_by("-number").first()
            assert head is not None  # the head moved, so a version exists
            raise SaveConflict(base=pack.versions.filter(number=base).first(), head=head)
        parent = pack.versions.filter(number=base).first()
        version = PackVersion.objects.create(
            pack=pack,
            number=base + 1,
            files=files,
            fingerprint=fingerprint(files),
            pack_version=_pack_version_string(files, parent),
            parent=parent,
            author=actor.user,
            author_name=actor.name[:150],
            message=message[:500],
            summary=check.summary(),
        )
        audit(pack, action, actor, version, message)
    return version


def _publishable(version: PackVersion) -> Pack:
    check = check_files(version.files).for_pack(version.pack_id, version.files)
    if check.refusals():
        raise PublishRefused(check.refusals())
    assert check.pack is not None
    return check.pack


def publish(version: PackVersion, *, actor: Actor, action: str = AuditEvent.Action.PUBLISH) -> None:
    """Make `version` the one founders get; the previously published one is retired."""
    loaded = _publishable(version)
    with transaction.atomic():
        pack = RulePack.objects.select_for_update().get(pk=version.pack_id)
        pack.versions.filter(status=PackVersion.Status.PUBLISHED).exclude(pk=version.pk).update(
            status=PackVersion.Status.RETIRED
        )
        PackVersion.objects.filter(pk=version.pk).update(status=PackVersion.Status.PUBLISHED)
        RulePack.objects.filter(pk=pack.pk).update(name=loaded.name, description=loaded.description)
        note = f": {actor.note}" if actor.note else ""
        audit(pack, action, actor, version, f"published version {version.number}{note}")
    version.status = PackVersion.Status.PUBLISHED
    cache.published.pop(pack.pk, None)


def roll_back(version: PackVersion, *, actor: Actor) -> PackVersion:
    """Publish an earlier version's files again, as a new version on top of the latest."""
    _publishable(version)
    pack = version.pack
    with transaction.atomic():
        head = RulePack.objects.select_for_update().get(pk=pack.pk).head
        new = save_version(
            pack=pack,
            base=head,
            files=version.files,
            message=f"roll back to version {version.number}",
            actor=actor,
            action=AuditEvent.Action.ROLLBACK,
        )
        publish(new, actor=actor, action=AuditEvent.Action.ROLLBACK)
    return new
