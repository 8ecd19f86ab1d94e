"""Reads of invoices, payments, compensations and the settlement state, always scoped to one client.

The archive boundary: an invoice whose issue date is on or before the same day one year ago
(`issue_date <= today - 1 year`) is in the archive (Archiwum); a younger one is in the current list.
So an invoice issued exactly one year ago today is archived.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.clients.access_rules import contract_ids_of, restrict
from backend.clients.models import Client
from backend.core.exceptions import NotFound
from backend.core.money import to_money
from backend.invoices.models import (
    Compensation,
    Invoice,
    InvoiceDuplicate,
    InvoiceStatus,
    Payment,
    duplicate_number,
)

ZERO = Decimal("0.00")


def _of(model, client: Client, **filters) -> QuerySet:
    """The client's rows of the model, cut to the contracts the acting user may see (access_rules)."""
    field = "contract" if model is Invoice else "invoice__contract"
    return restrict(model.objects.filter(client=client, **filters), client, field)


def limited_contract_numbers(*, client: Client) -> list[str] | None:
    """The numbers of the contracts the acting user may see, when that is only some of the client's
    contracts (a limited accountant), by number; None when they see every contract. The pages, the
    month's ZIP and the exports say this scope, so a partial list never reads as the company's."""
    if contract_ids_of(client) is None:
        return None
    from backend.contracts.models import Contract

    contracts = restrict(Contract.objects.filter(client=client), client, "pk").order_by("number")
    return list(contracts.values_list("number", flat=True))


def contract_count(*, client: Client) -> int:
    """How many contracts the company has, whatever the acting user sees ("3 of its 5 contracts")."""
    from backend.contracts.models import Contract

    return Contract.objects.filter(client=client).count()


def archive_cutoff(today: date) -> date:
    """Return the same day one year earlier (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def status_condition(status: str, *, today: date) -> Q:
    """Return the queryset condition matching `derive_invoice_status` for one status."""
    settled = Q(paid_amount__gte=F("gross_total"))
    overdue = Q(due_date__lt=today)
    if status == InvoiceStatus.PAID:
        return settled
    if status == InvoiceStatus.OVERDUE:
        return ~settled & overdue
    if status == InvoiceStatus.PARTLY_PAID:
        return ~settled & ~overdue & Q(paid_amount__gt=0)
    if status == InvoiceStatus.UNPAID:
        return ~settled & ~overdue & Q(paid_amount__lte=0)
    raise ValueError(f"Unknown invoice status: {status}")


def list_invoices_for_client(
    *, client: Client, archive: bool = False, today: date | None = None
) -> QuerySet[Invoice]:
    """Return the client's current invoices (younger than one year) or its archive, newest first."""
    cutoff = archive_cutoff(today or timezone.localdate())
    invoices = _of(Invoice, client).select_related("contract")
    invoices = invoices.filter(issue_date__lte=cutoff) if archive else invoices.filter(issue_date__gt=cutoff)
    return invoices.order_by("-issue_date", "-id")


def get_invoice_for_client(*, client: Client, invoice_id: int) -> Invoice:
    invoice = _of(Invoice, client, pk=invoice_id).select_related("contract", "client").first()
    if invoice is None:
        raise NotFound()
    return invoice


def numbered_duplicates(duplicates: QuerySet[InvoiceDuplicate]) -> QuerySet[InvoiceDuplicate]:
    """The duplicates with their `number` within the invoice (duplicate_number) and who asked for them."""
    return duplicates.select_related("requested_by").annotate(number=duplicate_number())


def get_invoice_detail_for_client(*, client: Client, invoice_id: int) -> Invoice:
    """Return the invoice with its lines, payments, compensations and numbered duplicates loaded."""
    duplicates = numbered_duplicates(InvoiceDuplicate.objects.order_by("-issued_at", "-pk"))
    invoice = (
        _of(Invoice, client, pk=invoice_id)
        .select_related("contract", "client")
        .prefetch_related("lines", "payments", "compensations", Prefetch("duplicates", queryset=duplicates))
        .first()
    )
    if invoice is None:
        raise NotFound()
    return invoice


