"""Writes on invoices: issuing, payments, compensations and duplicates.

`Invoice.paid_amount` is a cached sum: every write here recomputes it from the payments and
compensations of the invoice in the same transaction, with the invoice row locked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract, Currency
from backend.core.exceptions import PortalValidationError
from backend.core.models import OutboxEvent
from backend.core.money import to_money
from backend.core.services import record_outbox_event
from backend.invoices.models import (
    Compensation,
    Invoice,
    InvoiceDuplicate,
    InvoiceLine,
    Payment,
    duplicate_number,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class InvoiceLineInput:
    description: str
    unit_net: Decimal
    quantity: Decimal = Decimal("1")
    vat_rate: Decimal = Decimal("0.23")
    unit: str = "szt."


def line_amounts(line: InvoiceLineInput) -> tuple[Decimal, Decimal, Decimal]:
    """Return net, VAT and gross of one line; VAT is computed per line and rounded half-up."""
    net = to_money(Decimal(line.quantity) * Decimal(line.unit_net))
    vat = to_money(net * Decimal(line.vat_rate))
    return net, vat, net + vat


@transaction.atomic
def issue_invoice(
    *,
    client: Client,
    lines: list[InvoiceLineInput],
    issue_date: date,
    due_date: date,
    sale_date: date | None = None,
    contract: Contract | None = None,
    currency: str = Currency.PLN,
    number: str | None = None,
    installment_number: int | None = None,
) -> Invoice:
    """Create an invoice with its lines and write the INVOICE_ISSUED outbox event.

    The event says whether this is the client's first invoice (the welcome e-mail is sent only then).
    The client row is locked first, so two invoices issued at once cannot both count as the first.
    """
    if not lines:
        raise PortalValidationError(
            _("An invoice needs at least one line."), fields={"lines": [_("Add a line.")]}
        )
    if contract is not None and contract.client_id != client.pk:
        raise PortalValidationError(
            _("The contract belongs to another client."), fields={"contract": [_("Invalid contract.")]}
        )
    if due_date < issue_date:
        raise PortalValidationError(
            _("The due date cannot be before the issue date."), fields={"due_date": [_("Invalid date.")]}
        )
    Client.objects.select_for_update().filter(pk=client.pk).first()
    first_for_client = not Invoice.objects.filter(client_id=client.pk).exists()

    amounts = [line_amounts(line) for line in lines]
    invoice = Invoice.objects.create(
        client=client,
        contract=contract,
        number=number or f"TMP-{uuid.uuid4().hex[:24]}",
        issue_date=issue_date,
        sale_date=sale_date or issue_date,
        due_date=due_date,
        currency=currency,
        net_total=sum((net for net, _vat, _gross in amounts), ZERO),
        vat_total=sum((vat for _net, vat, _gross in amounts), ZERO),
        gross_total=sum((gross for _net, _vat, gross in amounts), ZERO),
        installment_number=installment_number,
    )
    if number is None:
        invoice.number = f"FV/{issue_date:%Y/%m}/{invoice.pk:07d}"
        invoice.save(update_fields=["number"])
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            description=line.description,
            quantity=Decimal(line.quantity),
            unit=line.unit,
            unit_net=to_money(line.unit_net),
            vat_rate=Decimal(line.vat_rate),
            net=net,
            vat=vat,
            gross=gross,
        )
        for position, (line, (net, vat, gross)) in enumerate(zip(lines, amounts, strict=True), start=1)
    )
    record_outbox_event(
        kind=OutboxEvent.Kind.INVOICE_ISSUED,
        subject=invoice,
        client_id=client.pk,
        payload={"invoice_id": invoice.pk, "number": invoice.number, "first_for_client": first_for_client},
    )
    return invoice


def _lock_invoice(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def _refresh_paid_amount(invoice: Invoice) -> Invoice:
    paid = Payment.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))["total"] or ZERO
    compensated = Compensation.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))["total"] or ZERO
    invoice.paid_amount = to_money(paid + compensated)
    invoice.save(update_fields=["paid_amount"])
    return invoice


def _positive(amount: Decimal) -> Decimal:
    amount = to_money(amount)
    if amount <= 0:
        raise PortalValidationError(
            _("The amount must be greater than zero."), fields={"amount": [_("Enter a positive amount.")]}
        )
    return amount


@transaction.atomic
def record_payment(*, invoice: Invoice, amount: Decimal, paid_on: date, reference: str = "") -> Payment:
    """Record a payment towards the invoice and keep its paid amount equal to what was settled."""
    amount = _positive(amount)
    invoice = _lock_invoice(invoice)
    payment = Payment.objects.create(
        client_id=invoice.client_id,
        invoice=invoice,
        amount=amount,
        currency=invoice.currency,
        paid_on=paid_on,
        reference=reference,
    )
    _refresh_paid_amount(invoice)
    return payment


@transaction.atomic
def record_compensation(
    *, invoice: Invoice, amount: Decimal, compensated_on: date, note_number: str
) -> Compensation:
    """Record a compensation (kompensata) settling part of the invoice."""
    amount = _positive(amount)
    invoice = _lock_invoice(invoice)
    compensation = Compensation.objects.create(
        client_id=invoice.client_id,
        invoice=invoice,
        amount=amount,
        currency=invoice.currency,
        compensated_on=compensated_on,
        note_number=note_number,
    )
    _refresh_paid_amount(invoice)
    return compensation


@transaction.atomic
def create_duplicate(*, invoice: Invoice, user: User, idempotency_key: str = "") -> InvoiceDuplicate:
    """Record who generated a duplicate of the invoice and when (the duplicate's issue date), with its
    number within the invoice (1, 2, ...). The invoice's lock generates its duplicates one at a time, so
    a number, once given, never changes (models.duplicate_number). The page form's key posted again (a
    double click) finds the duplicate its first post recorded, under the same lock, and records none."""
    _lock_invoice(invoice)
    duplicate = None
    if idempotency_key:
        duplicate = invoice.duplicates.filter(requested_by=user, idempotency_key=idempotency_key).first()
    if duplicate is None:
        duplicate = InvoiceDuplicate.objects.create(
            invoice=invoice, requested_by=user, idempotency_key=idempotency_key
        )
    numbered = InvoiceDuplicate.objects.filter(pk=duplicate.pk).annotate(number=duplicate_number())
    duplicate.number = numbered.values_list("number", flat=True).get()
    return duplicate
