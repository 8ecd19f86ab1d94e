"""Totals and XLSX / CSV files of the client's filtered invoice and settlement lists.

The pages (Faktury, Archiwum, the rows behind a settlement figure) show a "Total" line for the whole
filtered set, not only the page shown, and offer exactly that set as a file: the page's columns plus the
contract number and the currency, one record per row and a total record per currency. The files are
written by the portal's table writers (backend/core/table_files.py), so CSV is Polish Excel's or RFC 4180
and the XLSX has real numbers and dates, as the schedule's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.money import to_money
from backend.core.table_files import csv_dialect_for, table_to_csv, table_to_xlsx
from backend.invoices.models import Invoice, InvoiceStatus

ZERO = Decimal("0.00")
FORMATS = ("csv", "xlsx")
_money = DecimalField(max_digits=16, decimal_places=2)


def _sum(expression, condition: Q | None = None):
    return Coalesce(Sum(expression, filter=condition, output_field=_money), Value(ZERO, output_field=_money))


def invoice_totals(invoices: QuerySet[Invoice]) -> list[dict]:
    """Per currency, over every invoice of the (filtered) queryset: count, net, VAT, gross and the
    remaining amount (what invoices not fully settled still lack, as each row's "Remaining")."""
    unsettled = ~Q(paid_amount__gte=F("gross_total"))
    rows = (
        invoices.order_by()
        .values("currency")
        .annotate(
            count=Count("pk"),
            net=_sum("net_total"),
            vat=_sum("vat_total"),
            gross=_sum("gross_total"),
            remaining=_sum(F("gross_total") - F("paid_amount"), unsettled),
        )
        .order_by("currency")
    )
    # SQLite sums decimals as floats: each sum back to grosze.
    return [
        {
            "currency": row["currency"],
            "count": row["count"],
            **{name: to_money(row[name]) for name in ("net", "vat", "gross", "remaining")},
        }
        for row in rows
    ]


def amount_totals(rows: QuerySet) -> list[dict]:
    """Per currency, the count and sum of `amount` of payments or compensations."""
    grouped = rows.order_by().values("currency").annotate(count=Count("pk"), amount=_sum("amount"))
    return [
        {"currency": row["currency"], "count": row["count"], "amount": to_money(row["amount"])}
        for row in grouped.order_by("currency")
    ]


@dataclass(frozen=True)
class ListTable:
    """One list as a file: its headers, its records and its total records (active language)."""

    title: str
    headers: list[str]
    rows: list[list]
    totals: list[list]


def _contract(number_owner) -> str:
    contract = getattr(number_owner, "contract", None)
    return contract.number if contract is not None else ""


def _status(invoice: Invoice) -> str:
    return str(InvoiceStatus(invoice.status).label)


def _invoice_table(invoices: Iterable[Invoice], totals: list[dict], *, title: str) -> ListTable:
    headers = [
        _("Invoice number"),
        _("Contract"),
        _("Issue date"),
        _("Due date"),
        _("Currency"),
        _("Net"),
        _("VAT"),
        _("Gross"),
        _("Remaining"),
        _("Status"),
    ]
    rows = [
        [
            invoice.number,
            _contract(invoice),
            invoice.issue_date,
            invoice.due_date,
            invoice.currency,
            invoice.net_total,
            invoice.vat_total,
            invoice.gross_total,
            invoice.remaining_amount,
            _status(invoice),
        ]
        for invoice in invoices
    ]
    total = _("Total")
    sums = [
        [total, "", None, None, t["currency"], t["net"], t["vat"], t["gross"], t["remaining"], ""]
        for t in totals
    ]
    return ListTable(title=title, headers=headers, rows=rows, totals=sums)


def _due_table(invoices: Iterable[Invoice], totals: list[dict], *, title: str) -> ListTable:
    headers = [
        _("Invoice number"),
        _("Contract"),
        _("Due date"),
        _("Currency"),
        _("Gross"),
        _("Remaining"),
        _("Status"),
    ]
    rows = [
        [
            invoice.number,
            _contract(invoice),
            invoice.due_date,
            invoice.currency,
            invoice.gross_total,
            invoice.remaining_amount,
            _status(invoice),
        ]
        for invoice in invoices
    ]
    total = _("Total")
    sums = [[total, "", None, t["currency"], t["gross"], t["remaining"], ""] for t in totals]
    return ListTable(title=title, headers=headers, rows=rows, totals=sums)


def _payment_table(payments: Iterable, totals: list[dict], *, title: str) -> ListTable:
    headers = [
        _("Payment date"),
        _("Invoice number"),
        _("Contract"),
        _("Transfer title"),
        _("Currency"),
        _("Amount"),
    ]
    rows = [
        [
            payment.paid_on,
            payment.invoice.number if payment.invoice_id else "",
            _contract(payment.invoice) if payment.invoice_id else "",
            payment.reference,
            payment.currency,
            payment.amount,
        ]
        for payment in payments
    ]
    sums = [[_("Total"), "", "", "", t["currency"], t["amount"]] for t in totals]
    return ListTable(title=title, headers=headers, rows=rows, totals=sums)


def _compensation_table(compensations: Iterable, totals: list[dict], *, title: str) -> ListTable:
    headers = [
        _("Date"),
        _("Compensation note"),
        _("Invoice number"),
        _("Contract"),
        _("Currency"),
        _("Amount"),
    ]
    rows = [
        [
            compensation.compensated_on,
            compensation.note_number,
            compensation.invoice.number,
            _contract(compensation.invoice),
            compensation.currency,
            compensation.amount,
        ]
        for compensation in compensations
    ]
    sums = [[_("Total"), "", "", "", t["currency"], t["amount"]] for t in totals]
    return ListTable(title=title, headers=headers, rows=rows, totals=sums)


# What each list is as a file: the table builder and its totals (settlement figures by name).
_TABLES: dict[str, tuple[Callable[..., ListTable], Callable[[QuerySet], list[dict]]]] = {
    "invoices": (_invoice_table, invoice_totals),
    "due": (_due_table, invoice_totals),
    "overdue": (_due_table, invoice_totals),
    "paid": (_payment_table, amount_totals),
    "compensations": (_compensation_table, amount_totals),
}


def list_totals(kind: str, rows: QuerySet) -> list[dict]:
    """The "Total" line of a list (invoices, or a settlement figure) over every filtered row."""
    return _TABLES[kind][1](rows)


def list_file(kind: str, rows: QuerySet, *, fmt: str, lang: str, title: str, scope: str = "") -> bytes:
    """The filtered list `rows` (in the page's order) as CSV or XLSX in `lang`, with its totals; `scope`
    (a limited user's contracts) heads the XLSX sheet; a CSV's first line stays its column headers (other
    programs import it), its file name says the scope."""
    build, totals = _TABLES[kind]
    with translation.override(lang):
        table = build(rows, totals(rows), title=title)
    preamble = [scope] if scope else []
    if fmt == "xlsx":
        return table_to_xlsx(
            table.headers,
            [*table.rows, *table.totals],
            lang=lang,
            title=table.title,
            notes=preamble,
            bold_rows=len(table.totals),
        )
    records = [*table.rows, *table.totals]
    return table_to_csv(table.headers, records, dialect=csv_dialect_for(lang))