def get_duplicate_for_client(*, client: Client, invoice_id: int, duplicate_id: int) -> InvoiceDuplicate:
    duplicates = InvoiceDuplicate.objects.filter(
        invoice__client=client, invoice_id=invoice_id, pk=duplicate_id
    )
    duplicate = (
        numbered_duplicates(restrict(duplicates, client, "invoice__contract"))
        .select_related("invoice__client", "invoice__contract")
        .first()
    )
    if duplicate is None:
        raise NotFound()
    return duplicate


# --- settlements (Stan rozliczeń) -----------------------------------------------------------------
#
# Figures, per currency, for the whole client or one contract:
#   due          — what is still to be paid: the remaining amount of every invoice not fully settled;
#   overdue      — the part of `due` whose due date has passed;
#   paid         — the sum of payments received;
#   compensations — the sum of compensations (kompensaty) applied.
# Each figure's detail lists exactly the rows it sums, so the two always match.

SETTLEMENT_FIGURES = ("due", "overdue", "paid", "compensations")
_money = DecimalField(max_digits=16, decimal_places=2)


def _scoped(queryset: QuerySet, *, contract_field: str, contract_id: int | None) -> QuerySet:
    if contract_id is not None:
        queryset = queryset.filter(**{contract_field: contract_id})
    return queryset


def _unsettled_invoices(client: Client) -> QuerySet[Invoice]:
    """The client's invoices not fully settled: the rows behind `due`."""
    return _of(Invoice, client).filter(~Q(paid_amount__gte=F("gross_total")))


def _overdue(today: date) -> Q:
    """Of the unsettled invoices, those behind `overdue`."""
    return Q(due_date__lt=today)


def list_settlement_rows(
    *,
    client: Client,
    figure: str,
    contract_id: int | None = None,
    currency: str | None = None,
    today: date | None = None,
) -> QuerySet:
    """Return the rows behind one settlement figure: invoices (due, overdue), payments or compensations,
    optionally of one contract and of one currency (each figure is summed per currency)."""
    today = today or timezone.localdate()
    if figure in {"due", "overdue"}:
        rows = _unsettled_invoices(client)
        if figure == "overdue":
            rows = rows.filter(_overdue(today))
        rows = _scoped(rows, contract_field="contract_id", contract_id=contract_id)
        rows = rows.select_related("contract").order_by("due_date", "id")
    elif figure == "paid":
        rows = _of(Payment, client)
        rows = _scoped(rows, contract_field="invoice__contract_id", contract_id=contract_id)
        rows = rows.select_related("invoice__contract").order_by("-paid_on", "-id")
    elif figure == "compensations":
        rows = _of(Compensation, client)
        rows = _scoped(rows, contract_field="invoice__contract_id", contract_id=contract_id)
        rows = rows.select_related("invoice__contract").order_by("-compensated_on", "-id")
    else:
        raise ValueError(f"Unknown settlement figure: {figure}")
    return rows.filter(currency=currency) if currency else rows


def _sum_by(queryset: QuerySet, *, group: list[str], **sums) -> list[dict]:
    """One row per group with each named sum (0 where the group has no row to add)."""
    totals = {
        name: Coalesce(Sum(amount, filter=condition, output_field=_money), Value(ZERO, output_field=_money))
        for name, (amount, condition) in sums.items()
    }
    return list(queryset.values(*group).annotate(**totals).order_by(*group))


