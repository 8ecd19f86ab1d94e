"""Writes on contracts and their schedules."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction

from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.schedule import Installment, compute_schedule, due_date_for, residual_from_percent
from backend.core.prepared_reads import PreparedRead
from backend.core.prepared_writes import update_row

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


def end_date_for(contract: Contract, months: int) -> date:
    """The end of the contract for a period of `months`, by the rule contracts are concluded with: the day
    before the same day `months` months after the start (from 1.12.2023 for 48 months: 30.11.2027)."""
    start = contract.start_date
    return due_date_for(first_month=start, offset=months, payment_day=start.day) - timedelta(days=1)


def vat_rate_for(contract: Contract):
    from decimal import Decimal

    return Decimal(VAT_RATE_BY_TYPE.get(contract.type, Decimal("0.23")))


# No savepoint when nested (the approve step): its caller's transaction fails with it.
@transaction.atomic(savepoint=False)
def change_payment_day(contract: Contract, *, payment_day: int, today=None) -> list[tuple[int, date]]:
    """Set the contract's payment day and move the due dates of the installments the change does not
    keep (schedule.kept_installment_count: paid, overdue and invoiced ones keep their dates, so an issued
    invoice never disagrees with its installment; nor does one whose new date would be before today).

    Return the (number, new due date) of each installment moved, in order.
    """
    from django.utils import timezone

    from backend.contracts.schedule import kept_installment_count, move_due_dates
    from backend.contracts.selectors import invoiced_installments

    today = today or timezone.localdate()
    # Only what the rule reads, as (id, number, due date, paid): each of a row's ten money columns costs a
    # Decimal conversion per row read, and an instance per row more than the move itself.
    rows = _SCHEDULE_DUE_DATES.rows(contract_id=contract.pk)
    invoiced = invoiced_installments([contract.pk]).get(contract.pk, set())
    kept = kept_installment_count(
        ((due_date, paid, number in invoiced) for _id, number, due_date, paid in rows), today=today
    )
    to_move = rows[kept:]
    moved = move_due_dates([due_date for _id, _number, due_date, _paid in to_move], payment_day=payment_day)
    # An earlier day in this month may already be past (the 28th moved to the 20th on the 25th): that
    # installment keeps its date rather than fall overdue on approval; the change applies from the next.
    while moved and moved[0] < today:
        to_move, moved = to_move[1:], moved[1:]
    _save_due_dates([(row[0], due_date) for row, due_date in zip(to_move, moved, strict=True)])
    contract.payment_day = payment_day
    contract.updated_at = timezone.now()
    update_row(
        Contract,
        where={"id": contract.pk},
        values={"payment_day": payment_day, "updated_at": contract.updated_at},
    )
    return [(row[1], due_date) for row, due_date in zip(to_move, moved, strict=True)]


# Read by every approved payment-day change: compiled once per connection (core/prepared_reads.py); the
# QuerySet built for each approval cost five times its statement.
_SCHEDULE_DUE_DATES = PreparedRead(
    lambda contract_id: (
        ScheduleRow.objects.filter(contract_id=contract_id)
        .order_by("number")
        .values_list("id", "number", "due_date", "paid")
    ),
    ints=("contract_id",),
)


def _save_due_dates(moves: list[tuple[int, date]]) -> None:
    # bulk_update builds a CASE over all ids, and for the 60-120 rows of a schedule building that SQL cost
    # more than the rest of the approval step. SQLite, in process, runs one prepared UPDATE per row
    # (executemany); PostgreSQL would parse and run each of them in its own server process, so there
    # the whole move is one UPDATE joined to the list of (id, due date).
    if not moves:
        return
    quote = connection.ops.quote_name
    table = quote(ScheduleRow._meta.db_table)
    due_date, row_id = quote("due_date"), quote("id")
    # Only quoted model names go into the text; every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = ", ".join(["(%s::bigint, %s::date)"] * len(moves))
            cursor.execute(
                f"UPDATE {table} AS installment SET {due_date} = moved.due "  # noqa: S608
                f"FROM (VALUES {rows}) AS moved(id, due) WHERE installment.{row_id} = moved.id",
                [value for pk, due in moves for value in (pk, due)],
            )
            return
        cursor.executemany(
            f"UPDATE {table} SET {due_date} = %s WHERE {row_id} = %s",  # noqa: S608
            [(connection.ops.adapt_datefield_value(due), pk) for pk, due in moves],
        )


@transaction.atomic
def replace_unpaid_installments(contract: Contract, installments: list[Installment]) -> list[ScheduleRow]:
    """Replace the unpaid installments (from the first one given) with recomputed ones."""
    if not installments:
        return []
    contract.schedule_rows.filter(number__gte=installments[0].number).delete()
    return ScheduleRow.objects.bulk_create(schedule_rows_for(contract, installments))
