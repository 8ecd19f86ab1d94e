"""Writes on contracts and their schedules."""

from __future__ import annotations

from django.db import transaction

from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.schedule import Installment, compute_schedule, residual_from_percent

VAT_RATE_BY_TYPE = {Contract.Type.LOAN: 0}


def initial_installments(contract: Contract) -> list[Installment]:
    """Return the contract's full schedule computed from its own terms."""
    from decimal import Decimal

    vat_rate = Decimal(VAT_RATE_BY_TYPE.get(contract.type, Decimal("0.23")))
    return compute_schedule(
        financed_amount=contract.net_value,
        residual_value=residual_from_percent(contract.net_value, contract.residual_percent),
        annual_rate_percent=contract.annual_rate,
        months=contract.months,
        payment_day=contract.payment_day,
        first_month=contract.start_date,
        vat_rate=vat_rate,
    )


def schedule_rows_for(
    contract: Contract, installments: list[Installment], *, paid_until: int = 0
) -> list[ScheduleRow]:
    """Return unsaved ScheduleRow objects; installments numbered up to `paid_until` are marked paid."""
    return [
        ScheduleRow(
            contract=contract,
            number=item.number,
            due_date=item.due_date,
            capital=item.capital,
            interest=item.interest,
            net=item.net,
            vat=item.vat,
            gross=item.gross,
            capital_remaining=item.capital_remaining,
            paid=item.number <= paid_until,
        )
        for item in installments
    ]


@transaction.atomic
def rebuild_schedule(contract: Contract, *, paid_until: int = 0) -> list[ScheduleRow]:
    """Replace the whole schedule with one computed from the contract's terms."""
    contract.schedule_rows.all().delete()
    return ScheduleRow.objects.bulk_create(
        schedule_rows_for(contract, initial_installments(contract), paid_until=paid_until)
    )
