"""Requests that change a contract need an active contract that no agreed buyout ends: refused at submit
next to the contract (API and page alike), not offered in the forms' contract select, and refused at
approval when the contract ended meanwhile, staff reading why."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.contracts.models import Contract
from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve, page_text, submit
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

CHANGES = {
    "payment_date_change": {"payment_day": 20, "reason": "cash_flow"},
    "schedule_change": {"months": 48, "installment_option": "auto"},
    "contract_value_change": {"option": "new_purchase_price", "net_amount": "130000.00", "currency": "PLN"},
}


@pytest.fixture
def ended_contract(acme):
    """A contract that ran its course: every installment paid, closed."""
    contract = ContractFactory(client=acme, number="LF/2022/01000013", status=Contract.Status.CLOSED)
    contract.schedule_rows.update(paid=True)
    return contract


@pytest.mark.parametrize("kind", list(CHANGES))
def test_a_change_of_an_ended_contract_is_refused_next_to_the_contract(
    kind, api_as, client_user, ended_contract
):
    response = submit(api_as(client_user), kind, ended_contract, CHANGES[kind])

    assert response.status_code == 400
    assert response.json()["fields"]["contract_id"] == [
        "Umowa LF/2022/01000013 nie jest już aktywna (Zakończona): nie przyjmujemy wniosków o jej zmianę."
    ]
    assert not PortalRequest.objects.exists()


@pytest.mark.parametrize("kind", list(CHANGES))
def test_the_forms_offer_only_contracts_open_to_changes(kind, client_user, acme_contract, ended_contract):
    page = PageClient()
    page.force_login(client_user)
    html = page.get(reverse("request-new-kind", args=[kind])).content.decode()
    assert f'<option value="{acme_contract.pk}"' in html
    assert f'<option value="{ended_contract.pk}"' not in html
    # a posted ended contract comes back with the API's message next to the select
    response = page.post(
        reverse("request-new-kind", args=["payment_date_change"]),
        {
            "idempotency_key": "k-1",
            "contract_id": str(ended_contract.pk),
            "data__payment_day": "20",
            "data__reason": "cash_flow",
            "contact__name": "Anna Kowalska",
            "contact__phone": "601234567",
            "contact__email": "anna@acme.pl",
            **{
                f"declarations__{code}": "on"
                for code in ("data_true", "privacy_notice", "fees", "authorised")
            },
        },
    )
    assert response.status_code == 400
    assert "nie jest już aktywna" in response.content.decode()


def test_other_kinds_still_go_in_for_an_ended_contract(api_as, client_user, ended_contract):
    # a question about an ended contract is no change of it
    response = api_as(client_user).post(
        "/api/requests/",
        {
            "kind": "other_request",
            "contract_id": ended_contract.pk,
            "contact": {"name": "Anna", "phone": "601234567", "email": "anna@acme.pl"},
            "declarations": {"data_true": True, "privacy_notice": True},
            "data": {"subject": "Zaświadczenie", "message": "Proszę o zaświadczenie o spłacie."},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_a_contract_that_ended_after_the_submit_is_refused_at_approval(
    api_as, client_user, bok_staff, acme_contract
):
    submitted = submit(
        api_as(client_user), "payment_date_change", acme_contract, CHANGES["payment_date_change"]
    )
    assert submitted.status_code == 201, submitted.json()
    Contract.objects.filter(pk=acme_contract.pk).update(status=Contract.Status.TERMINATED)

    # staff approving through the API read why
    response = approve(api_as(bok_staff), submitted.json()["id"])
    assert response.status_code == 400
    assert response.json()["code"] == "contract_not_open"
    assert "nie jest już aktywna (Rozwiązana)" in response.json()["fields"]["decision"][0]
    # the request waits for their decision and the contract is untouched
    assert PortalRequest.objects.get(pk=submitted.json()["id"]).status == "in_review"
    assert Contract.objects.get(pk=acme_contract.pk).payment_day == 10

    # and on the task page the refusal shows above the approve form
    page = PageClient()
    page.force_login(bok_staff)
    response = page.post(
        reverse("staff-task-action", args=[submitted.json()["id"], "approve"]), {"answer": ""}
    )
    assert response.status_code == 400
    assert "nie jest już aktywna (Rozwiązana)" in page_text_of(response)


def page_text_of(response) -> str:
    from tests.effects_walk.helpers import visible_text

    return visible_text(response.content.decode())


def test_the_page_of_the_requests_lists_is_unchanged(client_user, ended_contract):
    # the contract stays readable: only changes of it are refused
    page = PageClient()
    page.force_login(client_user)
    assert "LF/2022/01000013" in page_text(page, reverse("contract-page", args=[ended_contract.pk]))
