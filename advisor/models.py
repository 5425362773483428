"""What the app stores: rule packs with their versions, and founders' assessments."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models


def new_assessment_id() -> str:
    """22 URL-safe random characters (128 bits): a permalink nobody can guess or enumerate."""
    return secrets.token_urlsafe(16)


class RulePack(models.Model):
    """A pack and its history. Which version is published is said by the versions' status only."""

    id = models.SlugField(primary_key=True, max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    head = models.PositiveIntegerField(
        default=0,
        help_text="the number of the latest version; saves move it with a conditional UPDATE",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def published(self) -> PackVersion | None:
        """The published version, read from the versions' status (the one source of truth)."""
        return self.versions.filter(status=PackVersion.Status.PUBLISHED).first()


class PackVersion(models.Model):
    """One immutable snapshot of a pack's files; publishing points the pack at it."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        RETIRED = "retired"

    pack = models.ForeignKey(RulePack, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    files = models.JSONField(help_text="relative file name -> YAML text")
    fingerprint = models.CharField(max_length=64)
    pack_version = models.CharField(max_length=40, help_text="the version string in pack.yaml")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(max_length=150, blank=True)
    message = models.CharField(max_length=500, blank=True)
    summary = models.JSONField(
        default=dict, blank=True, help_text="validation summary: errors, warnings, scenarios"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pack", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "number"], name="unique_version_number"),
            # The one source of truth for "published": at most one such version per pack.
            models.UniqueConstraint(
                fields=["pack"],
                condition=models.Q(status="published"),
                name="one_published_version_per_pack",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack_id} v{self.number}"


class Assessment(models.Model):
    """A founder's answers and the result they gave, kept with the pack version used."""

    id = models.CharField(
        primary_key=True, max_length=22, default=new_assessment_id, editable=False
    )

    class Origin(models.TextChoices):
        ANSWERED = "answered", "answered the questionnaire"
        EDITED = "edited", "edited the answers of another assessment"
        GROWN = "grown", "a growth copy of another assessment"
        RERUN = "rerun", "another assessment re-run on a newer pack version"

    pack_version = models.ForeignKey(PackVersion, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="the assessment this one was made from (edited, grown or re-run)",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ANSWERED)
    answers = models.JSONField()
    result = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.id


class AuditEvent(models.Model):
    """Who did what to a rule pack, and when: saves, publishes, roll-backs, imports, exports."""

    class Action(models.TextChoices):
        SAVE = "save"
        PUBLISH = "publish"
        ROLLBACK = "rollback"
        IMPORT = "import"
        EXPORT = "export"

    pack = models.ForeignKey(RulePack, on_delete=models.CASCADE, related_name="audit_events")
    version = models.ForeignKey(
        PackVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    user_name = models.CharField(max_length=150, blank=True, help_text="for shell commands")
    detail = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.pack_id} by {self.user_name or self.user_id}"


EDITORS_GROUP = "Rule editors"
EDIT_PERMISSION = "advisor.change_rulepack"


def ensure_editors_group() -> Group:
    """The `Rule editors` group with the permission to change packs (made by migration 0004;
    made again after a test database flush, which empties every table)."""
    app_label, codename = EDIT_PERMISSION.split(".")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is not None:
        group.permissions.add(permission)
    return group
