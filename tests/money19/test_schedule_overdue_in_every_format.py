"""Finding 7: an unpaid installment past its due date reads "nie, zaległa" in the XLSX and CSV too, not only
on the page and in the PDF (one wording: exports.paid_label)."""

from __future__ import annotations

import csv
import io

import openpyxl

from backend.contracts.exports import ScheduleExport, ScheduleLine, schedule_to_csv, schedule_to_xlsx
from tests.contracts_api.test_exports import export


def _with_overdue(lang: str = "pl") -> ScheduleExport:
    data = export(months=12, lang=lang)
    lines = tuple(ScheduleLine(**{**line.__dict__, "overdue": line.number == 4}) for line in data.lines)
    return ScheduleExport(**{**data.__dict__, "lines": lines})


def test_xlsx_and_csv_say_overdue_as_the_page_and_pdf():
    data = _with_overdue()

    sheet = openpyxl.load_workbook(io.BytesIO(schedule_to_xlsx(data))).active
    rows = list(csv.reader(io.StringIO(schedule_to_csv(data).decode("utf-8-sig")), delimiter=";"))

    paid_column = 9
    assert sheet.cell(row=3 + 4, column=paid_column).value == "nie, zaległa"
    assert sheet.cell(row=3 + 5, column=paid_column).value == "nie"
    assert sheet.cell(row=3 + 3, column=paid_column).value == "tak"
    assert rows[4][8] == "nie, zaległa"
    assert rows[5][8] == "nie"
    assert rows[3][8] == "tak"


def test_english_files_say_overdue_too():
    data = _with_overdue(lang="en")

    rows = list(csv.reader(io.StringIO(schedule_to_csv(data, dialect="rfc4180").decode())))

    assert rows[4][8] == "no, overdue"
