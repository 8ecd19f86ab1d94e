from datetime import date, timedelta
from decimal import Decimal

import pytest

from backend.core.exceptions import PortalValidationError
from backend.core.models import OutboxEvent
from backend.invoices.models import Invoice
from backend.invoices.services import (
    InvoiceLineInput,
    issue_invoice,
    line_amounts,
    record_compensation,
    record_payment,
)
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


def test_line_vat_is_rounded_half_up_per_line():
    # given: 0.50 * 5% = 0.025 → 0.03 half-up (banker's rounding would give 0.02); 10.50 * 23% = 2.415
    small = InvoiceLineInput(description="x", unit_net=Decimal("0.50"), vat_rate=Decimal("0.05"))
    line = InvoiceLineInput(description="y", unit_net=Decimal("10.50"), vat_rate=Decimal("0.23"))

    # when / then
    assert line_amounts(small) == (Decimal("0.50"), Decimal("0.03"), Decimal("0.53"))
    assert line_amounts(line) == (Decimal("10.50"), Decimal("2.42"), Decimal("12.92"))


def test_issue_invoice_creates_lines_totals_and_event(acme, acme_contract):
    # when
    invoice = issue_invoice(
        client=acme,
        contract=acme_contract,
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 15),
        lines=[
            InvoiceLineInput(description="Rata leasingowa 5/36", unit_net=Decimal("3100.25")),
            InvoiceLineInput(description="Opłata", unit_net=Decimal("0.50"), quantity=Decimal("3")),
        ],
    )

    # then
    invoice.refresh_from_db()
    assert invoice.number == f"FV/2026/03/{invoice.pk:07d}"
    assert [line.position for line in invoice.lines.all()] == [1, 2]
    assert invoice.net_total == Decimal("3101.75")
    assert invoice.vat_total == Decimal("713.06") + Decimal("0.35")
    assert invoice.gross_total == invoice.net_total + invoice.vat_total
    event = OutboxEvent.objects.get(kind=OutboxEvent.Kind.INVOICE_ISSUED)
    assert event.client_id == acme.pk
    assert event.subject_id == invoice.pk
    assert event.payload["first_for_client"] is True


def test_second_invoice_is_not_first_for_client(acme):
    # given
    lines = [InvoiceLineInput(description="Rata", unit_net=Decimal("100"))]
    issue_invoice(client=acme, issue_date=date(2026, 3, 1), due_date=date(2026, 3, 15), lines=lines)

    # when
    issue_invoice(client=acme, issue_date=date(2026, 4, 1), due_date=date(2026, 4, 15), lines=lines)

    # then
    flags = list(
        OutboxEvent.objects.filter(kind=OutboxEvent.Kind.INVOICE_ISSUED).values_list(
            "payload__first_for_client", flat=True
        )
    )
    assert flags == [True, False]


def test_issue_invoice_rejects_foreign_contract(acme, other_contract):
    with pytest.raises(PortalValidationError):
        issue_invoice(
            client=acme,
            contract=other_contract,
            issue_date=date(2026, 3, 1),
            due_date=date(2026, 3, 15),
            lines=[InvoiceLineInput(description="Rata", unit_net=Decimal("100"))],
        )
    assert not Invoice.objects.exists()


def test_payments_and_compensations_keep_paid_amount_equal_to_their_sum(acme):
    # given
    invoice = InvoiceFactory(client=acme, gross_total=Decimal("1230.00"))

    # when
    record_payment(invoice=invoice, amount=Decimal("200.10"), paid_on=date(2026, 3, 2))
    record_compensation(
        invoice=invoice, amount=Decimal("29.90"), compensated_on=date(2026, 3, 3), note_number="KP/1"
    )
    record_payment(invoice=invoice, amount=Decimal("1000"), paid_on=date(2026, 3, 4))

    # then
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("1230.00")
    assert invoice.remaining_amount == Decimal("0.00")
    assert invoice.status == "paid"


def test_payment_must_be_positive(acme):
    invoice = InvoiceFactory(client=acme)
    with pytest.raises(PortalValidationError):
        record_payment(invoice=invoice, amount=Decimal("0"), paid_on=date.today() - timedelta(days=1))
