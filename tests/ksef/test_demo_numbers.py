"""Demo seeding gives every invoice a well-formed, unique KSeF number; seeded invoices give valid FA(3)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.core.lessor import get_lessor
from backend.invoices.ksef import build_fa3_xml, is_valid_ksef_number, validate_fa3
from backend.invoices.models import Invoice
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


def test_seeded_invoices_have_unique_valid_ksef_numbers_and_valid_xml():
    # when
    call_command("seed_demo", clients=3, seed=5)

    # then
    invoices = list(Invoice.objects.select_related("client", "contract").prefetch_related("lines"))
    assert invoices
    numbers = [invoice.ksef_number for invoice in invoices]
    assert all(is_valid_ksef_number(number) for number in numbers)
    assert len(set(numbers)) == len(numbers)
    assert all(number.startswith(get_lessor().nip) for number in numbers)
    assert all(timezone.localdate(invoice.ksef_sent_at) == invoice.issue_date for invoice in invoices)
    for invoice in invoices[:: max(1, len(invoices) // 20)]:  # a spread sample: PDFs are not built here
        assert validate_fa3(build_fa3_xml(invoice)) == [], invoice.number


def test_data_migration_numbers_existing_invoices_and_keeps_given_numbers(acme):
    # given: one invoice without a number, one with a number it already has
    migration = import_module("backend.invoices.migrations.0003_demo_ksef_numbers")
    blank = InvoiceFactory(client=acme)
    given = InvoiceFactory(client=acme, ksef_number="5260250274-20260101-ABCDEF012345-00")

    # when
    migration.assign_numbers(apps, None)

    # then
    blank.refresh_from_db()
    given.refresh_from_db()
    assert is_valid_ksef_number(blank.ksef_number)
    assert timezone.localdate(blank.ksef_sent_at) == blank.issue_date
    assert given.ksef_number == "5260250274-20260101-ABCDEF012345-00"


def test_ksef_number_is_unique_when_set_and_may_be_blank_on_many_invoices(acme):
    # given
    InvoiceFactory(client=acme)
    InvoiceFactory(client=acme)  # two blank numbers are fine
    InvoiceFactory(client=acme, ksef_number="5260250274-20260101-ABCDEF012345-00")

    # then
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceFactory(client=acme, ksef_number="5260250274-20260101-ABCDEF012345-00")
    assert Invoice.objects.filter(ksef_number="").count() == 2
