"""A colleague's internal note (on a request or a thread) reaches the other staff's open pages live: one
outbox event for the back office alone, written with the note, carrying ids only. No client socket, no
request group a client's page watches, no notice and no e-mail ever carries it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.core import mail

from backend.core.exceptions import PortalValidationError
from backend.core.models import OutboxEvent
from backend.messaging.client_writes import start_thread
from backend.messaging.staff_writes import add_internal_note as add_thread_note
from backend.messaging.staff_writes import assign_thread
from backend.requests_app import services, task_hands
from backend.requests_app.internal_notes import add_internal_note
from backend.requests_app.selectors import request_ref
from notifications.models import Delivery, Notice
from notifications.push import STAFF_GROUP, groups_for_event, message_for_event
from notifications.services import list_events_to_renotify
from tests.notifications.sockets import close, communicator_for, headers_for, receive_event, run
from tests.request_helpers import submit_other_request

Kind = OutboxEvent.Kind
REQUEST_NOTE = "Klient dzwonił: PESEL 85010112345, faktura w poniedziałek."
THREAD_NOTE = "Rozmawiałam z panią Kowalską, numer konta 12 1020 0000."


def note_events() -> list[OutboxEvent]:
    return list(
        OutboxEvent.objects.filter(
            kind__in=[Kind.REQUEST_INTERNAL_NOTE, Kind.MESSAGE_INTERNAL_NOTE]
        ).order_by("id")
    )


# --------------------------------------------------------------------------------------------------
# (a) the services write one staff-only event with the note, ids only


@pytest.mark.django_db
def test_a_request_note_writes_one_staff_only_event_naming_the_request_only(bok_staff, open_request):
    add_internal_note(staff=bok_staff, portal_request=open_request, text=REQUEST_NOTE)

    [event] = note_events()
    assert event.kind == "request.internal_note"
    assert event.client_id is None
    assert (event.subject_type, event.subject_id) == ("requests_app.portalrequest", open_request.pk)
    # ids only: the request and the note's author (the live push tells each page only whether it was theirs)
    assert event.payload == {
        "request_id": open_request.pk,
        "number": open_request.number,
        "actor_id": bok_staff.pk,
    }
    assert "PESEL" not in json.dumps(event.payload) and "PESEL" not in json.dumps(message_for_event(event))


@pytest.mark.django_db
def test_a_thread_note_writes_one_staff_only_event_naming_the_thread_only(bok_staff, thread):
    add_thread_note(user=bok_staff, thread=thread, body=THREAD_NOTE)

    [event] = note_events()
    assert event.kind == "message.internal_note"
    assert event.client_id is None
    assert (event.subject_type, event.subject_id) == ("messaging.messagethread", thread.pk)
    assert event.payload == {"thread_id": thread.pk, "actor_id": bok_staff.pk}
    assert "Kowalsk" not in json.dumps(message_for_event(event))


@pytest.mark.django_db
def test_a_refused_note_writes_no_event(bok_staff, open_request):
    with pytest.raises(PortalValidationError):
        add_internal_note(staff=bok_staff, portal_request=open_request, text="   ")
    assert note_events() == []


# --------------------------------------------------------------------------------------------------
# (b) pushed to the staff group alone


@pytest.mark.django_db
def test_note_events_go_to_the_staff_group_alone(bok_staff, open_request, thread):
    add_internal_note(staff=bok_staff, portal_request=open_request, text=REQUEST_NOTE)
    add_thread_note(user=bok_staff, thread=thread, body=THREAD_NOTE)

    request_note, thread_note = note_events()
    assert groups_for_event(request_note) == [STAFF_GROUP]  # not client.<id>, not request.<id>
    assert groups_for_event(thread_note) == [STAFF_GROUP]
    assert message_for_event(request_note)["event"]["request_id"] == open_request.pk
    assert message_for_event(thread_note)["event"]["thread_id"] == thread.pk
    # even were a writer to give a note's event the client's id by mistake, no client group gets it
    request_note.client_id = open_request.client_id
    assert groups_for_event(request_note) == [STAFF_GROUP]


@pytest.mark.django_db
def test_a_pushed_note_is_marked_staff_only_and_other_events_are_not(bok_staff, open_request, thread):
    # The pages read the mark (staff_live.js: only the note's own page; bell.js: no notice to ask for),
    # so a future staff-only kind needs no list of kinds in the scripts.
    add_internal_note(staff=bok_staff, portal_request=open_request, text=REQUEST_NOTE)
    add_thread_note(user=bok_staff, thread=thread, body=THREAD_NOTE)
    request_note, thread_note = note_events()
    assert message_for_event(request_note)["event"]["staff_only"] is True
    assert message_for_event(thread_note)["event"]["staff_only"] is True

    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
    others = OutboxEvent.objects.exclude(kind__in=[Kind.REQUEST_INTERNAL_NOTE, Kind.MESSAGE_INTERNAL_NOTE])
    assert others.exists()
    assert all("staff_only" not in message_for_event(event)["event"] for event in others)


# --------------------------------------------------------------------------------------------------
# (d) the worker makes nothing of it


@pytest.mark.django_db
def test_the_worker_makes_no_notice_and_no_email_of_a_note(
    bok_staff, second_staff, open_request, thread, django_capture_on_commit_callbacks
):
    # given: the request's task and the thread are Barbara's (a generic "tell the assignee" would mail her)
    task_hands.claim_request(staff=bok_staff, portal_request=open_request)
    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
    notices_before, deliveries_before = Notice.objects.count(), Delivery.objects.count()
    mail.outbox.clear()

    # when: a colleague writes a note on each, and the commit's dispatch runs the worker's task
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_internal_note(staff=second_staff, portal_request=open_request, text=REQUEST_NOTE)
        add_thread_note(user=second_staff, thread=thread, body=THREAD_NOTE)

    # then: the worker handled both (no re-drive by the relay, no backlog on the dashboard) and made nothing
    assert callbacks
    events = note_events()
    assert len(events) == 2
    for event in events:
        event.refresh_from_db()
        assert event.notified_at is not None
    assert not {e.pk for e in events} & set(list_events_to_renotify(older_than=-timedelta(days=1)))
    assert Notice.objects.count() == notices_before
    assert Delivery.objects.count() == deliveries_before
    assert mail.outbox == []


# --------------------------------------------------------------------------------------------------
# (c) over the real socket: a colleague's socket hears it, the client's (watching the request) never


@pytest.mark.django_db(transaction=True)
def test_a_colleagues_socket_hears_the_notes_and_the_clients_socket_does_not(
    fast_relay, bok_staff, second_staff, client_user, acme
):
    portal_request = submit_other_request(client_user, acme)
    thread = start_thread(
        user=client_user, client=acme, subject="Polisa", category="insurance", body="?", contract=None
    )
    staff_headers, client_headers = headers_for(second_staff), headers_for(client_user, acme)

    @database_sync_to_async
    def write_notes() -> list[int]:
        add_internal_note(
            staff=bok_staff, portal_request=request_ref(request_id=portal_request.pk), text=REQUEST_NOTE
        )
        add_thread_note(user=bok_staff, thread=thread, body=THREAD_NOTE)
        return [event.pk for event in note_events()]

    @database_sync_to_async
    def client_comments() -> int:
        services.add_comment(
            user=client_user,
            portal_request=request_ref(request_id=portal_request.pk, client=acme),
            message="Dzień dobry",
            attachment_ids=[],
        )
        return OutboxEvent.objects.filter(kind=Kind.REQUEST_COMMENT).latest("id").pk

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
        await client.send_json_to({"action": "watch_request", "request_id": portal_request.pk})
        assert (await client.receive_json_from(timeout=5))["type"] == "watching"  # the request page is open
        note_ids = await write_notes()
        staff_events = await events_until(staff, note_ids[-1])
        comment_id = await client_comments()  # a later event of the client's own
        client_events = await events_until(client, comment_id)
        await close(staff, client)
        return note_ids, staff_events, client_events

    note_ids, staff_events, client_events = run(scenario)

    by_id = {event["id"]: event for event in staff_events}
    request_note, thread_note = (by_id[pk] for pk in note_ids)
    assert (request_note["kind"], request_note["request_id"]) == ("request.internal_note", portal_request.pk)
    assert (thread_note["kind"], thread_note["thread_id"]) == ("message.internal_note", thread.pk)
    for event in (request_note, thread_note):
        assert event["client_id"] is None
        assert "PESEL" not in json.dumps(event) and "Kowalsk" not in json.dumps(event)
    # the client's socket got its own comment, written after the notes, and neither note
    assert not set(note_ids) & {event["id"] for event in client_events}
