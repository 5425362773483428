"""The `Rule editors` group: its members may change rule packs (save, publish, roll back)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Rule editors"
PERMISSION = "change_rulepack"


def add_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one is needed now.
    config = apps.get_app_config("advisor")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="advisor", codename=PERMISSION)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advisor", "0003_published_by_status_and_head"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_group, remove_group)]
