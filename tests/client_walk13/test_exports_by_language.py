"""Schedule exports and charts in the page's language: the settlements page's CSV tile gives the plain
RFC 4180 CSV in English (commas, decimal point, ISO dates, no BOM) and Polish Excel's in Polish; XLSX
dates are real dates shown in the language's format; chart months follow the language (11.2025 /
2025-11)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backend.invoices.models import Invoice
from tests.client_correctness.helpers import visible_text
from tests.factories import InvoiceFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    return client_user


def csv_from_tile(client, contract) -> bytes:
    tile = client.get(reverse("schedule-download"), {"contract": contract.pk, "format": "csv"})
    assert tile.status_code == 302
    response = client.get(tile["Location"])
    assert response.status_code == 200
    return response.content


def test_the_english_csv_tile_gives_the_plain_csv(client, english, acme_contract):
    content = csv_from_tile(logged_in(client, english), acme_contract)

    assert not content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert rows[0][:3] == ["Installment no.", "Due date", "Capital"]
    first = acme_contract.schedule_rows.order_by("number").first()
    assert rows[1][1] == first.due_date.isoformat()
    assert rows[1][4] == f"{first.net:.2f}"  # a decimal point, no thousands separator


def test_the_polish_csv_tile_keeps_polish_excels_csv(client, client_user, acme_contract):
    content = csv_from_tile(logged_in(client, client_user), acme_contract)

    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    first = acme_contract.schedule_rows.order_by("number").first()
    assert rows[1][1] == first.due_date.strftime("%d.%m.%Y")
    assert rows[1][4] == f"{first.net:.2f}".replace(".", ",")


@pytest.mark.parametrize(("language", "date_format"), [("en", "YYYY-MM-DD"), ("pl", "DD.MM.YYYY")])
def test_xlsx_dates_are_real_dates_in_the_languages_format(
    client, client_user, acme_contract, language, date_format
):
    client_user.language = language
    client_user.save(update_fields=["language"])

    response = logged_in(client, client_user).get(reverse("contract-schedule-xlsx", args=[acme_contract.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=4, column=2)
    assert cell.is_date
    assert cell.value.date() == acme_contract.schedule_rows.order_by("number").first().due_date
    assert cell.number_format == date_format


def chart_labels(html: str) -> list[str]:
    payload = re.search(r'<script id="client-charts" type="application/json">(.*?)</script>', html, re.S)
    charts = json.loads(payload.group(1))
    first = charts[0] if isinstance(charts, list) else charts
    return first["labels"]


def test_the_contract_chart_months_follow_the_language(client, client_user, english, acme_contract):
    first_due: date = acme_contract.schedule_rows.order_by("number").first().due_date
    page = logged_in(client, english).get(reverse("contract-page", args=[acme_contract.pk])).content.decode()
    assert chart_labels(page)[0] == first_due.strftime("%Y-%m")

    english.language = "pl"
    english.save(update_fields=["language"])
    page = client.get(reverse("contract-page", args=[acme_contract.pk])).content.decode()
    assert chart_labels(page)[0] == first_due.strftime("%m.%Y")


def test_the_settlement_months_follow_the_language(client, english, acme, acme_contract):
    # due in an earlier month: the charts cover the last 12 months
    issued = timezone.localdate() - timedelta(days=60)
    invoice: Invoice = InvoiceFactory(client=acme, contract=acme_contract, issue_date=issued)
    page = logged_in(client, english).get(reverse("settlements")).content.decode()
    month = invoice.due_date.strftime("%Y-%m")
    assert month in chart_labels(page)
    assert month in visible_text(page)  # the table under the chart too
    assert invoice.due_date.strftime("%m.%Y") not in visible_text(page)