def get_settlement_summary(*, client: Client, today: date | None = None) -> dict:
    """Return the settlement figures in total and per contract, each per currency.

    Three grouped aggregate queries, whatever the number of invoices: the unsettled invoices (`due` and
    its `overdue` part in one), the payments, the compensations; each sums the rows its figure's detail
    lists (list_settlement_rows). Contract id `None` collects invoices and payments not tied to a contract.
    """
    today = today or timezone.localdate()
    remaining = F("gross_total") - F("paid_amount")
    invoice_group = ["contract_id", "contract__number", "currency"]
    payment_group = ["invoice__contract_id", "invoice__contract__number", "currency"]
    grouped = (
        _sum_by(
            _unsettled_invoices(client),
            group=invoice_group,
            due=(remaining, None),
            overdue=(remaining, _overdue(today)),
        ),
        _sum_by(_of(Payment, client), group=payment_group, paid=("amount", None)),
        _sum_by(_of(Compensation, client), group=payment_group, compensations=("amount", None)),
    )
    contracts: dict[int | None, dict] = {}
    totals: dict[str, dict[str, Decimal]] = {}
    for groups in grouped:
        for group in groups:
            contract_id = group.get("contract_id", group.get("invoice__contract_id"))
            number = group.get("contract__number", group.get("invoice__contract__number"))
            currency = group["currency"]
            entry = contracts.setdefault(
                contract_id, {"contract_id": contract_id, "contract_number": number, "amounts": {}}
            )
            per_currency = entry["amounts"].setdefault(currency, dict.fromkeys(SETTLEMENT_FIGURES, ZERO))
            total = totals.setdefault(currency, dict.fromkeys(SETTLEMENT_FIGURES, ZERO))
            for figure in SETTLEMENT_FIGURES:
                if figure in group:
                    # SQLite sums decimals as floats: round each group back to grosze before adding.
                    amount = to_money(group[figure])
                    per_currency[figure] += amount
                    total[figure] += amount

    def as_list(amounts: dict[str, dict[str, Decimal]]) -> list[dict]:
        return [{"currency": currency, **amounts[currency]} for currency in sorted(amounts)]

    per_contract = sorted(
        contracts.values(), key=lambda e: (e["contract_number"] is None, e["contract_number"] or "")
    )
    return {
        "totals": as_list(totals),
        "contracts": [{**entry, "amounts": as_list(entry["amounts"])} for entry in per_contract],
    }


# --- home page (Ekran główny) ---------------------------------------------------------------------

HOME_INVOICE_COUNT = 10


def get_home_summary(*, client: Client, today: date | None = None) -> dict:
    """Return what the home page shows for the client, in three queries.

    `invoices`: the newest invoices (status derived by Invoice.status); `totals`: per currency, the
    balance due (remaining amount of every invoice not fully settled) and its overdue part;
    `next_installment`: the next unpaid schedule row due today or later on an active contract
    (due_date, gross, currency, contract_number), or None.
    """
    from backend.contracts.models import Contract, ScheduleRow

    today = today or timezone.localdate()
    invoices = list(
        _of(Invoice, client).select_related("contract").order_by("-issue_date", "-id")[:HOME_INVOICE_COUNT]
    )
    remaining = F("gross_total") - F("paid_amount")
    totals = [
        {
            "currency": row["currency"],
            "balance_due": to_money(row["balance_due"]),
            "overdue": to_money(row["overdue"]),
        }
        for row in _of(Invoice, client)
        .filter(~Q(paid_amount__gte=F("gross_total")))
        .order_by()
        .values("currency")
        .annotate(
            balance_due=Coalesce(Sum(remaining, output_field=_money), Value(ZERO, output_field=_money)),
            overdue=Coalesce(
                Sum(remaining, filter=Q(due_date__lt=today), output_field=_money),
                Value(ZERO, output_field=_money),
            ),
        )
        .order_by("currency")
    ]
    row = (
        restrict(
            ScheduleRow.objects.filter(
                contract__client=client,
                contract__status=Contract.Status.ACTIVE,
                paid=False,
                due_date__gte=today,
            ),
            client,
        )
        .select_related("contract")
        .order_by("due_date", "id")
        .first()
    )
    next_installment = (
        {
            "due_date": row.due_date,
            "gross": row.gross,
            "currency": row.contract.currency,
            "contract_number": row.contract.number,
        }
        if row
        else None
    )
    return {"invoices": invoices, "totals": totals, "next_installment": next_installment}


# --- settlements chart (Stan rozliczeń, "in pictures") --------------------------------------------

CHART_MONTHS = 12


