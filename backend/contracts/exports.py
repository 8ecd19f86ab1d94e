"""Repayment schedule downloads: XLSX, CSV (Polish Excel or RFC 4180) and PDF.

Where an approved value change raised the capital the re-planned installments start from, the PDF shows
the page's line of its own above that installment; the spreadsheets (XLSX, CSV) keep one record per
installment and carry the change in a column of its own (only when some installment has one), so they
stay sortable and machine-readable. A contract an agreed buyout ends says so in every file, as its page
does: the schedule stops at the buyout's date and the buyout, due that day, replaces the rest (the PDF's
line after the installments, the spreadsheets' record after them).

Every generator is a pure function of a `ScheduleExport`: the same data gives the same content
(XLSX files differ only in their zip timestamps). The CSV dialects, cell formats and sheet styles are the
portal's (backend/core/table_files.py), shared with every other list offered as a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.pdf_table import Column, render_table_pdf
from backend.contracts.schedule import is_overdue
from backend.contracts.selectors import accepted_buyout, balance_changes, describe_balance_change
from backend.core.money import format_amount, format_date, format_money
from backend.core.table_files import (
    DATE_FORMATS,
    DEFAULT_CSV_DIALECT,
    MONEY_FORMAT,
    append_values,
    sheet_title,
    style_header_row,
    table_to_csv,
    workbook_bytes,
)


def paid_label(*, paid: bool, overdue: bool) -> str:
    """An installment's "Paid" cell in every schedule format (page wording, active language): yes, no,
    or "no, overdue" for one unpaid past its due date (schedule.is_overdue)."""
    if paid:
        return _("yes")
    return pgettext("installment", "no, overdue") if overdue else _("no")


@dataclass(frozen=True)
class ScheduleLine:
    number: int
    due_date: date
    capital: Decimal
    interest: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    capital_remaining: Decimal
    paid: bool
    # How much the capital to repay changed just before this installment (an approved value change).
    balance_change: Decimal | None = None
    # Unpaid past its due date (schedule.is_overdue): the PDF says "no, overdue", as the contract page.
    overdue: bool = False

    @property
    def opening_balance(self) -> Decimal:
        return self.capital_remaining + self.capital


@dataclass(frozen=True)
class AgreedBuyout:
    """The buyout that ends the contract on its effective date: the binding amount, due that day."""

    number: str
    effective_date: date
    net: Decimal
    vat: Decimal
    total: Decimal
    vat_exempt: bool = False  # a loan's: "zw", as its invoices and quote


@dataclass(frozen=True)
class ScheduleExport:
    contract_number: str
    client_name: str
    currency: str
    lines: tuple[ScheduleLine, ...]
    lang: str = "pl"
    agreed_buyout: AgreedBuyout | None = None

    @property
    def has_balance_changes(self) -> bool:
        """Whether the spreadsheets need their column "Capital change before the installment"."""
        return any(line.balance_change is not None for line in self.lines)


def _agreed_buyout(contract: Contract) -> AgreedBuyout | None:
    """The contract's agreed buyout still to be paid (the contract API's `agreed_buyout`): none once the
    contract has ended on its date."""
    quote = accepted_buyout(contract) if contract.status == Contract.Status.ACTIVE else None
    if quote is None:
        return None
    return AgreedBuyout(
        number=quote.number or str(quote.pk),
        effective_date=quote.effective_date,
        net=quote.binding_net,
        vat=quote.binding_vat,
        total=quote.binding_total,
        vat_exempt=quote.is_vat_exempt,
    )


def schedule_export_for(contract: Contract, rows: list[ScheduleRow], *, lang: str = "pl") -> ScheduleExport:
    changes = balance_changes(rows)
    today = timezone.localdate()
    return ScheduleExport(
        contract_number=contract.number,
        client_name=contract.client.name,
        currency=contract.currency,
        lines=tuple(
            ScheduleLine(
                number=row.number,
                due_date=row.due_date,
                capital=row.capital,
                interest=row.interest,
                net=row.net,
                vat=row.vat,
                gross=row.gross,
                capital_remaining=row.capital_remaining,
                paid=row.paid,
                balance_change=changes.get(row.number),
                overdue=is_overdue(due_date=row.due_date, paid=row.paid, today=today),
            )
            for row in rows
        ),
        lang=lang,
        agreed_buyout=_agreed_buyout(contract),
    )


def _buyout_label(buyout: AgreedBuyout) -> str:
    """The spreadsheets' record of the buyout, in its first column (active language)."""
    return _("Agreed buyout (quote %(number)s)") % {"number": buyout.number}


