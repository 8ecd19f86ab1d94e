"""Give the invoices already in the database demo KSeF numbers (the portal never sends to KSeF itself)."""

from django.db import migrations


def assign_numbers(apps, schema_editor):
    from backend.invoices.ksef import demo_sent_at, demo_ksef_number
    from backend.core.lessor import get_lessor

    invoice_model = apps.get_model("invoices", "Invoice")
    seller_nip = get_lessor().nip
    batch = []
    for invoice in invoice_model.objects.filter(ksef_number="").only("id", "number", "issue_date").iterator():
        invoice.ksef_number = demo_ksef_number(
            seller_nip=seller_nip, issue_date=invoice.issue_date, invoice_number=invoice.number
        )
        invoice.ksef_sent_at = demo_sent_at(invoice.issue_date)
        batch.append(invoice)
        if len(batch) >= 500:
            invoice_model.objects.bulk_update(batch, ["ksef_number", "ksef_sent_at"])
            batch = []
    invoice_model.objects.bulk_update(batch, ["ksef_number", "ksef_sent_at"])


class Migration(migrations.Migration):
    dependencies = [("invoices", "0002_invoice_ksef_number")]

    operations = [migrations.RunPython(assign_numbers, migrations.RunPython.noop)]
