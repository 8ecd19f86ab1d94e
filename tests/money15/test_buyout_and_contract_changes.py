"""A buyout quote is computed from the schedule of its day. While an early termination request holds one,
a change of the contract's figures is refused at approval (staff decide the buyout first); an approved
change expires the contract's free offers, so no client accepts an amount of a schedule that is gone."""

from __future__ import annotations

import pytest

from backend.contracts.models import BuyoutQuote, Contract
from tests.effects_walk.helpers import approve, new_buyout_quote, request_buyout, submit

pytestmark = pytest.mark.django_db


def countered_buyout(client_api, staff_api, contract) -> tuple[dict, dict]:
    """An early termination request whose counter-offer waits for the client: (request, quote)."""
    offer = new_buyout_quote(client_api, contract)
    submitted = request_buyout(client_api, contract, offer["id"])
    assert submitted.status_code == 201, submitted.json()
    countered = staff_api.post(
        f"/api/staff/requests/{submitted.json()['id']}/buyout-counter/",
        {"total": "50000.00", "reason": "Rabat"},
        format="json",
    )
    assert countered.json()["quote"]["status"] == "countered", countered.json()
    return submitted.json(), offer


@pytest.mark.parametrize(
    "kind, data",
    [
        ("schedule_change", {"months": 48, "installment_option": "auto"}),
        ("payment_date_change", {"payment_day": 20, "reason": "cash_flow"}),
    ],
)
def test_a_change_is_refused_at_approval_while_a_buyout_request_holds_a_quote(
    kind, data, api_as, client_user, bok_staff, acme_contract
):
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    buyout, offer = countered_buyout(client_api, staff_api, acme_contract)
    change = submit(client_api, kind, acme_contract, data)
    assert change.status_code == 201, change.json()

    refused = approve(staff_api, change.json()["id"])

    assert refused.status_code == 400
    assert refused.json()["code"] == "buyout_in_progress"
    assert (
        f"Wniosek o wcześniejsze zakończenie umowy {buyout['number']} jest otwarty z wyceną "
        f"{offer['number']}, obliczoną z obecnego harmonogramu"
    ) in refused.json()["fields"]["decision"][0]
    contract = Contract.objects.get(pk=acme_contract.pk)
    assert (contract.months, contract.payment_day) == (36, 10)
    # the client still answers the counter-offer of the schedule it was computed from
    declined = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{offer['id']}/counter-answer/",
        {"accept": False},
        format="json",
    )
    assert declined.status_code == 200, declined.json()

    # once the buyout request has ended the change goes in
    assert approve(staff_api, change.json()["id"]).status_code == 200


def test_an_approved_change_expires_the_contracts_free_offers(api_as, client_user, bok_staff, acme_contract):
    client_api = api_as(client_user)
    offer = new_buyout_quote(client_api, acme_contract)
    change = submit(
        client_api, "schedule_change", acme_contract, {"months": 48, "installment_option": "auto"}
    )
    assert change.status_code == 201, change.json()

    assert approve(api_as(bok_staff), change.json()["id"]).status_code == 200

    assert BuyoutQuote.objects.get(pk=offer["id"]).status == BuyoutQuote.Status.EXPIRED
    refused = request_buyout(client_api, acme_contract, offer["id"])
    assert refused.status_code == 400
    assert "wygasła" in str(refused.json())
