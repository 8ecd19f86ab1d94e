from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0002_buyout_quote"),
    ]

    operations = [
        migrations.AddField(
            model_name="insurancepolicy",
            name="territorial_scope",
            field=models.CharField(
                choices=[
                    ("poland", "Poland only"),
                    ("eu_eea", "EU, EEA and Switzerland"),
                    ("europe", "Europe (Green Card countries)"),
                ],
                default="eu_eea",
                max_length=16,
                verbose_name="territorial scope",
            ),
        ),
    ]
