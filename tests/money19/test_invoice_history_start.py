"""Finding 1 (decided: the pages are made truthful, the demo seed is unchanged): the archive and the
settlements say from which month the portal holds invoices, and what "Paid" covers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import ContractFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def test_archive_and_settlements_say_where_the_invoice_history_starts(client, client_user, acme):
    contract = ContractFactory(client=acme)
    later = timezone.localdate() - timedelta(days=400)
    # A December before `later`'s year: the first invoice whatever today is (in early January the
    # December two years back came after `later`).
    first = date(later.year - 1, 12, 5)
    old = InvoiceFactory(client=acme, contract=contract, issue_date=first)
    PaymentFactory(invoice=old)
    InvoiceFactory(client=acme, contract=contract, issue_date=later)
    client.force_login(client_user)

    archive = client.get("/archive/").content.decode()
    settlements = client.get("/settlements/").content.decode()

    # The month is kept whole on a line (portal_layout.nowrap): the sentence reads on around its span.
    month = f'<span class="nowrap">12.{first.year}</span>'
    assert f"Portal przechowuje faktury wystawione od {month}; starszych faktur w portalu nie ma." in archive
    assert 'data-testid="paid-since"' in settlements and f"faktur od {month}" in settlements
    assert f"Portal przechowuje faktury wystawione od {month}: „Zapłacone”" in settlements
