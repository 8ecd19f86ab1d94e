"""The staff task page says before the decision that an approval will be refused (its contract is held by an
open early termination request's quote, or no longer open to changes): the reason and a link in place of
the approve form, by the same check the approval makes (effects.approval_refusal). The approval itself still
refuses (a race), and asking or rejecting stays possible."""

from __future__ import annotations

import re

import pytest

from backend.contracts.models import Contract
from backend.requests_app import effects
from backend.requests_app.effects import BuyoutInProgress, ContractNotOpen
from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve, new_buyout_quote, request_buyout, submit

pytestmark = pytest.mark.django_db

PAYMENT_DAY = {"payment_day": 20, "reason": "cash_flow"}


def _held_change(
    api_as, client_user, bok_staff, contract, kind: str = "payment_date_change", data: dict = PAYMENT_DAY
) -> tuple[dict, dict, dict]:
    """A payment day change submitted while an early termination request holds a quote: (change, buyout,
    quote)."""
    client_api = api_as(client_user)
    quote = new_buyout_quote(client_api, contract)
    buyout = request_buyout(client_api, contract, quote["id"])
    assert buyout.status_code == 201, buyout.json()
    change = submit(client_api, kind, contract, data)
    assert change.status_code == 201, change.json()
    return change.json(), buyout.json(), quote


def _approve_form(html: str) -> str:
    """The approve section of the task page."""
    return html.split('id="approve-title"', 1)[1].split('id="reject-title"', 1)[0]


@pytest.mark.parametrize(
    "kind, data",
    [("payment_date_change", PAYMENT_DAY), ("schedule_change", {"months": 48, "installment_option": "auto"})],
)
def test_the_task_page_says_the_refusal_instead_of_offering_the_approval(
    kind, data, api_as, client, client_user, bok_staff, acme_contract
):
    change, buyout, quote = _held_change(api_as, client_user, bok_staff, acme_contract, kind, data)
    client.force_login(bok_staff)

    html = client.get(f"/staff/tasks/{change['id']}/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()

    box = _approve_form(html)
    assert 'id="approval-refused"' in box
    assert (
        f"Wniosek o wcześniejsze zakończenie umowy {buyout['number']} jest otwarty z wyceną {quote['number']}"
    ) in box
    assert re.search(rf'href="/staff/tasks/{buyout["id"]}/"[^>]*>Przejdź do wniosku {buyout["number"]}', box)
    assert 'id="form-approve"' not in html  # nothing to confirm only to be refused
    assert 'id="form-ask"' in html and 'id="form-reject"' in html


def test_the_refusal_is_said_in_english_too(api_as, client, client_user, bok_staff, acme_contract):
    change, buyout, quote = _held_change(api_as, client_user, bok_staff, acme_contract)
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    client.force_login(bok_staff)

    box = _approve_form(
        client.get(f"/staff/tasks/{change['id']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )

    assert f"The early termination request {buyout['number']} of this contract is open" in box
    assert f"Go to request {buyout['number']}" in box
    assert "Approval is not offered for now" in box


def test_page_and_approval_refuse_by_one_check(api_as, client_user, bok_staff, acme_contract):
    change, _buyout, _quote = _held_change(api_as, client_user, bok_staff, acme_contract)
    refusal = effects.approval_refusal(PortalRequest.objects.select_related("contract").get(pk=change["id"]))
    assert isinstance(refusal, BuyoutInProgress)

    refused = approve(api_as(bok_staff), change["id"])

    assert refused.status_code == 400
    assert refused.json()["code"] == refusal.code
    assert refused.json()["fields"]["decision"] == [refusal.message]


def test_a_contract_no_longer_open_is_said_up_front_without_a_link(
    api_as, client, client_user, bok_staff, acme_contract
):
    change = submit(api_as(client_user), "payment_date_change", acme_contract, PAYMENT_DAY).json()
    Contract.objects.filter(pk=acme_contract.pk).update(status=Contract.Status.TERMINATED)
    client.force_login(bok_staff)

    box = _approve_form(
        client.get(f"/staff/tasks/{change['id']}/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    )

    assert isinstance(effects.approval_refusal(PortalRequest.objects.get(pk=change["id"])), ContractNotOpen)
    assert 'id="approval-refused"' in box and "nie jest już aktywna" in box
    assert 'id="approval-blocker"' not in box and 'id="form-approve"' not in box


def test_an_approval_nothing_refuses_keeps_its_form(api_as, client, client_user, bok_staff, acme_contract):
    change = submit(api_as(client_user), "payment_date_change", acme_contract, PAYMENT_DAY).json()
    client.force_login(bok_staff)

    html = client.get(f"/staff/tasks/{change['id']}/").content.decode()

    assert 'id="form-approve"' in html and 'id="approval-refused"' not in html