def _month_starts(today: date, months: int) -> list[date]:
    """The first days of the last `months` calendar months, oldest first, ending with today's month."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def get_settlement_chart(
    *, client: Client, today: date | None = None, months: int = CHART_MONTHS
) -> list[dict]:
    """Return per currency, for each of the last `months` months: what fell due, was paid and is overdue.

    due     — the gross amount of the invoices whose due date falls in the month;
    paid    — the payments received in the month (by payment date);
    overdue — of the invoices due in the month, what is still unpaid now that their due date has passed.
    Sums are exact Decimals added in Python (a client has at most a few hundred invoices a year; SQLite
    would sum decimals as floats). A currency appears when it has any amount in the window.
    """
    today = today or timezone.localdate()
    starts = _month_starts(today, months)
    index = {(start.year, start.month): position for position, start in enumerate(starts)}
    series: dict[str, dict[str, list[Decimal]]] = {}

    def add(currency: str, figure: str, day: date, amount: Decimal) -> None:
        position = index.get((day.year, day.month))
        if position is None:
            return
        per_currency = series.setdefault(currency, {f: [ZERO] * months for f in ("due", "paid", "overdue")})
        per_currency[figure][position] += amount

    window_start = starts[0]
    invoices = _of(Invoice, client, due_date__gte=window_start, due_date__lte=today)
    invoices = invoices.order_by().values_list("currency", "due_date", "gross_total", "paid_amount")
    for currency, due_date, gross, paid in invoices.iterator():
        add(currency, "due", due_date, gross)
        if due_date < today and paid < gross:
            add(currency, "overdue", due_date, gross - paid)
    payments = _of(Payment, client, paid_on__gte=window_start, paid_on__lte=today)
    for currency, paid_on, amount in (
        payments.order_by().values_list("currency", "paid_on", "amount").iterator()
    ):
        add(currency, "paid", paid_on, amount)
    return [{"currency": currency, "months": starts, **series[currency]} for currency in sorted(series)]


# --- KSeF: the monthly package for the accountant -------------------------------------------------


def _of_month(client: Client, month: date) -> QuerySet:
    next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return _of(Invoice, client, issue_date__gte=month, issue_date__lt=next_month)


def list_invoices_of_month(*, client: Client, month: date) -> list[Invoice]:
    """The client's invoices issued in the month of `month` (current and archived), oldest first."""
    invoices = _of_month(client, month)
    invoices = invoices.select_related("contract", "client").prefetch_related("lines", "compensations")
    return list(invoices.order_by("issue_date", "number"))


def invoice_ids_of_month(*, client: Client, month: date) -> list[int]:
    """The ids of list_invoices_of_month, without loading the invoices (the accounting export's request)."""
    return list(_of_month(client, month).order_by("issue_date", "number").values_list("pk", flat=True))


def list_invoices_by_ids(*, client_id: int, ids: list[int]) -> list[Invoice]:
    """The client's invoices of `ids` ready for their PDF and XML, as list_invoices_of_month orders them
    (the Celery worker's accounting export: no acting user there, the ids were chosen through one)."""
    invoices = Invoice.objects.filter(client_id=client_id, pk__in=ids)
    invoices = invoices.select_related("contract", "client").prefetch_related("lines", "compensations")
    return list(invoices.order_by("issue_date", "number"))


def compensation_notes_of_month(*, client_id: int, month: date, contract_numbers: list[str] | None) -> list:
    """The compensation notes (KP) dated in the month that the package's user sees on the documents page:
    of their contracts (`contract_numbers`, None: all) and the company's ones tied to no contract."""
    from backend.documents.models import Document

    next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    notes = Document.objects.filter(
        client_id=client_id,
        kind=Document.Kind.COMPENSATION_NOTE,
        issued_on__gte=month,
        issued_on__lt=next_month,
    )
    if contract_numbers is not None:
        notes = notes.filter(Q(contract__number__in=contract_numbers) | Q(contract__isnull=True))
    return list(notes.select_related("contract").order_by("issued_on", "pk"))


def invoice_history_start(*, client: Client) -> date | None:
    """The month of the oldest invoice the user may see: the portal holds no invoice, and no payment of
    one, from before it (installments settled earlier are marked paid in the schedule only), so the
    archive and the settlements say where their history starts. None: no invoice yet."""
    first = _of(Invoice, client).order_by("issue_date").values_list("issue_date", flat=True).first()
    return first.replace(day=1) if first else None
