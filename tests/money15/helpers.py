"""What the money rules' tests share: a contract's schedule and invoices as the client's API gives them."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tests.factories import InvoiceFactory


def schedule_of(api, contract) -> dict[int, dict]:
    """The contract's schedule as the client's API answers it, by installment number."""
    response = api.get(f"/api/contracts/{contract.pk}/schedule/")
    assert response.status_code == 200, response.json()
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["number"]: row for row in rows}


def next_installment(contract):
    """The first unpaid installment still to come (the factory pays every one due before today)."""
    today = timezone.localdate()
    return contract.schedule_rows.filter(paid=False, due_date__gte=today).order_by("number").first()


def invoice_installment(contract, row, **fields):
    """The installment's invoice, issued as the lessor issues it: its amount and its due date."""
    return InvoiceFactory(
        client=contract.client,
        contract=contract,
        installment_number=row.number,
        issue_date=min(timezone.localdate(), row.due_date),
        due_date=row.due_date,
        net_total=row.net,
        vat_total=row.vat,
        gross_total=row.gross,
        paid_amount=Decimal("0.00"),
        **fields,
    )
