import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pypdf
import pytest

from backend.contracts.exports import (
    ScheduleExport,
    ScheduleLine,
    schedule_to_csv,
    schedule_to_pdf,
    schedule_to_xlsx,
)
from backend.contracts.schedule import compute_schedule


def export(months: int = 120, lang: str = "pl") -> ScheduleExport:
    rows = compute_schedule(
        financed_amount=Decimal("1250000.00"),
        residual_value=Decimal("125000.00"),
        annual_rate_percent=Decimal("7.25"),
        months=months,
        payment_day=15,
        first_month=date(2026, 1, 1),
    )
    return ScheduleExport(
        contract_number="UL/2026/000120",
        client_name="Przedsiębiorstwo Łączności Żółć sp. z o.o.",
        currency="PLN",
        lines=tuple(ScheduleLine(**{**row.__dict__, "paid": row.number <= 3}) for row in rows),
        lang=lang,
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_pdf_is_a_pure_function_of_the_data():
    assert schedule_to_pdf(export()) == schedule_to_pdf(export())


def test_pdf_has_every_installment_polish_letters_and_totals():
    # when
    text = pdf_text(schedule_to_pdf(export()))

    # then
    assert "Przedsiębiorstwo Łączności Żółć sp. z o.o." in text
    assert "Harmonogram spłat umowy UL/2026/000120" in text
    lines = text.splitlines()
    assert all(any(line.startswith(f"{n} ") for line in lines) for n in range(1, 121))
    assert "Razem 1 125 000,00" in text.replace("\xa0", " ")
    assert "Strona 4 / 4" in text


def test_pdf_in_english():
    text = pdf_text(schedule_to_pdf(export(months=12, lang="en")))
    assert "Repayment schedule of contract UL/2026/000120" in text
    assert "Capital remaining" in text


def test_xlsx_and_csv_hold_the_same_numbers():
    # given
    data = export(months=24)

    # when
    sheet = openpyxl.load_workbook(io.BytesIO(schedule_to_xlsx(data))).active
    rows = list(csv.reader(io.StringIO(schedule_to_csv(data, dialect="rfc4180").decode())))

    # then
    for index, line in enumerate(data.lines):
        assert sheet.cell(row=4 + index, column=8).value == float(line.capital_remaining)
        assert Decimal(rows[1 + index][7]) == line.capital_remaining
    assert sheet.cell(row=4 + 24, column=1).value == "Razem"
    assert sheet.cell(row=4 + 24, column=3).value == float(sum(line.capital for line in data.lines))


def test_pdf_says_an_overdue_unpaid_installment_as_the_contract_page_does():
    # an outside walk: the page says "nie, zaległa", the PDF said only "nie"
    data = export(months=12)
    lines = tuple(ScheduleLine(**{**line.__dict__, "overdue": line.number == 4}) for line in data.lines)
    text = pdf_text(schedule_to_pdf(ScheduleExport(**{**data.__dict__, "lines": lines})))
    rows = {line.split(" ")[0]: line for line in text.splitlines()}
    assert rows["4"].endswith("nie, zaległa") and rows["5"].endswith("nie")
    assert rows["3"].endswith("tak")


@pytest.mark.django_db
def test_the_export_marks_as_overdue_an_unpaid_installment_past_its_due_date(acme_contract):
    from django.utils import timezone

    from backend.contracts.exports import schedule_export_for

    rows = list(acme_contract.schedule_rows.order_by("number"))
    today = timezone.localdate()
    late = next(row for row in rows if row.due_date < today)
    late.paid = False
    late.save(update_fields=["paid"])
    lines = {line.number: line for line in schedule_export_for(acme_contract, rows).lines}
    assert lines[late.number].overdue
    assert not any(line.overdue for line in lines.values() if line.number != late.number)
