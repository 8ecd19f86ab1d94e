"""An approved contract value change leaves the contract consistent: the capital remaining in the header,
the balance the re-planned installments start from and a line of the schedule saying why it rose agree,
and the end date follows the period (unchanged here)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.contracts.models import Contract
from backend.core.money import format_amount, format_money
from tests.effects_walk.helpers import approve, decision_text, page_text, submit_value_change

pytestmark = pytest.mark.django_db


def test_the_increase_is_the_balance_the_replanned_installments_start_from(
    api_as, client_user, bok_staff, acme_contract
):
    # given a contract of 120 000,00 with some installments paid
    rows = list(acme_contract.schedule_rows.order_by("number"))
    last_paid = max((row for row in rows if row.paid), key=lambda row: row.number)
    balance_before = last_paid.capital_remaining
    end_before = acme_contract.end_date
    client_api = api_as(client_user)
    assert Decimal(client_api.get(f"/api/contracts/{acme_contract.pk}/").json()["capital_remaining"]) == (
        balance_before
    )

    # when the client adds equipment for 10 000,00 and staff approve
    submitted = submit_value_change(client_api, acme_contract, "130000.00")
    assert submitted.status_code == 201, submitted.json()
    assert approve(api_as(bok_staff), submitted.json()["id"]).status_code == 200

    # then the paid rows keep their figures and the first re-planned row starts from the raised balance
    contract = Contract.objects.get(pk=acme_contract.pk)
    after = {row.number: row for row in contract.schedule_rows.order_by("number")}
    assert after[last_paid.number].capital_remaining == balance_before
    first = after[last_paid.number + 1]
    raised = balance_before + Decimal("10000.00")
    assert first.capital_remaining + first.capital == raised
    replanned = [row for number, row in after.items() if number > last_paid.number]
    assert after[max(after)].capital_remaining == Decimal("13000.00")  # 10% of the new 130 000,00
    assert sum(row.capital for row in replanned) == raised - Decimal("13000.00")
    # the header's capital remaining is that raised balance, in the API and on the page
    detail = client_api.get(f"/api/contracts/{contract.pk}/").json()
    assert Decimal(detail["capital_remaining"]) == raised
    listed = next(c for c in client_api.get("/api/contracts/").json()["results"] if c["id"] == contract.pk)
    assert Decimal(listed["capital_remaining"]) == raised
    page = PageClient()
    page.force_login(client_user)
    text = page_text(page, reverse("contract-page", args=[contract.pk]))
    assert f"do spłaty {format_money(raised)}" in text  # "Kapitał pozostały do spłaty"
    # and the schedule says why the balance rose before the first re-planned installment
    assert (
        f"Zmiana wartości umowy: kapitał do spłaty rośnie o {format_amount(Decimal('10000.00'))} "
        f"do {format_amount(raised)} od tej raty." in text
    )
    # the annex names the same balance
    assert f"Kapitał do spłaty od raty nr {first.number}: {format_money(raised)}." in decision_text(
        submitted.json()["id"]
    )
    # the period did not change, so neither did the end date
    assert (contract.months, contract.end_date) == (36, end_before)
    assert contract.net_value == Decimal("130000.00")


def test_a_buyout_quoted_after_the_change_repays_the_raised_balance(
    api_as, client_user, bok_staff, acme_contract
):
    last_paid = max((r for r in acme_contract.schedule_rows.all() if r.paid), key=lambda r: r.number)
    client_api = api_as(client_user)
    submitted = submit_value_change(client_api, acme_contract, "130000.00")
    approve(api_as(bok_staff), submitted.json()["id"])
    first = acme_contract.schedule_rows.get(number=last_paid.number + 1)

    # a quote for the day before the first re-planned installment
    quote = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/",
        {"effective_date": (first.due_date.fromordinal(first.due_date.toordinal() - 1)).isoformat()},
        format="json",
    ).json()

    # settles the raised balance, not the one printed on the last paid row
    raised = last_paid.capital_remaining + Decimal("10000.00")
    assert Decimal(quote["capital_remaining"]) + Decimal(quote["residual_value"]) == raised


def test_a_schedule_change_of_the_period_moves_the_end_by_the_contracts_rule(
    api_as, client_user, bok_staff, acme_contract
):
    from backend.contracts.schedule import due_date_for

    submitted = api_as(client_user).post(
        "/api/requests/",
        {
            "kind": "schedule_change",
            "contract_id": acme_contract.pk,
            "contact": {"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": "a@acme.pl"},
            "declarations": {"data_true": True, "privacy_notice": True, "fees": True, "authorised": True},
            "data": {"months": 48, "installment_option": "auto"},
        },
        format="json",
    )
    assert submitted.status_code == 201, submitted.json()
    approve(api_as(bok_staff), submitted.json()["id"])

    contract = Contract.objects.get(pk=acme_contract.pk)
    start = contract.start_date
    # the day before the start's day 48 months on (from 1.05.2026: 30.04.2030), not the last due date
    expected = due_date_for(first_month=start, offset=48, payment_day=start.day).toordinal() - 1
    assert contract.months == 48
    assert contract.end_date.toordinal() == expected
    assert contract.end_date != contract.schedule_rows.order_by("-number").first().due_date


def test_the_schedule_files_show_the_raised_balance_as_the_page_does(
    api_as, client_user, bok_staff, acme_contract
):
    rows = list(acme_contract.schedule_rows.order_by("number"))
    last_paid = max((row for row in rows if row.paid), key=lambda row: row.number)
    raised = last_paid.capital_remaining + Decimal("10000.00")
    client_api = api_as(client_user)
    submitted = submit_value_change(client_api, acme_contract, "130000.00")
    assert approve(api_as(bok_staff), submitted.json()["id"]).status_code == 200
    first = last_paid.number + 1
    files = f"/api/contracts/{acme_contract.pk}/schedule"

    # the PDF has the page's line of its own just above the first re-planned installment
    pdf = client_api.get(f"{files}/pdf/")
    assert pdf.status_code == 200
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    note = (
        f"Zmiana wartości umowy: kapitał do spłaty rośnie o {format_amount(Decimal('10000.00'))} "
        f"do {format_amount(raised)} od tej raty."
    )
    assert text.count(note) == 1
    after_note = text.split(note, 1)[1].split()
    assert after_note[0] == str(first)

    # the spreadsheets carry it in a column of their own on that installment's record, nowhere else
    sheet = openpyxl.load_workbook(io.BytesIO(client_api.get(f"{files}/xlsx/").content)).active
    header = [cell.value for cell in sheet[3]]
    assert header[-1] == "Zmiana kapitału przed ratą"
    changes = {row[0]: row[-1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[-1] is not None}
    assert changes == {first: Decimal("10000.00")}
    records = list(
        csv.reader(io.StringIO(client_api.get(f"{files}/csv/").content.decode("utf-8-sig")), delimiter=";")
    )
    assert records[0][-1] == "Zmiana kapitału przed ratą"
    assert {record[0]: record[-1] for record in records[1:] if record[-1]} == {str(first): "10000,00"}
