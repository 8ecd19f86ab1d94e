"""A table as a downloadable file: CSV (Polish Excel's dialect or RFC 4180) or an XLSX sheet.

The one place of the portal's spreadsheet conventions, so every file a user downloads reads alike: the
repayment schedule (backend/contracts/exports.py), the invoice and settlement lists
(backend/invoices/list_exports.py), the accounting package's summary (backend/invoices/accounting.py) and
the audit log's export (backend/core/admin.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from backend.core.money import format_date

CSV_DIALECTS = ("excel-pl", "rfc4180")
DEFAULT_CSV_DIALECT = "excel-pl"  # the download's when none is asked for
# The CSV the pages offer in each language: Polish Excel opens semicolons and decimal commas as they
# are; English spreadsheets and programs read commas between fields and a decimal point.
CSV_DIALECT_BY_LANG = {"pl": "excel-pl", "en": "rfc4180"}
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
# Dates are real Excel dates; their display follows the language, as on the pages (format_date).
DATE_FORMATS = {"pl": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
# A text a spreadsheet would run as a formula (a transfer title or a typed login such as "=HYPERLINK(…)"):
# the CSV keeps it as text behind an apostrophe, the XLSX stores it as a string.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_UNSAFE = re.compile(r"[\\/?*\[\]:]")
SHEET_TITLE_MAX = 31


def csv_dialect_for(lang: str) -> str:
    """The CSV dialect a page in `lang` offers."""
    return CSV_DIALECT_BY_LANG.get(lang, CSV_DIALECT_BY_LANG["pl"])


def csv_cell(value: object, *, dialect: str) -> str:
    """A CSV cell: amounts with a decimal comma (Polish Excel) or point, dates DD.MM.YYYY or ISO, nothing
    for None, anything else as its text (one a spreadsheet would take for a formula behind an apostrophe)."""
    polish = dialect == DEFAULT_CSV_DIALECT
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:.2f}"
        return text.replace(".", ",") if polish else text
    if isinstance(value, date):
        return format_date(value, lang="pl") if polish else value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def table_to_csv(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    dialect: str,
    preamble: Sequence[str] = (),
) -> bytes:
    """A table as CSV (csv_cell for each cell), every line ending in CRLF.

    `excel-pl` opens directly in Polish Excel: semicolons, decimal comma, DD.MM.YYYY dates, UTF-8 with a
    byte-order mark. `rfc4180` is plain RFC 4180: commas, decimal point, ISO dates, no BOM. `preamble`
    lines (a limited user's scope) come before the headers, one cell each.
    """
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"Unknown CSV dialect: {dialect}")
    polish = dialect == DEFAULT_CSV_DIALECT
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if polish else ",", lineterminator="\r\n")
    for line in preamble:
        writer.writerow([line])
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(value, dialect=dialect) for value in row])
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if polish else text.encode("utf-8")


def style_header_row(sheet, row: int) -> None:
    """Bold, grey, centred and wrapped: every sheet's column headers."""
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(text: str) -> str:
    """A name Excel takes for a sheet: none of \\ / ? * [ ] : (openpyxl raises on them: a contract
    number such as "UL/1:A" made the schedule's download a 500), no apostrophe at either end, at most
    31 characters, never empty."""
    return SHEET_TITLE_UNSAFE.sub("-", text)[:SHEET_TITLE_MAX].strip("'") or "Sheet"


def append_values(sheet, values: Sequence[object]) -> None:
    """Append a row to `sheet` with every text kept as text: openpyxl takes any text starting with "="
    for a formula, so a company name or transfer title such as "=HYPERLINK(…)" would run in Excel."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def table_to_xlsx(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    lang: str,
    title: str,
    notes: Sequence[str] = (),
    bold_rows: int = 0,
) -> bytes:
    """A table as an XLSX sheet: a bold title (and `notes`) above bold headers, real numbers in the money
    format and real dates in the language's format, frozen headers and a filter; the last `bold_rows`
    rows (totals) in bold."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    append_values(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=12)
    for note in notes:
        append_values(sheet, [note])
    append_values(sheet, headers)
    header_row = sheet.max_row
    style_header_row(sheet, header_row)
    date_format = DATE_FORMATS.get(lang, DATE_FORMATS["pl"])
    for row in rows:
        append_values(sheet, row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = date_format
    for row in range(sheet.max_row - bold_rows + 1, sheet.max_row + 1) if bold_rows else ():
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(len(header) + 4, 24))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    last = sheet.max_row - bold_rows
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{max(last, header_row)}"
    return workbook_bytes(workbook)
