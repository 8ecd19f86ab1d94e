"""On PostgreSQL: invoices issued at the same moment for a new client; exactly one is its first.

Runs in the PostgreSQL + Redis phase of scripts/test.sh (it matches tests/*/test_api*.py); on SQLite,
whose writers queue anyway, it is skipped.
"""

from __future__ import annotations

import os
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections

from backend.core.models import OutboxEvent
from backend.invoices.models import Invoice
from backend.invoices.services import InvoiceLineInput, issue_invoice
from tests.factories import ClientFactory

pytestmark = [
    pytest.mark.scaled,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (DATABASE_URL)"),
]

THREADS = 6


def test_concurrent_first_invoices_have_exactly_one_first(transactional_db):
    # given
    client = ClientFactory()
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def issue(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            issue_invoice(
                client=client,
                issue_date=date(2026, 5, 1),
                due_date=date(2026, 5, 15),
                lines=[InvoiceLineInput(description=f"Rata {index}", unit_net=Decimal("100"))],
            )
        except Exception as error:  # inspected below
            errors.append(error)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=issue, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then
    assert errors == []
    assert Invoice.objects.filter(client=client).count() == THREADS
    flags = list(
        OutboxEvent.objects.filter(kind=OutboxEvent.Kind.INVOICE_ISSUED, client=client).values_list(
            "payload__first_for_client", flat=True
        )
    )
    assert sorted(flags) == [False] * (THREADS - 1) + [True]
