"""A client's step the request's state no longer allows is a 409 with its code, whatever the body: replying
to a request that does not wait for the client, withdrawing a decided one, answering a counter-offer that is
not there. The portal's pages show the same message as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone

from backend.core.api_guide import ERROR_CODES
from tests.requests_app.helpers import all_declarations, contact, submission

pytestmark = pytest.mark.django_db
KIND = "early_termination"


def other_request(api) -> int:
    body = submission("other_request", data={"subject": "Pytanie", "message": "Treść"})
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def conflict(response, code: str) -> dict:
    assert response.status_code == 409, response.content
    assert response.json()["code"] == code
    assert ERROR_CODES[code][0] == 409  # the guide's table says the same
    return response.json()


@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": "Odpowiedź", "task_id": "abc"}])
def test_a_reply_to_a_request_not_waiting_for_the_client_is_a_conflict_whatever_the_body(
    body, api_as, client_user
):
    # given a request in review, and one withdrawn
    api = api_as(client_user)
    in_review, withdrawn = other_request(api), other_request(api)
    api.post(f"/api/requests/{withdrawn}/cancel/", format="json")

    # when
    replies = [api.post(f"/api/requests/{rid}/reply/", body, format="json") for rid in (in_review, withdrawn)]

    # then
    for reply in replies:
        assert conflict(reply, "task_not_ready")["message"] == (
            "Ten krok został już wykonany lub nie jest już dostępny."
        )


def test_a_bad_reply_body_is_still_a_400_while_the_request_waits(api_as, client_user, bok_staff):
    # given a request waiting for the client
    api = api_as(client_user)
    request_id = other_request(api)
    asked = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Prosimy o skan."}, format="json"
    )
    assert asked.status_code == 200, asked.json()

    # when
    response = api.post(f"/api/requests/{request_id}/reply/", {}, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["fields"] == {"message": ["To pole jest wymagane."]}


def test_another_companys_request_stays_not_found_with_a_bad_body(api_as, client_user, other_client_user):
    request_id = other_request(api_as(other_client_user))
    response = api_as(client_user).post(f"/api/requests/{request_id}/reply/", {}, format="json")
    assert response.status_code == 404


def test_withdrawing_a_withdrawn_request_is_a_conflict(api_as, client_user):
    api = api_as(client_user)
    request_id = other_request(api)
    assert api.post(f"/api/requests/{request_id}/cancel/", format="json").status_code == 200
    conflict(api.post(f"/api/requests/{request_id}/cancel/", format="json"), "invalid_transition")


def _buyout_request(api, contract) -> tuple[dict, int]:
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    quote = api.post(
        f"/api/contracts/{contract.pk}/buyout-quotes/", {"effective_date": effective}, format="json"
    ).json()
    made = api.post(
        f"/api/contracts/{contract.pk}/buyout-quotes/{quote['id']}/request/",
        {"contact": contact(), "declarations": all_declarations(KIND)},
        format="json",
    )
    assert made.status_code == 201, made.json()
    return quote, made.json()["id"]


def test_answering_a_counter_offer_that_is_not_there_is_a_conflict(
    api_as, client_user, bok_staff, acme_contract
):
    # given a buyout request waiting for the client's answer to a question, not to a counter-offer
    api = api_as(client_user)
    quote, request_id = _buyout_request(api, acme_contract)
    asked = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Prosimy o NIP."}, format="json"
    )
    assert asked.status_code == 200, asked.json()
    url = f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/counter-answer/"

    # when
    response = api.post(url, {"accept": True}, format="json")

    # then
    assert (
        conflict(response, "task_not_ready")["message"] == "Żadna kontroferta nie czeka na Twoją odpowiedź."
    )


def test_a_counter_answer_to_a_withdrawn_request_is_a_conflict_whatever_the_body(
    api_as, client_user, acme_contract
):
    # given
    api = api_as(client_user)
    quote, request_id = _buyout_request(api, acme_contract)
    api.post(f"/api/requests/{request_id}/cancel/", format="json")
    url = f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/counter-answer/"

    # when
    responses = [api.post(url, body, format="json") for body in ({}, {"accept": "maybe"}, {"accept": True})]

    # then
    for response in responses:
        conflict(response, "task_not_ready")


def test_the_page_shows_the_counter_offer_message_as_before(api_as, client_user, bok_staff, acme_contract):
    # given
    quote, request_id = _buyout_request(api_as(client_user), acme_contract)
    api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Prosimy o NIP."}, format="json"
    )
    page = PageClient()
    page.force_login(client_user)

    # when
    response = page.post(
        reverse("buyout-counter-answer-page", args=[acme_contract.pk, quote["id"]]),
        {"answer": "accept"},
        follow=True,
    )

    # then
    assert "Żadna kontroferta nie czeka na Twoją odpowiedź." in response.content.decode()
