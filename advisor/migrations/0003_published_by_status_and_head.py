"""One source of truth for "published": the versions' status (at most one per pack, by a
constraint). RulePack.published, which had to be kept in sync by hand, goes; the pack gains
`head`, the latest version number that saves move with a conditional UPDATE."""

from django.db import migrations, models
from django.db.models import Max


def status_from_pointer(apps, schema_editor):
    RulePack = apps.get_model("advisor", "RulePack")
    PackVersion = apps.get_model("advisor", "PackVersion")
    for pack in RulePack.objects.all():
        versions = PackVersion.objects.filter(pack=pack)
        if pack.published_id is not None:
            versions.filter(status="published").exclude(pk=pack.published_id).update(
                status="retired"
            )
            versions.filter(pk=pack.published_id).update(status="published")
        pack.head = versions.aggregate(top=Max("number"))["top"] or 0
        pack.save(update_fields=["head"])


def pointer_from_status(apps, schema_editor):
    RulePack = apps.get_model("advisor", "RulePack")
    PackVersion = apps.get_model("advisor", "PackVersion")
    for pack in RulePack.objects.all():
        pack.published = PackVersion.objects.filter(pack=pack, status="published").first()
        pack.save(update_fields=["published"])


class Migration(migrations.Migration):
    dependencies = [
        ("advisor", "0002_editor_audit_and_assessment_origin"),
    ]

    operations = [
        migrations.AddField(
            model_name="rulepack",
            name="head",
            field=models.PositiveIntegerField(
                default=0,
                help_text="the number of the latest version; saves move it with a conditional UPDATE",
            ),
        ),
        migrations.AddField(
            model_name="packversion",
            name="summary",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="validation summary: errors, warnings, scenarios",
            ),
        ),
        migrations.RunPython(status_from_pointer, pointer_from_status),
        migrations.RemoveField(model_name="rulepack", name="published"),
        migrations.AddConstraint(
            model_name="packversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(status="published"),
                fields=["pack"],
                name="one_published_version_per_pack",
            ),
        ),
    ]