def _buyout_sentence(buyout: AgreedBuyout, currency: str, *, lang: str) -> str:
    """What the contract page's "Agreed buyout" says, in one sentence (active language)."""
    money = lambda value: format_money(value, currency, lang=lang)  # noqa: E731
    return _(
        "The contract ends on %(date)s with the agreed buyout (quote %(number)s): %(total)s gross "
        "(net %(net)s, VAT %(vat)s), due by %(date)s; it replaces the installments after that date."
    ) % {
        "date": format_date(buyout.effective_date, lang=lang),
        "number": buyout.number,
        "total": money(buyout.total),
        "net": money(buyout.net),
        # The invoices' own word for an exempt rate ("zw"): a bare "exempt" had no Polish in any catalogue.
        "vat": pgettext("VAT rate", "exempt") if buyout.vat_exempt else money(buyout.vat),
    }


def _headers(*, spreadsheet: bool = False) -> list[str]:
    """The table's column headers; a spreadsheet has one more where an installment has a capital change
    before it (an approved value change)."""
    headers = [
        _("Installment no."),
        _("Due date"),
        _("Capital"),
        _("Interest"),
        _("Net"),
        _("VAT"),
        _("Gross"),
        _("Capital remaining"),
        _("Paid"),
    ]
    return [*headers, _("Capital change before the installment")] if spreadsheet else headers


def _totals(data: ScheduleExport) -> dict[str, Decimal]:
    return {
        name: sum((getattr(line, name) for line in data.lines), Decimal("0.00"))
        for name in ("capital", "interest", "net", "vat", "gross")
    }


def export_filename(data: ScheduleExport, extension: str) -> str:
    from backend.documents.downloads import download_filename, safe_filename

    return download_filename(
        "schedule", safe_filename(data.contract_number), extension=extension, lang=data.lang
    )


def _line_cells(line, paid: str, *, changes_column: bool) -> list[object]:
    """One installment's cells, the same in the XLSX and the CSV (the headers' order, _headers)."""
    cells = [line.number, line.due_date, line.capital, line.interest, line.net, line.vat, line.gross]
    cells += [line.capital_remaining, paid]
    return [*cells, *([line.balance_change] if changes_column else [])]


