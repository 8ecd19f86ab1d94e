"""When a complaint's wait for the client's reply ends without it (the real bpmn/complaint.bpmn's reply timer,
swept by beat), the client hears of it once, in their language: what happened (no reply by the reply-by
day) and what comes next (the answer with what the lessor has, by the deadline), not a bare "new stage".
The in-portal notice says the same; the staff's e-mail of the task coming back is unchanged."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from backend.core.models import OutboxEvent
from notifications import services as notification_services
from notifications.models import Delivery
from tests.complaint_helpers import asked_complaint, at_day, end_the_wait, remind_on_day_14

pytestmark = pytest.mark.django_db


def ask_and_let_the_wait_end(api_as, client_user, bok_staff, capture) -> tuple[int, str]:
    """A complaint received on 24.11.2026 (answer due by 24.12.2026), asked about on day 0 and never answered:
    the sweep after the reply-by day (18.12.2026) has ended. Return its id and number."""
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        submitted = asked_complaint(api_as, client_user, bok_staff, capture)
        remind_on_day_14(traveller, capture)
        mail.outbox.clear()
        end_the_wait(traveller, capture)
    return submitted["id"], submitted["number"]


def test_the_client_is_told_once_that_no_reply_came_and_when_the_answer_comes(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    request_id, number = ask_and_let_the_wait_end(
        api_as, client_user, bok_staff, django_capture_on_commit_callbacks
    )

    # then the client got one e-mail about it, saying what happened and what comes next
    (told,) = [m for m in mail.outbox if client_user.email in m.to]
    assert told.subject == f"Reklamacja {number}: nie otrzymaliśmy odpowiedzi do 18.12.2026"
    body = " ".join(told.body.split())
    assert (
        f"Do 18.12.2026 nie otrzymaliśmy Twojej odpowiedzi w sprawie reklamacji {number}. Odpowiemy na "
        "reklamację na podstawie posiadanych informacji, do 24.12.2026." in body
    )
    assert "etap" not in told.subject + body
    html = told.alternatives[0][0]
    assert "Odpowiemy na reklamację na podstawie posiadanych informacji, do 24.12.2026." in html
    # and staff still hear of the task coming back to them
    assert [m for m in mail.outbox if bok_staff.email in m.to]

    # and the portal's notice says the same
    notices = api_as(client_user).get("/api/notices/").json()["results"]
    assert notices[0]["title"] == (
        f"Reklamacja {number}: nie otrzymaliśmy odpowiedzi do 18.12.2026; odpowiemy na nią na podstawie "
        "posiadanych informacji, do 24.12.2026."
    )

    # and a redelivered notification task makes no second notice or e-mail
    [event] = OutboxEvent.objects.filter(
        kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED, subject_id=request_id, payload__status="in_review"
    ).order_by("-pk")[:1]
    assert Delivery.objects.filter(event=event, recipient=client_user).count() == 1
    for delivery_id in notification_services.create_notifications(event_id=event.pk):
        notification_services.send_delivery(delivery_id=delivery_id)
    assert len([m for m in mail.outbox if client_user.email in m.to]) == 1


def test_an_english_reader_is_told_in_english(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    _request_id, number = ask_and_let_the_wait_end(
        api_as, client_user, bok_staff, django_capture_on_commit_callbacks
    )

    (told,) = [m for m in mail.outbox if client_user.email in m.to]
    assert told.subject == f"Complaint {number}: no reply came by 2026-12-18"
    body = " ".join(told.body.split())
    assert (
        f"We did not receive your reply about complaint {number} by 2026-12-18. We will answer the complaint "
        "with the information we have, by 2026-12-24." in body
    )
    notices = api_as(client_user).get("/api/notices/").json()["results"]
    assert notices[0]["title"].startswith(f"Complaint {number}: no reply came by 2026-12-18; we will answer")
