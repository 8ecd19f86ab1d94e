# The early_termination kind's choices are in 0008_complaint_clock (generated once the three new kinds
# existed); this adds only the kind's fee row.

from decimal import Decimal

from django.db import migrations


def add_fee_row(apps, schema_editor):
    # The request itself costs nothing: the early termination fee is a line of the quote.
    RequestFee = apps.get_model("requests_app", "RequestFee")
    RequestFee.objects.get_or_create(
        kind="early_termination",
        defaults={
            "amount": Decimal("0.00"),
            "currency": "PLN",
            "note": "opłata za wcześniejsze zakończenie jest pozycją wyceny",
        },
    )


def remove_fee_row(apps, schema_editor):
    apps.get_model("requests_app", "RequestFee").objects.filter(kind="early_termination").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0008_complaint_clock"),
    ]

    operations = [
        migrations.RunPython(add_fee_row, remove_fee_row),
    ]
