"""The staff API refuses a claim or decision someone got to first with the task page's sentence: who took,
asked or decided it and when (one service says it: requests_app.task_notes), in the API's error shape."""

from __future__ import annotations

import pytest

from backend.requests_app import decisions, task_hands
from backend.requests_app.models import RequestStatus
from tests.api_http.conftest import assert_error_shape
from tests.logged_in_clients import api_client_as

pytestmark = pytest.mark.django_db


def test_an_approval_after_a_colleagues_rejection_names_who_rejected(bok_staff, second_staff, open_request):
    decisions.decide_request(actor=bok_staff, request_id=open_request.pk, decision="reject", reason="Nie.")

    refused = api_client_as(second_staff).post(
        f"/api/staff/requests/{open_request.pk}/approve/", {"answer": "Zgoda."}, format="json"
    )

    body = assert_error_shape(refused, 409)
    assert body["code"] == "task_not_ready"
    assert body["message"].startswith("Wniosek został już odrzucony (Barbara Obsługa, ")
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.REJECTED


def test_a_claim_and_a_question_on_a_task_a_colleague_took_name_who_took_it(
    bok_staff, second_staff, open_request
):
    task_hands.claim_request(staff=bok_staff, portal_request=open_request)
    piotr = api_client_as(second_staff)

    claim = assert_error_shape(piotr.post(f"/api/staff/requests/{open_request.pk}/claim/"), 409)
    ask = assert_error_shape(
        piotr.post(
            f"/api/staff/requests/{open_request.pk}/ask-client/", {"question": "Skan?"}, format="json"
        ),
        409,
    )

    for body in (claim, ask):
        assert body["code"] == "task_already_claimed"
        assert body["message"].startswith("Nad tym zadaniem pracuje już Barbara Obsługa (przejęte ")
    open_request.refresh_from_db()
    assert open_request.assignee == bok_staff


def test_the_holder_still_decides_and_a_wrong_id_stays_404(bok_staff, open_request):
    task_hands.claim_request(staff=bok_staff, portal_request=open_request)
    barbara = api_client_as(bok_staff)

    assert barbara.post(f"/api/staff/requests/{open_request.pk + 999}/claim/").status_code == 404
    approved = barbara.post(
        f"/api/staff/requests/{open_request.pk}/approve/", {"answer": "Tak."}, format="json"
    )
    assert approved.status_code == 200, approved.content