def schedule_to_xlsx(data: ScheduleExport) -> bytes:
    """Return the schedule as an XLSX workbook: numbers, dates and money formats, frozen header."""
    changes_column = data.has_balance_changes
    buyout = data.agreed_buyout
    with translation.override(data.lang):
        headers = _headers(spreadsheet=changes_column)
        no = _("no")
        paid_cells = {line.number: paid_label(paid=line.paid, overdue=line.overdue) for line in data.lines}
        title = _("Repayment schedule of contract %(number)s") % {"number": data.contract_number}
        total_label, currency_label = _("Total"), _("Currency")
        if buyout is not None:
            buyout_label = _buyout_label(buyout)
            buyout_sentence = _buyout_sentence(buyout, data.currency, lang=data.lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(data.contract_number)
    append_values(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=12)
    # The currency labelled, right of the client's name (which runs over the empty cells after it).
    append_values(sheet, [data.client_name, None, None, None, None, None, currency_label, data.currency])
    sheet["G2"].font = Font(bold=True)
    sheet["G2"].alignment = Alignment(horizontal="right")
    append_values(sheet, headers)
    header_row = 3
    style_header_row(sheet, header_row)
    for line in data.lines:
        append_values(sheet, _line_cells(line, paid_cells[line.number], changes_column=changes_column))
    first, last = header_row + 1, header_row + len(data.lines)
    totals = _totals(data)
    append_values(
        sheet,
        [
            total_label,
            None,
            totals["capital"],
            totals["interest"],
            totals["net"],
            totals["vat"],
            totals["gross"],
        ],
    )
    sheet.cell(row=last + 1, column=1).font = Font(bold=True)
    formatted = last + 1
    if buyout is not None:  # after the installments' total, which it is not part of
        append_values(
            sheet,
            [buyout_label, buyout.effective_date, None, None, buyout.net, buyout.vat, buyout.total, None, no],
        )
        append_values(sheet, [buyout_sentence])
        formatted = last + 2
        sheet.cell(row=formatted, column=1).font = Font(bold=True)
    for row in sheet.iter_rows(min_row=first, max_row=formatted):
        row[1].number_format = DATE_FORMATS.get(data.lang, DATE_FORMATS["pl"])
        for cell in (*row[2:8], *row[9:10]):
            cell.number_format = MONEY_FORMAT
    for column, width in enumerate([12, 13, 14, 12, 14, 12, 14, 18, 10, 18][: len(headers)], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=first, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{last}"
    return workbook_bytes(workbook)


_CSV_CURRENCY_COLUMN = 9  # after "Paid": the columns before it keep their places


def schedule_to_csv(data: ScheduleExport, *, dialect: str = DEFAULT_CSV_DIALECT) -> bytes:
    """Return the schedule as CSV in `dialect` (core/table_files.py: Polish Excel's or RFC 4180): one
    record per installment, then the agreed buyout's, if any. Headers stay on the first line (programs
    import it), so the currency is a column of every record, as in the invoice list's file, right after
    "Paid" (the optional capital change column stays last)."""
    changes_column = data.has_balance_changes
    with translation.override(data.lang):
        headers = _headers(spreadsheet=changes_column)
        headers.insert(_CSV_CURRENCY_COLUMN, _("Currency"))
        no = _("no")
        paid_cells = {line.number: paid_label(paid=line.paid, overdue=line.overdue) for line in data.lines}
        buyout_label = _buyout_label(data.agreed_buyout) if data.agreed_buyout else ""
    records: list[list[object]] = [
        _line_cells(line, paid_cells[line.number], changes_column=changes_column) for line in data.lines
    ]
    buyout = data.agreed_buyout
    if buyout is not None:  # the last record: the buyout due on the contract's last day
        record = [buyout_label, buyout.effective_date, None, None, buyout.net, buyout.vat, buyout.total]
        record += [None, no]
        records.append(record + [None] * (len(headers) - 1 - len(record)))
    for record in records:
        record.insert(_CSV_CURRENCY_COLUMN, data.currency)
    return table_to_csv(headers, records, dialect=dialect)


def schedule_to_pdf(data: ScheduleExport) -> bytes:
    """Return the schedule as a PDF table (A4 landscape, header repeated on every page)."""
    lang = data.lang
    totals = _totals(data)
    with translation.override(lang):
        headers = _headers()
        paid_cells = {line.number: paid_label(paid=line.paid, overdue=line.overdue) for line in data.lines}
        title = _("Repayment schedule of contract %(number)s") % {"number": data.contract_number}
        subtitle = f"{data.client_name} · {_('Currency')}: {data.currency}"
        total_label, page_label = _("Total"), _("Page")
        notes = {
            line.number: describe_balance_change(line.balance_change, line.opening_balance, lang=lang)
            for line in data.lines
            if line.balance_change is not None
        }
        buyout = data.agreed_buyout
        buyout_sentence = _buyout_sentence(buyout, data.currency, lang=lang) if buyout else ""
    shares = [0.7, 1.0, 1.1, 1.0, 1.1, 1.0, 1.1, 1.3, 0.8]
    columns = [
        Column(header, share, "left" if index in (1, 8) else "right")
        for index, (header, share) in enumerate(zip(headers, shares, strict=True))
    ]
    rows: list[Sequence[str] | str] = []
    for line in data.lines:
        if line.number in notes:
            rows.append(notes[line.number])  # a line of its own across the table, as on the page
        rows.append(
            (
                str(line.number),
                format_date(line.due_date, lang=lang),
                format_amount(line.capital, lang=lang),
                format_amount(line.interest, lang=lang),
                format_amount(line.net, lang=lang),
                format_amount(line.vat, lang=lang),
                format_amount(line.gross, lang=lang),
                format_amount(line.capital_remaining, lang=lang),
                paid_cells[line.number],
            )
        )
    if buyout_sentence:  # a line of its own after the last installment, as the page's buyout block
        rows.append(buyout_sentence)
    footer = (
        "",
        total_label,
        *(format_amount(totals[name], lang=lang) for name in ("capital", "interest", "net", "vat", "gross")),
        "",
        "",
    )
    return render_table_pdf(
        title=title,
        subtitle=subtitle,
        columns=columns,
        rows=rows,
        footer_row=footer,
        page_label=page_label,
        document_title=title,
    )
