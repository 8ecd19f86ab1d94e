"""The monthly package "dla księgowości": every invoice of a month as PDF and FA(3) XML, plus a CSV summary.

The package is read-only: it is rebuilt from the invoice data on every download. Up to
`IN_MEMORY_INVOICES` invoices it is built in memory; a larger month is written with zipfile into a
SpooledTemporaryFile, which moves to disk past `SPOOL_MAX_BYTES`, so memory stays bounded.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from django.http import FileResponse
from django.utils.translation import gettext as _

from backend.clients.models import Client
from backend.core.exceptions import PortalValidationError
from backend.core.money import format_date
from backend.documents.downloads import download_filename, safe_filename
from backend.invoices.ksef import build_fa3_xml, fa3_filename
from backend.invoices.models import Invoice
from backend.invoices.pdf import invoice_document_for, render_invoice_pdf
from backend.invoices.selectors import list_invoices_of_month

IN_MEMORY_INVOICES = 50
SPOOL_MAX_BYTES = 16 * 1024 * 1024
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
EARLIEST_YEAR = 2000
CSV_HEADERS = (
    "Numer faktury",
    "Numer KSeF",
    "Data wystawienia",
    "Data sprzedaży",
    "Termin płatności",
    "Waluta",
    "Netto",
    "VAT",
    "Brutto",
)


def parse_month(raw: object, *, today: date) -> date:
    """Return the first day of a `YYYY-MM` month that is not in the future, else a 400 error."""
    match = _MONTH.fullmatch(raw) if isinstance(raw, str) else None
    if match is None:
        raise PortalValidationError(
            _("Choose a month."), fields={"month": [_("Enter the month as YYYY-MM, e.g. 2026-03.")]}
        )
    if int(match[1]) < EARLIEST_YEAR:  # checked first: year 0000 is not even a date
        raise PortalValidationError(
            _("Choose a month."), fields={"month": [_("There are no invoices from that month.")]}
        )
    month = date(int(match[1]), int(match[2]), 1)
    if month > today.replace(day=1):
        raise PortalValidationError(
            _("Choose a month."), fields={"month": [_("The month cannot be in the future.")]}
        )
    return month


def zip_filename(*, nip: str, month: date) -> str:
    return download_filename("invoices", safe_filename(nip), f"{month:%Y-%m}", extension="zip")


def csv_filename(month: date) -> str:
    return download_filename("summary", f"{month:%Y-%m}", extension="csv")


def pdf_filename(invoice: Invoice) -> str:
    return download_filename("invoice", safe_filename(invoice.number), extension="pdf")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def summary_csv(invoices: Sequence[Invoice]) -> bytes:
    """The month's invoices for Polish Excel (semicolons, decimal comma, UTF-8 with BOM), totals per currency."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    totals: dict[str, list[Decimal]] = {}
    for invoice in invoices:
        writer.writerow(
            [
                invoice.number,
                invoice.ksef_number,
                format_date(invoice.issue_date),
                format_date(invoice.sale_date),
                format_date(invoice.due_date),
                invoice.currency,
                _amount(invoice.net_total),
                _amount(invoice.vat_total),
                _amount(invoice.gross_total),
            ]
        )
        sums = totals.setdefault(invoice.currency, [Decimal("0.00")] * 3)
        sums[0] += invoice.net_total
        sums[1] += invoice.vat_total
        sums[2] += invoice.gross_total
    for currency in sorted(totals):
        net, vat, gross = totals[currency]
        writer.writerow(["Razem", "", "", "", "", currency, _amount(net), _amount(vat), _amount(gross)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def build_accounting_zip(invoices: Sequence[Invoice], *, month: date) -> BinaryIO:
    """Write the package and return it rewound; the caller streams and closes it."""
    target: BinaryIO = (
        io.BytesIO()
        if len(invoices) <= IN_MEMORY_INVOICES
        else tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 (closed by the response)
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            archive.writestr(pdf_filename(invoice), render_invoice_pdf(invoice_document_for(invoice)))
            archive.writestr(fa3_filename(invoice), build_fa3_xml(invoice))
        archive.writestr(csv_filename(month), summary_csv(invoices))
    target.seek(0)
    return target


def accounting_zip_response(*, client: Client, month: date) -> FileResponse:
    """The package of the client's month (parse_month checked it) as a download: the API's answer and
    the invoice pages' form's alike."""
    content = build_accounting_zip(list_invoices_of_month(client=client, month=month), month=month)
    response = FileResponse(
        content,
        as_attachment=True,
        filename=zip_filename(nip=client.nip, month=month),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
