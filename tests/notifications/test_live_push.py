"""The portal WebSocket through the real ASGI application (session auth, origin check, routing)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from notifications.push import claim_events_to_push
from tests.notifications.sockets import (
    close,
    communicator_for,
    headers_for,
    receive_event,
    run,
    write_event,
)

Kind = OutboxEvent.Kind

# Real commits: database_sync_to_async closes a connection left inside a transaction (PostgreSQL).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_relay")]


def test_anonymous_socket_is_refused(db):
    headers = headers_for(None)

    async def scenario():
        communicator = communicator_for(headers)
        connected, code = await communicator.connect()
        return connected, code

    connected, code = run(scenario)
    assert connected is False
    assert code == 4403


def test_client_receives_its_own_stage_change_and_never_another_clients(client_user, acme, other_company):
    headers = headers_for(client_user)

    async def scenario():
        communicator = communicator_for(headers)
        connected, _ = await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await write_event(other_company, request_id=900, stage="Obca decyzja")
        own_id = await write_event(acme, request_id=501, stage="Decyzja")
        event = await receive_event(communicator)
        await close(communicator)
        return connected, hello, own_id, event

    connected, hello, own_id, event = run(scenario)

    assert connected is True
    assert hello["client_id"] == acme.pk
    # the first event to arrive is our own: the other client's, written before it, never came
    assert event["id"] == own_id
    assert event["request_id"] == 501
    assert event["stage"] == "Decyzja"
    assert "contact_phone" not in event  # ids and stage only


def test_user_of_two_clients_hears_only_the_one_it_acts_for(client_user, acme, other_company):
    from tests.factories import MembershipFactory

    # given: Anna also acts for the other company and has switched to it
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    headers = headers_for(client_user, active_client=other_company)

    async def scenario():
        communicator = communicator_for(headers)
        await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        await write_event(acme, request_id=1, stage="ACME")
        other_id = await write_event(other_company, request_id=2, stage="Inna")
        event = await receive_event(communicator)
        await close(communicator)
        return hello, other_id, event

    hello, other_id, event = run(scenario)

    assert hello["client_id"] == other_company.pk
    assert event["id"] == other_id


def test_staff_receive_request_events_of_every_client(bok_staff, other_company):
    headers = headers_for(bok_staff)

    async def scenario():
        communicator = communicator_for(headers)
        connected, _ = await communicator.connect()
        hello = await communicator.receive_json_from(timeout=5)
        event_id = await write_event(other_company, request_id=77, kind=Kind.REQUEST_SUBMITTED)
        event = await receive_event(communicator)
        await close(communicator)
        return connected, hello, event_id, event

    connected, hello, event_id, event = run(scenario)

    assert connected is True
    assert hello["staff"] is True
    assert event["id"] == event_id
    assert event["kind"] == "request.submitted"


def test_rolled_back_change_is_never_pushed(client_user, acme, acme_contract):
    class Abort(Exception):
        pass

    @database_sync_to_async
    def change_then_roll_back():
        try:
            with transaction.atomic():
                record_outbox_event(
                    kind=Kind.REQUEST_STAGE_CHANGED,
                    subject=acme_contract,
                    client_id=acme.pk,
                    payload={"request_id": 1, "stage": "Rolled back"},
                )
                raise Abort
        except Abort:
            pass

    headers = headers_for(client_user)

    async def scenario():
        communicator = communicator_for(headers)
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await change_then_roll_back()
        marker_id = await write_event(acme, request_id=2, stage="Committed")
        event = await receive_event(communicator)
        await close(communicator)
        return marker_id, event

    marker_id, event = run(scenario)

    assert event["id"] == marker_id
    assert event["stage"] == "Committed"
    assert not OutboxEvent.objects.filter(payload__stage="Rolled back").exists()


def test_client_may_watch_only_its_own_requests(
    client_user, other_client_user, acme, other_company, make_portal_request
):
    own = make_portal_request(client=acme, user=client_user)
    foreign = make_portal_request(client=other_company, user=other_client_user)
    headers = headers_for(client_user)

    async def scenario():
        communicator = communicator_for(headers)
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        answers = []
        for request_id in (foreign.pk, own.pk):
            await communicator.send_json_to({"action": "watch_request", "request_id": request_id})
            answers.append(await communicator.receive_json_from(timeout=5))
        await close(communicator)
        return answers

    refused, accepted = run(scenario)

    assert refused == {"type": "error", "code": "not_found", "request_id": foreign.pk}
    assert accepted == {"type": "watching", "request_id": own.pk}


def test_each_event_is_claimed_for_push_once(acme):
    # given
    event = OutboxEvent.objects.create(
        kind=Kind.REQUEST_STAGE_CHANGED, client=acme, subject_type="requests_app.portalrequest", subject_id=1
    )

    # when: two ASGI processes poll
    first = claim_events_to_push()
    second = claim_events_to_push()

    # then
    assert [claimed.pk for claimed in first] == [event.pk]
    assert second == []
