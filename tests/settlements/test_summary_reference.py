"""The settlement summary, whole, against a plain Python sum of the rows a user may see (#18 reads it in
fewer statements: the figures and their order must not change)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from backend.invoices.models import Compensation, Invoice, Payment
from backend.invoices.services import record_compensation, record_payment
from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, PaymentFactory, UserFactory

pytestmark = pytest.mark.django_db

SUMMARY = "/api/settlements/"
FIGURES = ("due", "overdue", "paid", "compensations")


def reference_summary(client, contract_ids=None) -> dict:
    """The summary computed from the rows in Python: what the API must answer, as JSON."""
    today = timezone.localdate()
    contracts: dict = {}

    def add(contract, currency: str, figure: str, amount: Decimal) -> None:
        key = contract.pk if contract else None
        entry = contracts.setdefault(
            key, {"contract_id": key, "contract_number": contract.number if contract else None, "amounts": {}}
        )
        amounts = entry["amounts"].setdefault(currency, dict.fromkeys(FIGURES, Decimal("0.00")))
        amounts[figure] += amount

    def visible(contract) -> bool:
        return contract_ids is None or (contract is not None and contract.pk in contract_ids)

    for invoice in Invoice.objects.filter(client=client).select_related("contract"):
        if visible(invoice.contract) and invoice.paid_amount < invoice.gross_total:
            add(invoice.contract, invoice.currency, "due", invoice.gross_total - invoice.paid_amount)
            if invoice.due_date < today:
                add(invoice.contract, invoice.currency, "overdue", invoice.gross_total - invoice.paid_amount)
    for payment in Payment.objects.filter(client=client).select_related("invoice__contract"):
        contract = payment.invoice.contract if payment.invoice else None
        if visible(contract):
            add(contract, payment.currency, "paid", payment.amount)
    for compensation in Compensation.objects.filter(client=client).select_related("invoice__contract"):
        if visible(compensation.invoice.contract):
            add(compensation.invoice.contract, compensation.currency, "compensations", compensation.amount)

    def as_list(amounts: dict) -> list[dict]:
        return [
            {"currency": currency, **{f: f"{amounts[currency][f]:.2f}" for f in FIGURES}}
            for currency in sorted(amounts)
        ]

    totals: dict = {}
    for entry in contracts.values():
        for currency, amounts in entry["amounts"].items():
            total = totals.setdefault(currency, dict.fromkeys(FIGURES, Decimal("0.00")))
            for figure in FIGURES:
                total[figure] += amounts[figure]
    per_contract = sorted(
        contracts.values(), key=lambda e: (e["contract_number"] is None, e["contract_number"] or "")
    )
    return {
        "totals": as_list(totals),
        "contracts": [{**entry, "amounts": as_list(entry["amounts"])} for entry in per_contract],
        "agreed_buyouts": [],  # none agreed here (tests/effects_walk/test_agreed_buyout.py)
    }


@pytest.fixture
def books(acme, other_company):
    """Contracts with settled, overdue, partly paid, EUR and contract-less invoices; another client's."""
    today = timezone.localdate()
    first = ContractFactory(client=acme, number="UL/B")
    second = ContractFactory(client=acme, number="UL/A")
    third = ContractFactory(client=acme, number="UL/C")  # only a payment
    settled = InvoiceFactory(client=acme, contract=first, gross_total=Decimal("1230.00"))
    record_payment(invoice=settled, amount=Decimal("1230.00"), paid_on=today)
    overdue = InvoiceFactory(
        client=acme, contract=first, gross_total=Decimal("615.55"), due_date=today - timedelta(days=3)
    )
    record_payment(invoice=overdue, amount=Decimal("100.25"), paid_on=today)
    record_compensation(invoice=overdue, amount=Decimal("15.25"), compensated_on=today, note_number="KP/1")
    InvoiceFactory(client=acme, contract=second, gross_total=Decimal("999.99"), due_date=today)
    InvoiceFactory(
        client=acme, contract=second, gross_total=Decimal("0.10"), due_date=today - timedelta(days=1)
    )
    eur = InvoiceFactory(
        client=acme, contract=second, gross_total=Decimal("50.00"), currency="EUR", due_date=today
    )
    record_compensation(invoice=eur, amount=Decimal("5.00"), compensated_on=today, note_number="KP/2")
    InvoiceFactory(
        client=acme, contract=None, gross_total=Decimal("10.01"), due_date=today - timedelta(days=1)
    )
    paid_third = InvoiceFactory(client=acme, contract=third, gross_total=Decimal("20.00"))
    record_payment(invoice=paid_third, amount=Decimal("20.00"), paid_on=today)
    PaymentFactory(invoice=None, client=acme, amount=Decimal("3.33"), currency="EUR")
    foreign = InvoiceFactory(client=other_company, gross_total=Decimal("7777.77"), due_date=today)
    record_payment(invoice=foreign, amount=Decimal("7.77"), paid_on=today)
    return {"first": first, "second": second, "third": third}


def test_the_summary_is_the_sum_of_the_rows(api_as, client_user, acme, books):
    response = api_as(client_user).get(SUMMARY)

    assert response.status_code == 200
    assert response.json() == reference_summary(acme)
    assert [c["contract_number"] for c in response.json()["contracts"]] == ["UL/A", "UL/B", "UL/C", None]


def test_a_limited_user_sums_only_the_rows_of_its_contracts(acme, books):
    membership = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant", all_contracts=False
    )
    membership.contracts.set([books["first"], books["third"]])
    api = APIClient()
    api.force_login(membership.user)

    summary = api.get(SUMMARY).json()

    assert summary == reference_summary(acme, {books["first"].pk, books["third"].pk})
    assert [c["contract_number"] for c in summary["contracts"]] == ["UL/B", "UL/C"]


def test_a_client_with_nothing_to_settle_has_an_empty_summary(api_as, client_user):
    assert api_as(client_user).get(SUMMARY).json() == {"totals": [], "contracts": [], "agreed_buyouts": []}


def test_the_summary_reads_its_figures_in_three_statements(api_as, client_user, books):
    api = api_as(client_user)
    api.get(SUMMARY)  # the session's first request stamps it (a write)

    with CaptureQueriesContext(connection) as captured:
        assert api.get(SUMMARY).status_code == 200

    figures = [q["sql"] for q in captured.captured_queries if "invoices_" in q["sql"]]
    assert len(figures) == 3, figures  # unsettled invoices (due and overdue), payments, compensations
