"""The monthly package "dla księgowości": every invoice of a month as PDF and FA(3) XML, plus a CSV summary.

The package is read-only, built from the invoice data by the Celery worker into a file of its own
(backend/invoices/accounting_exports.py: the request only starts it; a few thousand invoice PDFs take
minutes, far past any proxy's timeout and holding a web thread all along).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from backend.core.exceptions import PortalValidationError
from backend.core.table_files import csv_dialect_for, table_to_csv
from backend.documents.downloads import download_filename, safe_filename
from backend.invoices.ksef import build_fa3_xml, fa3_filename
from backend.invoices.models import Invoice, InvoiceStatus
from backend.invoices.pdf import invoice_document_for, render_invoice_pdf

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
EARLIEST_YEAR = 2000
# The summary's column headers, in the downloading user's language (a context of their own, so no other
# catalogue's "Net" or "Total" can change the Polish file).
CSV_HEADERS = (
    pgettext_lazy("accounting summary", "Invoice number"),
    pgettext_lazy("accounting summary", "KSeF number"),
    pgettext_lazy("accounting summary", "Issue date"),
    pgettext_lazy("accounting summary", "Sale date"),
    pgettext_lazy("accounting summary", "Payment due"),
    pgettext_lazy("accounting summary", "Currency"),
    pgettext_lazy("accounting summary", "Net"),
    pgettext_lazy("accounting summary", "VAT"),
    pgettext_lazy("accounting summary", "Gross"),
    # After the columns a bookkeeping import already reads: where each invoice stands when packed.
    pgettext_lazy("accounting summary", "Paid"),
    pgettext_lazy("accounting summary", "Remaining"),
    pgettext_lazy("accounting summary", "Status"),
    pgettext_lazy("accounting summary", "Contract"),
)
CSV_TOTAL = pgettext_lazy("accounting summary", "Total")


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


def zip_filename(*, nip: str, month: date, limited: bool = False) -> str:
    """faktury_<NIP>_<YYYY-MM>.zip; a package of only some of the company's contracts (a limited user)
    says so in its name (…_wybrane-umowy.zip), so it is not taken for the month's complete set."""
    parts = ["invoices", safe_filename(nip), f"{month:%Y-%m}"]
    if limited:
        parts.append("selected_contracts")
    return download_filename(*parts, extension="zip")


def scope_sentence(contract_numbers: Sequence[str], *, of: int) -> str:
    """What a limited user's package and pages say of their scope (active language)."""
    return _(
        "Only the invoices of contracts %(numbers)s (%(count)s of the company's %(total)s contracts)."
    ) % {
        "numbers": ", ".join(contract_numbers),
        "count": len(contract_numbers),
        "total": of,
    }


def csv_filename(month: date) -> str:
    return download_filename("summary", f"{month:%Y-%m}", extension="csv")


def pdf_filename(invoice: Invoice) -> str:
    return download_filename("invoice", safe_filename(invoice.number), extension="pdf")


def summary_csv(invoices: Sequence[Invoice], *, lang: str) -> bytes:
    """The month's invoices with totals per currency, as the schedule's CSV in `lang` (csv_dialect_for):
    Polish Excel's (semicolons, decimal comma, DD.MM.YYYY, UTF-8 with BOM) or RFC 4180 (commas, decimal
    point, ISO dates, no BOM). The column headers are its first line, for the programs that import it."""
    with translation.override(lang):
        headers = [str(header) for header in CSV_HEADERS]
        total_label = str(CSV_TOTAL)
        statuses = {code: str(label) for code, label in InvoiceStatus.choices}
    records: list[list[object]] = []
    totals: dict[str, list[Decimal]] = {}
    for invoice in invoices:
        records.append(
            [
                invoice.number,
                invoice.ksef_number,
                invoice.issue_date,
                invoice.sale_date,
                invoice.due_date,
                invoice.currency,
                invoice.net_total,
                invoice.vat_total,
                invoice.gross_total,
                invoice.paid_amount,
                invoice.remaining_amount,
                statuses[invoice.status],
                invoice.contract.number if invoice.contract_id else "",
            ]
        )
        sums = totals.setdefault(invoice.currency, [Decimal("0.00")] * 5)
        sums[0] += invoice.net_total
        sums[1] += invoice.vat_total
        sums[2] += invoice.gross_total
        sums[3] += invoice.paid_amount
        sums[4] += invoice.remaining_amount
    for currency in sorted(totals):
        records.append([total_label, "", "", "", "", currency, *totals[currency], "", ""])
    return table_to_csv(headers, records, dialect=csv_dialect_for(lang))


def build_accounting_zip(
    invoices: Sequence[Invoice],
    *,
    month: date,
    lang: str,
    target: BinaryIO,
    progress: Callable[[int], None] | None = None,
    scope: str = "",
    notes: Sequence[tuple[str, bytes]] = (),
) -> None:
    """Write the package into `target` (the worker's temporary file); `progress(n)` after each invoice;
    `scope` (scope_sentence) goes into a limited user's package as a text file of its own beside the
    summary (wybrane-umowy.txt), never above the CSV's headers; `notes` are the month's compensation notes
    (name, content), as the documents page downloads them."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in notes:
            archive.writestr(name, content)
        for done, invoice in enumerate(invoices, start=1):
            archive.writestr(pdf_filename(invoice), render_invoice_pdf(invoice_document_for(invoice)))
            archive.writestr(fa3_filename(invoice), build_fa3_xml(invoice))
            if progress is not None:
                progress(done)
        archive.writestr(csv_filename(month), summary_csv(invoices, lang=lang))
        if scope:
            name = download_filename("selected_contracts", extension="txt", lang=lang)
            archive.writestr(name, f"{scope}\n".encode())


def refuse_empty_month() -> PortalValidationError:
    """A month without invoices is refused like a month before any, never a package with nothing in it."""
    return PortalValidationError(
        _("Choose a month."), fields={"month": [_("There are no invoices from that month.")]}
    )
