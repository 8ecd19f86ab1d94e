"""A buyout quote is released at once when its request ends without a buyout: withdrawn by the client,
cancelled in the repair console, or timed out waiting for the client's answer to a counter-offer. Nobody
refused it then: it is cancelled with its request, never "declined" (that is staff's rejection, or the client's
answer to a counter-offer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from backend.contracts.models import BuyoutQuote, Contract
from backend.requests_app import repair_steps
from backend.requests_app.models import PortalRequest
from backend.requests_app.timers import sweep_due_timers
from tests.requests_app.test_early_termination import make_quote, request_from

pytestmark = pytest.mark.django_db


def quote_status(quote: dict) -> str:
    return BuyoutQuote.objects.get(pk=quote["id"]).status


def counter(staff_api, request_id: int) -> None:
    response = staff_api.post(
        f"/api/staff/requests/{request_id}/buyout-counter/",
        {"total": "50000.00", "reason": "Rabat za terminowe płatności"},
        format="json",
    )
    assert response.status_code == 200, response.json()


def test_a_withdrawn_request_releases_its_quote_at_once(api_as, client_user, acme_contract):
    client_api = api_as(client_user)
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    assert quote_status(quote) == "requested"

    # when the client withdraws the request
    response = client_api.post(f"/api/requests/{submitted['id']}/cancel/")

    # then the quote is no longer held (nor binding), and the contract runs on
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert quote_status(quote) == "cancelled"
    assert Contract.objects.get(pk=acme_contract.pk).status == Contract.Status.ACTIVE
    listed = client_api.get(f"/api/contracts/{acme_contract.pk}/buyout-quotes/").json()
    assert [q["status"] for q in listed if q["id"] == quote["id"]] == ["cancelled"]


def test_a_request_withdrawn_during_a_counter_offer_releases_it(
    api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    counter(api_as(bok_staff), submitted["id"])
    assert quote_status(quote) == "countered"

    assert api_as(client_user).post(f"/api/requests/{submitted['id']}/cancel/").status_code == 200
    assert quote_status(quote) == "cancelled"


def test_a_request_cancelled_in_the_repair_console_releases_it(api_as, client_user, analyst, acme_contract):
    client_api = api_as(client_user)
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    instance_id = PortalRequest.objects.get(pk=submitted["id"]).process_instance_id

    repair_steps.cancel_instance(instance_id=instance_id, reason="Duplikat.", by=analyst)

    assert PortalRequest.objects.get(pk=submitted["id"]).status == "cancelled"
    assert quote_status(quote) == "cancelled"


def test_a_counter_offer_left_unanswered_times_out_and_releases_it(
    api_as, client_user, bok_staff, acme_contract
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client_api = api_as(client_user)
        quote = make_quote(client_api, acme_contract)
        submitted = request_from(client_api, acme_contract, quote)
        counter(api_as(bok_staff), submitted["id"])

        # when 30 days pass without the client's answer (the 14-day reminder fires on the way)
        traveller.move_to(start + timedelta(days=14, minutes=1))
        sweep_due_timers()
        assert quote_status(quote) == "countered"
        traveller.move_to(start + timedelta(days=30, minutes=1))
        sweep_due_timers()

        # then the request is cancelled and the quote released
        assert PortalRequest.objects.get(pk=submitted["id"]).status == "cancelled"
        assert quote_status(quote) == "cancelled"
