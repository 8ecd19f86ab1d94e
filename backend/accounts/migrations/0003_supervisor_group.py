"""The group "Przełożeni" (supervisors): complaints escalate to its members (backend/accounts/supervisors.py)."""

from django.db import migrations

SUPERVISOR_GROUP = "Przełożeni"


def create_group(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.get_or_create(name=SUPERVISOR_GROUP)


def remove_group(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=SUPERVISOR_GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_second_factor"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
