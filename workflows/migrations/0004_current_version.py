import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def newest_is_current(apps, schema_editor):
    """Until now the newest version was the one new requests started on: keep that."""
    ProcessVersion = apps.get_model("workflows", "ProcessVersion")
    CurrentVersion = apps.get_model("workflows", "CurrentVersion")
    for key in ProcessVersion.objects.values_list("process_key", flat=True).distinct():
        newest = ProcessVersion.objects.filter(process_key=key).order_by("-number").first()
        CurrentVersion.objects.get_or_create(process_key=key, defaults={"version": newest})


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_incidents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="processversion",
            name="test_run",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.CreateModel(
            name="CurrentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("process_key", models.CharField(max_length=64, unique=True, verbose_name="process")),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "changed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="workflows.processversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "current process version",
                "verbose_name_plural": "current process versions",
            },
        ),
        migrations.RunPython(newest_is_current, migrations.RunPython.noop),
    ]
