import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pypdf
import pytest

from backend.contracts.models import Contract, ScheduleRow
from tests.factories import ContractFactory, InsurancePolicyFactory, LeasedItemFactory, SerialNumberFactory

pytestmark = pytest.mark.django_db

LIST = "/api/contracts/"


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


def test_list_shows_own_contracts_with_item_and_capital_remaining(api, acme, acme_contract, other_contract):
    # given
    LeasedItemFactory(contract=acme_contract, name="Koparka Łańcuchowa")
    last_paid = acme_contract.schedule_rows.filter(paid=True).order_by("-number").first()

    # when
    response = api.get(LIST)

    # then
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["number"] == acme_contract.number
    assert row["item_name"] == "Koparka Łańcuchowa"
    assert Decimal(row["capital_remaining"]) == last_paid.capital_remaining
    assert row["status"] == "active"


def test_capital_remaining_is_the_whole_amount_before_the_first_paid_installment(api, acme):
    # given
    contract = ContractFactory(client=acme, net_value=Decimal("50000.00"))
    contract.schedule_rows.update(paid=False)

    # when
    [row] = api.get(LIST).json()["results"]

    # then
    assert Decimal(row["capital_remaining"]) == Decimal("50000.00")


def test_capital_remaining_follows_the_last_paid_installment(api, acme):
    # given
    contract = ContractFactory(client=acme)
    contract.schedule_rows.update(paid=False)
    contract.schedule_rows.filter(number__lte=5).update(paid=True)

    # when
    [row] = api.get(LIST).json()["results"]

    # then
    assert Decimal(row["capital_remaining"]) == contract.schedule_rows.get(number=5).capital_remaining


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"number": "LOAN"}, {"PZ/LOAN/1"}),
        ({"type": "loan"}, {"PZ/LOAN/1"}),
        ({"status": "closed"}, {"UL/CLOSED/1"}),
        ({"currency": "EUR"}, {"UL/EUR/1"}),
        ({"start_date_from": "2026-01-01"}, {"UL/EUR/1"}),
        ({"end_date_to": "2027-12-31"}, {"PZ/LOAN/1", "UL/CLOSED/1"}),
    ],
)
def test_contract_filters(api, acme, params, expected):
    # given
    ContractFactory(
        client=acme, number="PZ/LOAN/1", type="loan", start_date=date(2024, 5, 1), end_date=date(2027, 5, 1)
    )
    ContractFactory(
        client=acme,
        number="UL/CLOSED/1",
        status="closed",
        start_date=date(2024, 1, 1),
        end_date=date(2027, 1, 1),
    )
    ContractFactory(
        client=acme, number="UL/EUR/1", currency="EUR", start_date=date(2026, 2, 1), end_date=date(2029, 2, 1)
    )

    # when
    response = api.get(LIST, params)

    # then
    assert {row["number"] for row in response.json()["results"]} == expected


def test_detail_schedule_items_and_policies(api, acme_contract):
    # given
    item = LeasedItemFactory(contract=acme_contract)
    SerialNumberFactory(item=item, value="TMBJJ7NE000000001")
    InsurancePolicyFactory(contract=acme_contract, status="expired", number="OLD-1")
    active = InsurancePolicyFactory(contract=acme_contract, number="POL-ACTIVE")
    base = f"{LIST}{acme_contract.pk}/"

    # when
    detail = api.get(base).json()
    schedule = api.get(f"{base}schedule/").json()
    items = api.get(f"{base}items/").json()
    policies = api.get(f"{base}policies/").json()
    active_policy = api.get(f"{base}policies/active/").json()
    one_policy = api.get(f"{base}policies/{active.pk}/").json()

    # then
    assert detail["months"] == 36
    assert len(schedule) == 36
    assert schedule[0]["number"] == 1
    assert set(schedule[0]) >= {"capital", "interest", "net", "vat", "gross", "capital_remaining", "paid"}
    assert items[0]["serial_numbers"] == [{"kind": "VIN", "value": "TMBJJ7NE000000001"}]
    assert {p["number"] for p in policies} == {"OLD-1", "POL-ACTIVE"}
    assert active_policy["number"] == "POL-ACTIVE"
    assert set(active_policy) >= {
        "insurer",
        "scope",
        "sum_insured",
        "period_start",
        "period_end",
        "premium",
        "status",
    }
    assert one_policy["id"] == active.pk


