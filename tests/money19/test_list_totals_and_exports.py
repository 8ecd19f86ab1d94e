"""Finding 4: the invoice list and the rows behind a settlement figure show a total of the whole filtered set
(every page, not the one shown) and export exactly that set as XLSX and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, PaymentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(acme):
    contract = ContractFactory(client=acme, number="UL/2026/400001")
    today = timezone.localdate()
    inside = [
        InvoiceFactory(
            client=acme,
            contract=contract,
            issue_date=today - timedelta(days=1),
            net_total=Decimal("100.00"),
            vat_total=Decimal("23.00"),
            gross_total=Decimal("123.00"),
            paid_amount=Decimal("23.00") if n == 0 else Decimal("0.00"),
        )
        for n in range(30)  # more than one page (25)
    ]
    outside = InvoiceFactory(client=acme, contract=contract, issue_date=today - timedelta(days=40))
    return inside, outside, today


def _filter(today) -> str:
    day = today - timedelta(days=1)
    return f"issue_date_from={day:%Y-%m-%d}&issue_date_to={day:%Y-%m-%d}"


def test_the_invoice_list_totals_every_filtered_invoice(client, client_user, invoices):
    _inside, _outside, today = invoices
    client.force_login(client_user)

    body = client.get(f"/invoices/?{_filter(today)}").content.decode().replace("\xa0", " ")

    assert 'data-testid="list-totals"' in body
    assert "30 pozycji" in body
    assert "3 000,00 zł" in body  # net of all 30, not of the 25 shown
    assert "690,00 zł" in body  # VAT
    assert "3 690,00 zł" in body  # gross
    assert "3 667,00 zł" in body  # remaining: one invoice is 23,00 paid
    assert f"?{_filter(today).replace('&', '&amp;')}&amp;download=xlsx" in body


def test_the_invoice_list_exports_exactly_the_filtered_set(client, client_user, invoices):
    inside, outside, today = invoices
    client.force_login(client_user)

    response = client.get(f"/invoices/?{_filter(today)}&download=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    xlsx = client.get(f"/invoices/?{_filter(today)}&download=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="faktury_')
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Numer faktury", "Umowa", "Data wystawienia"]
    numbers = {row[0] for row in body if row[0] != "Razem"}
    assert numbers == {invoice.number for invoice in inside}
    assert outside.number not in numbers
    assert body[0][1] == "UL/2026/400001"
    assert body[0][2] == f"{today - timedelta(days=1):%d.%m.%Y}"
    total = next(row for row in body if row[0] == "Razem")
    assert total[5:9] == ["3000,00", "690,00", "3690,00", "3667,00"]
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    first = next(row for row in values if row[0] == inside[0].number or row[0] in numbers)
    assert hasattr(first[2], "year")  # a real date
    assert isinstance(first[7], float | int) and Decimal(str(first[7])) == Decimal("123")
    assert values[-1][0] == "Razem" and Decimal(str(values[-1][7])) == Decimal("3690")


def test_the_paid_rows_have_a_total_and_export(client, client_user, acme):
    for _n in range(30):
        PaymentFactory(invoice=InvoiceFactory(client=acme), amount=Decimal("10.05"))
    client.force_login(client_user)

    body = client.get("/settlements/paid/").content.decode().replace("\xa0", " ")
    response = client.get("/settlements/paid/?download=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    assert "301,50 zł" in body
    assert response["Content-Disposition"].startswith('attachment; filename="rozliczenia_wplaty_')
    assert len([row for row in rows[1:] if row[0] != "Razem"]) == 30
    assert rows[-1][0] == "Razem" and rows[-1][-1] == "301,50"


def test_a_role_without_exports_gets_no_file(client, acme, invoices):
    fleet = MembershipFactory(user=UserFactory(email="flota@acme.pl"), client=acme, role="fleet_manager")
    client.force_login(fleet.user)

    assert client.get("/invoices/?download=csv").status_code == 403  # no invoices at all
    assert client.get("/invoices/?download=pdf").status_code in (403, 404)
