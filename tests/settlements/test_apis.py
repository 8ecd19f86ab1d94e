from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.invoices.models import Compensation, Invoice, Payment
from backend.invoices.services import record_compensation, record_payment
from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

SUMMARY = "/api/settlements/"


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def books(acme, other_company):
    """Two contracts, one invoice without a contract, an EUR invoice, and another client's invoices."""
    today = timezone.localdate()
    first = ContractFactory(client=acme, number="UL/1")
    second = ContractFactory(client=acme, number="UL/2")
    paid = InvoiceFactory(client=acme, contract=first, gross_total=Decimal("1230.00"))
    record_payment(invoice=paid, amount=Decimal("1230.00"), paid_on=today)
    overdue = InvoiceFactory(
        client=acme, contract=first, gross_total=Decimal("615.50"), due_date=today - timedelta(days=3)
    )
    record_payment(invoice=overdue, amount=Decimal("100.25"), paid_on=today)
    record_compensation(invoice=overdue, amount=Decimal("15.25"), compensated_on=today, note_number="KP/1")
    InvoiceFactory(client=acme, contract=second, gross_total=Decimal("999.99"), due_date=today)
    InvoiceFactory(
        client=acme, contract=None, gross_total=Decimal("10.01"), due_date=today - timedelta(days=1)
    )
    InvoiceFactory(client=acme, contract=second, gross_total=Decimal("50.00"), currency="EUR")
    foreign = InvoiceFactory(
        client=other_company, gross_total=Decimal("7777.77"), due_date=today - timedelta(days=9)
    )
    record_payment(invoice=foreign, amount=Decimal("7.77"), paid_on=today)
    return {"first": first, "second": second}


def _money(value: str) -> Decimal:
    return Decimal(value)


def test_totals_per_currency(api, books):
    # when
    totals = {row["currency"]: row for row in api.get(SUMMARY).json()["totals"]}

    # then: remaining of 615.50-115.50 + 999.99 + 10.01 (PLN)
    assert _money(totals["PLN"]["due"]) == Decimal("1510.00")
    assert _money(totals["PLN"]["overdue"]) == Decimal("510.01")
    assert _money(totals["PLN"]["paid"]) == Decimal("1330.25")
    assert _money(totals["PLN"]["compensations"]) == Decimal("15.25")
    assert _money(totals["EUR"]["due"]) == Decimal("50.00")


def test_per_contract_figures(api, books):
    # when
    contracts = {row["contract_number"]: row for row in api.get(SUMMARY).json()["contracts"]}

    # then
    first = {a["currency"]: a for a in contracts["UL/1"]["amounts"]}["PLN"]
    assert _money(first["due"]) == Decimal("500.00")
    assert _money(first["overdue"]) == Decimal("500.00")
    assert _money(first["paid"]) == Decimal("1330.25")
    assert _money(first["compensations"]) == Decimal("15.25")
    assert {a["currency"] for a in contracts["UL/2"]["amounts"]} == {"EUR", "PLN"}
    assert _money(contracts[None]["amounts"][0]["overdue"]) == Decimal("10.01")


@pytest.mark.parametrize("figure", ["due", "overdue", "paid", "compensations"])
def test_each_figure_equals_the_sum_of_its_detail_rows(api, acme, books, figure):
    # given
    summary = api.get(SUMMARY).json()

    # when
    rows = api.get(f"{SUMMARY}{figure}/", {"page_size": 200}).json()["results"]

    # then
    amount_of = (
        (lambda r: Decimal(r["remaining_amount"]))
        if figure in {"due", "overdue"}
        else (lambda r: Decimal(r["amount"]))
    )
    for currency_row in summary["totals"]:
        currency = currency_row["currency"]
        assert sum((amount_of(r) for r in rows if r["currency"] == currency), Decimal("0")) == Decimal(
            currency_row[figure]
        )


@pytest.mark.parametrize("figure", ["due", "overdue", "paid", "compensations"])
def test_figures_match_the_underlying_rows_per_contract(api, acme, books, figure):
    # given
    contract = books["first"]
    today = timezone.localdate()
    if figure == "paid":
        expected = sum(p.amount for p in Payment.objects.filter(client=acme, invoice__contract=contract))
    elif figure == "compensations":
        expected = sum(c.amount for c in Compensation.objects.filter(client=acme, invoice__contract=contract))
    else:
        invoices = Invoice.objects.filter(client=acme, contract=contract, currency="PLN")
        expected = sum(
            i.remaining_amount
            for i in invoices
            if i.status != "paid" and (figure == "due" or i.due_date < today)
        )

    # when
    summary = api.get(SUMMARY).json()
    rows = api.get(f"{SUMMARY}{figure}/", {"contract": contract.pk}).json()["results"]

    # then
    figure_value = next(r for r in summary["contracts"] if r["contract_id"] == contract.pk)["amounts"]
    assert Decimal({a["currency"]: a for a in figure_value}["PLN"][figure]) == expected
    assert len(rows) >= 1


def test_other_clients_rows_never_count(api, books):
    rows = api.get(f"{SUMMARY}paid/", {"page_size": 200}).json()["results"]
    assert Decimal("7.77") not in {Decimal(r["amount"]) for r in rows}


def test_detail_for_another_clients_contract_is_empty(api, books, other_company):
    other = ContractFactory(client=other_company)
    InvoiceFactory(client=other_company, contract=other)
    assert api.get(f"{SUMMARY}due/", {"contract": other.pk}).json()["count"] == 0


def test_summary_query_count_does_not_grow(api, acme, django_assert_max_num_queries):
    # given
    contract = ContractFactory(client=acme)
    for _ in range(30):
        record_payment(
            invoice=InvoiceFactory(client=acme, contract=contract),
            amount=Decimal("1"),
            paid_on=timezone.localdate(),
        )

    # when / then: session, user, active client, four grouped sums, and the session save
    with django_assert_max_num_queries(10):
        assert api.get(SUMMARY).status_code == 200


def test_detail_rejects_a_bad_contract_filter(api, books):
    response = api.get(f"{SUMMARY}due/", {"contract": "abc"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"contract"}


def test_unknown_figure_is_not_found(api):
    assert api.get(f"{SUMMARY}interest/").status_code == 404
