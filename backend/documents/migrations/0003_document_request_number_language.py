"""A document's request number and language, so that pages show a generated document's title in the
reader's language (built from its kind and numbers) and mark Polish-only documents.

The documents generated so far are recognised by the titles the portal gave them (decision_document.py,
permits/effects.py); their stored titles stay as they are. Every other document is in Polish.
"""

import re

from django.db import migrations, models

# The titles the portal wrote: (pattern, language); group "request" is the request's number.
GENERATED_TITLES = (
    (re.compile(r"^Decyzja w sprawie wniosku (?P<request>\S+)$"), "pl"),
    (re.compile(r"^Aneks do umowy \S+ \(wniosek (?P<request>\S+)\)$"), "pl"),
    (re.compile(r"^Zgoda na wyjazd za granicę / Permit to go abroad \((?P<request>\S+)\)$"), "pl-en"),
)


def mark_generated_documents(apps, schema_editor):
    document_model = apps.get_model("documents", "Document")
    batch = []
    for document in document_model.objects.filter(kind__in=["annex", "decision"]).only("id", "title").iterator():
        for pattern, language in GENERATED_TITLES:
            match = pattern.match(document.title)
            if match:
                document.request_number = match.group("request")[:32]
                document.language = language
                batch.append(document)
                break
        if len(batch) >= 500:
            document_model.objects.bulk_update(batch, ["request_number", "language"])
            batch = []
    document_model.objects.bulk_update(batch, ["request_number", "language"])


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_admin_verbose_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='language',
            field=models.CharField(choices=[('pl', 'Polish'), ('pl-en', 'Polish and English')], default='pl', max_length=8, verbose_name='language of the document'),
        ),
        migrations.AddField(
            model_name='document',
            name='request_number',
            field=models.CharField(blank=True, default='', max_length=32, verbose_name='request number'),
        ),
        migrations.RunPython(mark_generated_documents, migrations.RunPython.noop),
    ]
