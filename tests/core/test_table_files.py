"""A list downloaded as a spreadsheet keeps a text that looks like a formula as text (core/table_files.py):
a transfer title such as "=HYPERLINK(…)" must not become a live formula in the client's Excel."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.factories import InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db
TITLE = '=HYPERLINK("https://example.com/","Zapłać tutaj")'


def test_a_transfer_title_like_a_formula_stays_text_in_the_xlsx_and_the_csv(client, client_user, acme):
    # given a payment whose transfer title, typed by whoever paid, starts with "="
    PaymentFactory(invoice=InvoiceFactory(client=acme), amount=Decimal("10.00"), reference=TITLE)
    client.force_login(client_user)

    # when the paid rows are downloaded as XLSX and as CSV
    xlsx = client.get("/settlements/paid/?download=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    response = client.get("/settlements/paid/?download=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    # then the XLSX holds the title as a string, not a formula, and the CSV keeps it behind an apostrophe
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == TITLE]
    assert len(cells) == 1 and cells[0].data_type == "s"
    record = next(row for row in rows[1:] if row[0] != "Razem")
    assert record[3] == "'" + TITLE
    # and the amounts stay numbers: only texts are guarded, a negative amount would not be
    assert record[5] == "10,00"
