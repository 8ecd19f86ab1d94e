"""The group "Obsługa klienta" (customer service): an administrator or analyst in it works requests too and
can be given a task or a thread (backend/accounts/customer_service.py); staff always can."""

from django.db import migrations

CUSTOMER_SERVICE_GROUP = "Obsługa klienta"


def create_group(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.get_or_create(name=CUSTOMER_SERVICE_GROUP)


def remove_group(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=CUSTOMER_SERVICE_GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_name_key")]

    operations = [migrations.RunPython(create_group, remove_group)]
