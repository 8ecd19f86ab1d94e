"""An installment plan that leaves capital unpaid is refused before submit, naming the capital left."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.core.money import format_money
from backend.requests_app.change_plans import schedule_change_plan_for
from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import submission, visible_text
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(acme):
    # About 198 000 zł of capital still to repay over the remaining installments.
    return ContractFactory(
        client=acme, net_value=Decimal("240000.00"), months=48, residual_percent=Decimal("1")
    )


def remaining_count(contract) -> int:
    return contract.schedule_rows.filter(paid=False).count()


def underpaying(contract) -> list[str]:
    return ["2500.00"] * remaining_count(contract)


def test_the_contract_has_about_198k_of_capital_left(contract):
    first = contract.schedule_rows.filter(paid=False).order_by("number").first()
    assert Decimal("150000") < first.capital_remaining + first.capital < Decimal("240000")


def test_the_preview_warns_that_it_will_be_refused_and_names_the_remaining_capital(
    api_as, client_user, contract
):
    body = {
        "contract_id": contract.pk,
        "installment_option": "amount",
        "net_installments": underpaying(contract),
    }
    response = api_as(client_user).post("/api/requests/schedule-quote/", body, format="json")
    # The schedule is still shown (its first rows look harmless), with the refusal spelled out.
    assert response.status_code == 200
    payload = response.json()
    assert payload["refused"] is True
    plan = schedule_change_plan_for(
        contract, {"installment_option": "amount", "net_installments": underpaying(contract)}
    )
    assert format_money(plan.installments[-1].capital, "PLN") in payload["warning"]
    assert Decimal(payload["installments"][-1]["capital"]) == plan.installments[-1].capital
    assert "nie spłacają kapitału" in payload["warning"]


def test_the_submit_refuses_it_too(api_as, client_user, contract):
    body = submission(
        "schedule_change",
        contract=contract,
        data={"installment_option": "amount", "net_installments": underpaying(contract)},
    )
    response = api_as(client_user).post("/api/requests/", body, format="json")
    assert response.status_code == 400
    assert "nie spłacają kapitału" in str(response.json())
    assert not PortalRequest.objects.exists()


def test_the_page_shows_the_refusal_with_the_capital(client, client_user, contract):
    form = {
        "idempotency_key": "k-1",
        "contract_id": str(contract.pk),
        "data__residual_percent": "",
        "data__months": "",
        "data__installment_option": "amount",
        "data__net_installments": "\n".join(["2 500,00"] * remaining_count(contract)),
        "contact__name": "Anna Kowalska",
        "contact__phone": "+48 601 234 567",
        "contact__email": "anna.kowalska@acme.pl",
        **{f"declarations__{c}": "on" for c in ("data_true", "privacy_notice", "fees", "authorised")},
    }
    response = logged_in(client, client_user).post("/requests/new/schedule_change/", form)
    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert "nie spłacają kapitału" in text
    assert "zł" in text.split("nie spłacają kapitału", 1)[1][:200]


def test_installments_that_repay_the_capital_are_accepted(api_as, client_user, contract):
    level = schedule_change_plan_for(contract, {"installment_option": "auto"}).installments[0].net
    amounts = [str(level + Decimal("10.00"))] * (remaining_count(contract) - 1)
    body = {"contract_id": contract.pk, "installment_option": "amount", "net_installments": amounts}
    response = api_as(client_user).post("/api/requests/schedule-quote/", body, format="json")
    assert response.status_code == 200, response.json()


def test_keeping_the_installment_while_shortening_the_period_is_refused(api_as, client_user, contract):
    months = contract.months - remaining_count(contract) + 6
    body = {"contract_id": contract.pk, "installment_option": "keep", "months": months}
    response = api_as(client_user).post("/api/requests/schedule-quote/", body, format="json")
    assert response.json()["refused"] is True
    assert "nie spłacają kapitału" in response.json()["warning"]


def test_a_smaller_balloon_is_previewed_with_a_warning_naming_the_capital(api_as, client_user, contract):
    level = schedule_change_plan_for(contract, {"installment_option": "auto"}).installments[0].net
    amounts = [str(level - Decimal("150.00"))] * (remaining_count(contract) - 1)
    body = {"contract_id": contract.pk, "installment_option": "amount", "net_installments": amounts}
    response = api_as(client_user).post("/api/requests/schedule-quote/", body, format="json")
    assert response.status_code == 200, response.json()
    last = response.json()["installments"][-1]
    assert format_money(Decimal(last["capital"]), "PLN") in response.json()["warning"]
    assert "zostaje do spłaty" in response.json()["warning"]
    assert response.json()["refused"] is False


def test_no_warning_for_the_computed_installment(api_as, client_user, contract):
    body = {"contract_id": contract.pk, "installment_option": "auto", "months": 60}
    response = api_as(client_user).post("/api/requests/schedule-quote/", body, format="json")
    assert response.status_code == 200
    assert response.json()["warning"] == ""
    assert response.json()["refused"] is False
