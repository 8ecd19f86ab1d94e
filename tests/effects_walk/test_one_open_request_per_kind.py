"""One open request of each contract-changing kind per contract: a second is refused naming the open one
with its address, a retry with the same Idempotency-Key still answers the first, staff see the other
open requests of the contract on the task page, and a buyout quoted on a schedule another request changed
is no longer accepted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone

from backend.contracts.models import BuyoutQuote, Contract
from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve, page_text, submit
from tests.requests_app.helpers import all_declarations, contact

pytestmark = pytest.mark.django_db
PAYMENT_DAY = {"payment_day": 20, "reason": "cash_flow"}


def test_a_second_open_request_of_the_kind_is_refused_naming_the_first(api_as, client_user, acme_contract):
    api = api_as(client_user)
    first = submit(api, "payment_date_change", acme_contract, PAYMENT_DAY).json()

    second = submit(api, "payment_date_change", acme_contract, {"payment_day": 25, "reason": "cash_flow"})

    assert second.status_code == 400
    [message] = second.json()["fields"]["contract_id"]
    assert first["number"] in message
    assert f"/requests/{first['id']}/" in message  # its address, which the form's error links
    assert PortalRequest.objects.count() == 1


def test_a_retry_with_the_same_key_answers_the_first_request(api_as, client_user, acme_contract):
    api = api_as(client_user)
    first = submit(api, "payment_date_change", acme_contract, PAYMENT_DAY, HTTP_IDEMPOTENCY_KEY="k-7")
    again = submit(api, "payment_date_change", acme_contract, PAYMENT_DAY, HTTP_IDEMPOTENCY_KEY="k-7")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_other_kinds_and_decided_requests_do_not_block(api_as, client_user, bok_staff, acme_contract):
    api = api_as(client_user)
    first = submit(api, "payment_date_change", acme_contract, PAYMENT_DAY).json()
    # another kind on the same contract goes in
    schedule = submit(api, "schedule_change", acme_contract, {"months": 48, "installment_option": "auto"})
    assert schedule.status_code == 201, schedule.json()
    # once the first is decided, a new one of its kind goes in too
    api_as(bok_staff).post(
        f"/api/staff/requests/{first['id']}/reject/", {"reason": "Proszę o inny dzień."}, format="json"
    )
    again = submit(api, "payment_date_change", acme_contract, {"payment_day": 25, "reason": "cash_flow"})
    assert again.status_code == 201, again.json()


def test_the_form_links_the_open_request(client_user, api_as, acme_contract):
    first = submit(api_as(client_user), "payment_date_change", acme_contract, PAYMENT_DAY).json()
    page = PageClient()
    page.force_login(client_user)
    response = page.post(
        reverse("request-new-kind", args=["payment_date_change"]),
        {
            "idempotency_key": "page-2",
            "contract_id": str(acme_contract.pk),
            "data__payment_day": "25",
            "data__reason": "cash_flow",
            "contact__name": "Anna Kowalska",
            "contact__phone": "601234567",
            "contact__email": "anna@acme.pl",
            **{f"declarations__{code}": "on" for code in all_declarations("payment_date_change")},
        },
    )
    assert response.status_code == 400
    assert f'href="http://testserver/requests/{first["id"]}/"' in response.content.decode() or (
        f'/requests/{first["id"]}/"' in response.content.decode()
    )


def test_staff_see_the_other_open_requests_of_the_contract(api_as, client_user, bok_staff, acme_contract):
    api = api_as(client_user)
    payment = submit(api, "payment_date_change", acme_contract, PAYMENT_DAY).json()
    schedule = submit(
        api, "schedule_change", acme_contract, {"months": 48, "installment_option": "auto"}
    ).json()
    page = PageClient()
    page.force_login(bok_staff)

    html = page.get(reverse("staff-task-page", args=[schedule["id"]])).content.decode()
    text = page_text(page, reverse("staff-task-page", args=[schedule["id"]]))

    assert f"Inne otwarte wnioski na umowie {acme_contract.number}" in text
    assert payment["number"] in text
    assert f'href="{reverse("staff-task-page", args=[payment["id"]])}"' in html


def test_a_change_is_not_approved_while_a_buyout_waits_on_its_quote(
    api_as, client_user, bok_staff, acme_contract
):
    # The quote's amount comes from the current schedule: a schedule change approved meanwhile would make
    # the binding amount wrong, so the change waits for the buyout request's decision.
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    quote = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/", {"effective_date": effective}, format="json"
    ).json()
    buyout = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/request/",
        {"contact": contact(), "declarations": all_declarations("early_termination")},
        format="json",
    ).json()
    schedule = submit(
        client_api, "schedule_change", acme_contract, {"months": 48, "installment_option": "auto"}
    )

    refused = approve(staff_api, schedule.json()["id"])

    assert refused.status_code == 400
    assert refused.json()["code"] == "buyout_in_progress"
    assert buyout["number"] in refused.json()["message"] and quote["number"] in refused.json()["message"]
    assert Contract.objects.get(pk=acme_contract.pk).months == acme_contract.months
    assert approve(staff_api, buyout["id"]).status_code == 200  # the buyout at its quote
    assert BuyoutQuote.objects.get(pk=quote["id"]).status == "accepted"
