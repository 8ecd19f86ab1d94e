"""A live event says to each socket whether it was that user's own action (`own`), never who acted: the
staff task page keeps the message of the staff member's own action while only their own events arrive
(the action, its follow-up: the decision document the worker stores later) and lets it go when someone
else changed the page (the client, a colleague, a timer). The acting user's id stays on the server."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from backend.core.models import OutboxEvent
from backend.requests_app import decision_document, services, task_hands
from backend.requests_app.models import RequestEvent
from notifications.push import message_for_event
from tests.notifications.sockets import close, communicator_for, headers_for, receive_event, run
from tests.request_helpers import submit_other_request

Kind = OutboxEvent.Kind


def ask(staff, portal_request) -> None:
    services.complete_staff_task(
        staff=staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Proszę o skan dowodu."},
        attachment_ids=[],
    )


@pytest.mark.django_db
def test_each_pushed_event_names_the_user_who_acted_for_the_server_alone(
    bok_staff, second_staff, client_user, acme
):
    portal_request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    ask(bok_staff, portal_request)
    services.reply_to_request(
        user=client_user, portal_request=portal_request, message="Jest.", attachment_ids=[]
    )
    task_hands.assign_request(staff=second_staff, portal_request=portal_request, assignee=second_staff)

    actors = [
        (event.kind, message_for_event(event)["event"]["actor_id"]) for event in OutboxEvent.objects.all()
    ]
    assert (Kind.REQUEST_SUBMITTED, client_user.pk) in actors
    assert (Kind.REQUEST_WAITING_FOR_CLIENT, bok_staff.pk) in actors
    assert (Kind.REQUEST_STAGE_CHANGED, client_user.pk) in actors  # the reply's step
    assert (Kind.REQUEST_ASSIGNED, second_staff.pk) in actors


@pytest.mark.django_db
def test_the_decision_document_is_the_deciders_follow_up(
    bok_staff, client_user, acme, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued: list[int] = []
    monkeypatch.setattr(decision_document, "publish_ids", lambda task, ids: queued.extend(ids))
    portal_request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_staff_task(
            staff=bok_staff,
            portal_request=portal_request,
            data={"decision": "approve", "answer": "Zgoda."},
            attachment_ids=[],
        )
    assert RequestEvent.objects.filter(request=portal_request, kind=RequestEvent.Kind.DOCUMENT).exists()

    decision_document.render_pending_document(queued[0])  # the worker, a moment later

    ready = OutboxEvent.objects.get(kind=Kind.REQUEST_DOCUMENT_READY)
    assert message_for_event(ready)["event"]["actor_id"] == bok_staff.pk


@pytest.mark.django_db
def test_a_timer_is_nobodys_action(client_user, acme):
    from backend.requests_app import outbox

    portal_request = submit_other_request(client_user, acme)
    outbox.reminder_sent(portal_request)
    reminder = OutboxEvent.objects.get(kind=Kind.REQUEST_REMINDER)
    assert message_for_event(reminder)["event"]["actor_id"] is None


@pytest.mark.django_db(transaction=True)
def test_each_socket_hears_whether_it_acted_and_never_who_did(fast_relay, bok_staff, client_user, acme):
    portal_request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    staff_headers, client_headers = headers_for(bok_staff), headers_for(client_user, acme)

    @database_sync_to_async
    def staff_asks() -> int:
        ask(bok_staff, portal_request)
        return OutboxEvent.objects.latest("id").pk

    @database_sync_to_async
    def client_replies() -> int:
        services.reply_to_request(
            user=client_user, portal_request=portal_request, message="Skan w załączeniu.", attachment_ids=[]
        )
        return OutboxEvent.objects.latest("id").pk

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
        asked = await staff_asks()
        heard = {"staff": await events_until(staff, asked), "client": await events_until(client, asked)}
        replied = await client_replies()
        heard["staff"] += await events_until(staff, replied)
        heard["client"] += await events_until(client, replied)
        await close(staff, client)
        return asked, heard

    asked, heard = run(scenario)

    def own(side: str) -> dict[int, bool]:
        return {event["id"]: event["own"] for event in heard[side]}

    staff_own, client_own = own("staff"), own("client")
    assert staff_own[asked] is True and client_own[asked] is False  # the question: the staff member's
    replied = max(staff_own)
    assert staff_own[replied] is False and client_own[replied] is True  # the reply: the client's
    for event in heard["staff"] + heard["client"]:
        assert "actor_id" not in event  # nobody's id reaches a page
