"""What the portal says about money limits: a value change's "already repaid" names the capital of the
paid installments (an overdue one is owed, not repaid), a buyout date past the last installment names that
installment's date, and the staff's contract card names the next installment to come."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.core.money import format_date, format_money
from tests.factories import ContractFactory
from tests.logged_in_clients import browsing_as
from tests.money15.helpers import next_installment
from tests.requests_app.helpers import submission
from tests.staff_walk14.helpers import submit_other, task_page_text

pytestmark = pytest.mark.django_db


def with_overdue_installment(contract):
    """The contract with its last installment due before today left unpaid: overdue, owed, not repaid."""
    overdue = contract.schedule_rows.filter(due_date__lt=timezone.localdate()).order_by("-number").first()
    contract.schedule_rows.filter(pk=overdue.pk).update(paid=False)
    return overdue


def paid_capital(contract) -> Decimal:
    return sum((row.capital for row in contract.schedule_rows.filter(paid=True)), Decimal("0.00"))


def refused_value(api, contract, amount: str) -> str:
    data = {"option": "additional_equipment", "net_amount": amount, "currency": "PLN"}
    response = api.post(
        "/api/requests/", submission("contract_value_change", contract=contract, data=data), format="json"
    )
    assert response.status_code == 400
    return " ".join(message for messages in response.json()["fields"].values() for message in messages)


def test_a_value_refusal_names_the_capital_repaid_and_apart_the_overdue_capital(api_as, client_user, acme):
    contract = ContractFactory(client=acme, residual_percent=Decimal("0.00"))
    overdue = with_overdue_installment(contract)
    repaid = paid_capital(contract)

    message = refused_value(api_as(client_user), contract, "1000.00")

    assert (
        f"Kwota netto po zmianie musi być wyższa niż {format_money(repaid + overdue.capital)}: "
        f"{format_money(repaid)} kapitału jest już spłacone, a {format_money(overdue.capital)} przypada na "
        "raty już wymagalne lub zafakturowane, których zmiana nie obejmuje."
    ) in message


def test_with_a_final_value_the_refusal_still_separates_repaid_and_overdue(api_as, client_user, acme):
    contract = ContractFactory(client=acme)  # a final value of 10%
    overdue = with_overdue_installment(contract)
    repaid = paid_capital(contract)

    message = refused_value(api_as(client_user), contract, "100.00")

    assert (
        f"{format_money(repaid)} kapitału jest już spłacone, {format_money(overdue.capital)} przypada"
        in message
    )
    assert f"{format_money(repaid + overdue.capital)} kapitału jest już spłacone" not in message


def test_a_buyout_date_past_the_last_installment_names_its_date(api_as, client_user, acme_contract):
    last = acme_contract.schedule_rows.order_by("-number").first()
    assert acme_contract.end_date > last.due_date  # the contract ends after its last installment

    response = api_as(client_user).post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/",
        {"effective_date": (last.due_date + timedelta(days=1)).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["effective_date"] == [
        f"Data zakończenia nie może być późniejsza niż termin ostatniej raty, {format_date(last.due_date)}."
    ]


def test_the_staff_contract_card_names_the_next_installment_to_come_not_an_overdue_one(
    api_as, client_user, bok_staff, acme_contract
):
    overdue = with_overdue_installment(acme_contract)
    coming = next_installment(acme_contract)
    request_id = submit_other(api_as(client_user), acme_contract)

    text = task_page_text(browsing_as(bok_staff), request_id)

    assert f"Najbliższa rata nr {coming.number}, termin {format_date(coming.due_date)}" in text
    assert f"Najbliższa rata nr {overdue.number}," not in text