def test_no_active_policy_is_not_found(api, acme_contract):
    InsurancePolicyFactory(contract=acme_contract, status="expired")
    assert api.get(f"{LIST}{acme_contract.pk}/policies/active/").status_code == 404


@pytest.mark.parametrize(
    "suffix",
    [
        "",
        "schedule/",
        "schedule/pdf/",
        "schedule/xlsx/",
        "schedule/csv/",
        "items/",
        "policies/",
        "policies/active/",
    ],
)
def test_another_clients_contract_and_schedule_are_not_found(api, other_contract, suffix):
    InsurancePolicyFactory(contract=other_contract)
    assert api.get(f"{LIST}{other_contract.pk}/{suffix}").status_code == 404


def test_policy_of_another_contract_is_not_found(api, acme_contract, other_contract):
    foreign = InsurancePolicyFactory(contract=other_contract)
    assert api.get(f"{LIST}{acme_contract.pk}/policies/{foreign.pk}/").status_code == 404


# --- downloads --------------------------------------------------------------------------------------


def test_schedule_xlsx_has_real_numbers_dates_and_formats(api, acme_contract):
    # when
    response = api.get(f"{LIST}{acme_contract.pk}/schedule/xlsx/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A4"
    assert sheet["A3"].value == "Nr raty"
    first = ScheduleRow.objects.get(contract=acme_contract, number=1)
    assert sheet["A4"].value == 1
    assert isinstance(sheet["B4"].value, datetime)
    assert sheet["B4"].value.date() == first.due_date
    assert sheet["C4"].value == pytest.approx(float(first.capital))
    assert sheet["C4"].number_format == "#,##0.00"
    assert sheet["B4"].number_format == "DD.MM.YYYY"
    assert sheet.column_dimensions["H"].width > 10
    rows = list(sheet.iter_rows(min_row=4, max_row=3 + 36, values_only=True))
    assert [r[0] for r in rows] == list(range(1, 37))


def test_schedule_csv_for_polish_excel(api, acme_contract):
    # when
    response = api.get(f"{LIST}{acme_contract.pk}/schedule/csv/")

    # then
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    first = ScheduleRow.objects.get(contract=acme_contract, number=1)
    assert rows[0][0] == "Nr raty"
    assert rows[1][0] == "1"
    assert rows[1][1] == first.due_date.strftime("%d.%m.%Y")
    assert rows[1][2] == f"{first.capital:.2f}".replace(".", ",")
    assert len(rows) == 37


def test_schedule_csv_rfc4180_variant(api, acme_contract):
    # when
    response = api.get(f"{LIST}{acme_contract.pk}/schedule/csv/", {"dialect": "rfc4180"})

    # then
    assert not response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    first = ScheduleRow.objects.get(contract=acme_contract, number=1)
    assert rows[1][1] == first.due_date.isoformat()
    assert Decimal(rows[1][7]) == first.capital_remaining


def test_schedule_csv_rejects_unknown_dialect(api, acme_contract):
    response = api.get(f"{LIST}{acme_contract.pk}/schedule/csv/", {"dialect": "tsv"})
    assert response.status_code == 400
    assert "dialect" in response.json()["fields"]


def test_schedule_pdf(api, acme_contract):
    # when
    response = api.get(f"{LIST}{acme_contract.pk}/schedule/pdf/")

    # then
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert acme_contract.number in text
    assert "Kapitał pozostały" in text  # the header cell wraps; pypdf joins the lines without a space
    assert "Zapłacona" in text
    assert "ACME Logistyka" in text


@pytest.mark.parametrize("rows", [3, 30])
def test_contract_list_query_count_is_bounded(api, acme, rows, django_assert_max_num_queries):
    # given
    for _ in range(rows):
        LeasedItemFactory(contract=ContractFactory(client=acme, months=12))

    # when / then: session, user, active client, count, page, and the session save
    with django_assert_max_num_queries(8):
        response = api.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == rows
    assert Contract.objects.count() == rows
