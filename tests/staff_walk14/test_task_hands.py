"""A task changing hands (claimed, released, given to a colleague) reaches the other staff's open pages live
through an outbox event for the back office alone; the client hears nothing. A colleague can be given a
task on the task page or through the staff API (one service): a history row, the event, an e-mail to them."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from backend.accounts.customer_service import CUSTOMER_SERVICE_GROUP
from backend.core.models import OutboxEvent
from backend.requests_app import services, task_hands
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.selectors import request_ref
from notifications.models import Notice
from notifications.push import STAFF_GROUP, groups_for_event
from notifications.services import create_notifications, send_delivery
from tests.logged_in_clients import browsing_as
from tests.notifications.sockets import close, communicator_for, headers_for, receive_event, run
from tests.staff_walk14.helpers import submit_other, task_page_text

ASSIGNED = OutboxEvent.Kind.REQUEST_ASSIGNED


@pytest.fixture
def waiting(api_as, client_user, acme_contract) -> int:
    """A request waiting for staff, nobody's yet."""
    return submit_other(api_as(client_user), acme_contract)


@pytest.mark.django_db
def test_claim_and_release_each_write_one_staff_only_event(api_as, bok_staff, waiting):
    staff_api = api_as(bok_staff)
    assert staff_api.post(f"/api/staff/requests/{waiting}/claim/").status_code == 200
    assert staff_api.post(f"/api/staff/requests/{waiting}/claim/").status_code == 200  # again: no change
    assert staff_api.post(f"/api/staff/requests/{waiting}/unclaim/").status_code == 200

    events = list(OutboxEvent.objects.filter(kind=ASSIGNED).order_by("id"))
    assert [(e.payload["assignee_id"], e.payload["previous_assignee_id"]) for e in events] == [
        (bok_staff.pk, None),
        (None, bok_staff.pk),
    ]
    for event in events:
        assert event.client_id is None  # the client hears nothing: not their business
        assert event.payload["request_id"] == waiting
        assert groups_for_event(event) == [STAFF_GROUP]  # not the request's group a client page watches
        assert create_notifications(event_id=event.pk) == []  # one's own claim or release mails nobody
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_a_colleague_given_the_task_on_the_page_sees_it_and_is_mailed(bok_staff, second_staff, waiting):
    page = browsing_as(bok_staff)
    assert "Przypisz do" in task_page_text(page, waiting)

    response = page.post(
        reverse("staff-task-action", args=[waiting, "assign"]),
        {"assignee_id": second_staff.pk, "expected_assignee_id": ""},
    )

    assert response.status_code == 302
    assert PortalRequest.objects.get(pk=waiting).assignee_id == second_staff.pk
    text = task_page_text(page, waiting)
    assert "Zadanie przypisano: Piotr Zając." in text
    assert "Przypisany pracownikowi" in text and "Przypisano: Piotr Zając." in text  # the history row
    row = RequestEvent.objects.get(request_id=waiting, kind=RequestEvent.Kind.ASSIGNED)
    assert (row.actor_id, row.data["assignee_id"]) == (bok_staff.pk, second_staff.pk)
    event = OutboxEvent.objects.filter(kind=ASSIGNED).latest("id")
    assert event.client_id is None and event.payload["by_id"] == bok_staff.pk
    deliveries = create_notifications(event_id=event.pk)
    assert len(deliveries) == 1
    send_delivery(delivery_id=deliveries[0])
    sent = mail.outbox[-1]
    assert sent.to == [second_staff.email]
    number = PortalRequest.objects.get(pk=waiting).number
    assert sent.subject == f"Wniosek {number} klienta ACME Logistyka sp. z o.o. został przypisany do Ciebie"
    assert "Barbara Obsługa" in sent.body and "Inna sprawa" in sent.body
    assert f"/staff/tasks/{waiting}/" in sent.body
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_the_api_gives_a_task_on_and_a_stale_expectation_changes_nothing(
    api_as, bok_staff, second_staff, analyst, client_user, waiting
):
    staff_api = api_as(bok_staff)
    url = f"/api/staff/requests/{waiting}/assign/"
    staff_api.post(f"/api/staff/requests/{waiting}/claim/")

    stale = staff_api.post(url, {"assignee_id": second_staff.pk, "expected_assignee_id": None}, format="json")
    assert stale.status_code == 409, stale.json()
    assert PortalRequest.objects.get(pk=waiting).assignee_id == bok_staff.pk

    given = staff_api.post(
        url, {"assignee_id": second_staff.pk, "expected_assignee_id": bok_staff.pk}, format="json"
    )
    assert given.status_code == 200, given.json()
    assert given.json()["assignee"] == second_staff.pk
    # an analyst works tasks only in the customer-service group (accounts.customer_service); a client never
    assert staff_api.post(url, {"assignee_id": analyst.pk}, format="json").status_code == 400
    analyst.groups.add(Group.objects.get(name=CUSTOMER_SERVICE_GROUP))
    assert staff_api.post(url, {"assignee_id": analyst.pk}, format="json").status_code == 200
    refused = staff_api.post(url, {"assignee_id": client_user.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["fields"]["assignee_id"] == ["Wybierz osobę z Biura Obsługi Klienta."]
    assert api_as(client_user).post(url, {"assignee_id": bok_staff.pk}, format="json").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_other_staffs_open_pages_hear_a_claim_and_the_client_does_not(
    fast_relay, api_as, bok_staff, second_staff, client_user, acme, acme_contract
):
    request_id = submit_other(api_as(client_user), acme_contract)
    staff_headers, client_headers = headers_for(second_staff), headers_for(client_user, acme)

    @database_sync_to_async
    def claim() -> int:
        task_hands.claim_request(staff=bok_staff, portal_request=request_ref(request_id=request_id))
        return OutboxEvent.objects.filter(kind=ASSIGNED).latest("id").pk

    @database_sync_to_async
    def client_comments() -> int:
        services.add_comment(
            user=client_user,
            portal_request=request_ref(request_id=request_id, client=acme),
            message="Dzień dobry",
            attachment_ids=[],
        )
        return OutboxEvent.objects.filter(kind=OutboxEvent.Kind.REQUEST_COMMENT).latest("id").pk

    async def events_until(communicator, event_id: int) -> list[dict]:
        received = [await receive_event(communicator)]
        while received[-1]["id"] != event_id:
            received.append(await receive_event(communicator))
        return received

    async def scenario():
        staff, client = communicator_for(staff_headers), communicator_for(client_headers)
        await staff.connect()
        await client.connect()
        await staff.receive_json_from(timeout=5)  # hello
        await client.receive_json_from(timeout=5)
        await client.send_json_to({"action": "watch_request", "request_id": request_id})
        await client.receive_json_from(timeout=5)  # watching: the client's request page is open
        claimed_id = await claim()
        staff_events = await events_until(staff, claimed_id)
        comment_id = await client_comments()  # a later event of the client's own
        client_events = await events_until(client, comment_id)
        await close(staff, client)
        return claimed_id, staff_events, client_events

    claimed_id, staff_events, client_events = run(scenario)

    # staff_live.js re-fetches a page on a "request." event of its request: the task page, list, dashboard
    assert staff_events[-1]["kind"] == "request.assigned"
    assert staff_events[-1]["request_id"] == request_id
    assert claimed_id not in [event["id"] for event in client_events]
