"""A decided request cannot be released: its assignee stays and the client's history gets no row."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from backend.requests_app.models import PortalRequest, RequestEvent
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


@pytest.fixture
def decided(api_as, client_user, bok_staff, acme_contract) -> PortalRequest:
    """A request bok_staff claimed and approved."""
    created = api_as(client_user).post(
        "/api/requests/",
        submission("payment_date_change", contract=acme_contract, data=PAYMENT),
        format="json",
    )
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    staff = api_as(bok_staff)
    assert staff.post(f"/api/staff/requests/{request_id}/claim/").status_code == 200
    approved = staff.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    portal_request = PortalRequest.objects.get(pk=request_id)
    assert portal_request.status not in {"submitted", "in_review", "waiting_for_client"}
    return portal_request


def test_the_api_refuses_to_release_a_decided_request(api_as, bok_staff, client_user, decided):
    # when
    response = api_as(bok_staff).post(f"/api/staff/requests/{decided.pk}/unclaim/")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["message"]
    decided.refresh_from_db()
    assert decided.assignee_id == bok_staff.pk
    assert not RequestEvent.objects.filter(request=decided, kind=RequestEvent.Kind.UNCLAIMED).exists()
    history = api_as(client_user).get(f"/api/requests/{decided.pk}/").json()["history"]
    assert all(row["kind"] != "unclaimed" for row in history)


def test_the_staff_page_shows_the_refusal_and_changes_nothing(client, bok_staff, decided):
    # given
    client.force_login(bok_staff)

    # when
    response = client.post(
        reverse("staff-task-action", kwargs={"request_id": decided.pk, "action": "unclaim"})
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("staff-task-page", kwargs={"request_id": decided.pk})
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Nie można zwolnić wniosku, który został już rozstrzygnięty lub zamknięty."]
    decided.refresh_from_db()
    assert decided.assignee_id == bok_staff.pk
    assert not RequestEvent.objects.filter(request=decided, kind=RequestEvent.Kind.UNCLAIMED).exists()


def test_an_open_request_can_still_be_released(api_as, client_user, bok_staff, acme_contract):
    # given
    created = api_as(client_user).post(
        "/api/requests/",
        submission("payment_date_change", contract=acme_contract, data=PAYMENT),
        format="json",
    )
    request_id = created.json()["id"]
    staff = api_as(bok_staff)
    staff.post(f"/api/staff/requests/{request_id}/claim/")

    # when
    response = staff.post(f"/api/staff/requests/{request_id}/unclaim/")

    # then
    assert response.status_code == 200
    assert PortalRequest.objects.get(pk=request_id).assignee_id is None
    assert RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.UNCLAIMED).count() == 1
