"""The "we are waiting for your reply" e-mails go only while the request still waits for that reply, and
the day-14 reminder names the day the request is cancelled without one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.core.models import OutboxEvent
from backend.requests_app.timers import sweep_due_timers
from notifications import services
from notifications.models import Delivery
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


def asked_request(api_as, client_user, bok_staff, capture) -> int:
    """A request staff asked the client about; its e-mails not sent yet (the worker is behind)."""
    body = submission(
        "other_request", data={"subject": "Polisa", "message": "Czy mogę zmienić ubezpieczyciela?"}
    )
    with capture(execute=True):
        request_id = api_as(client_user).post("/api/requests/", body, format="json").json()["id"]
    with capture(execute=False):
        asked = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/ask-client/", {"question": "Numer polisy?"}, format="json"
        )
    assert asked.status_code == 200
    return request_id


def deliver_pending() -> None:
    """What the worker does once it catches up: make the events' deliveries and send them."""
    event_ids = list(OutboxEvent.objects.order_by("pk").values_list("pk", flat=True))
    services.send_deliveries(delivery_ids=services.create_notifications_for_events(event_ids=event_ids))


def test_no_waiting_e_mail_for_a_request_the_client_withdrew_before_it_went(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given the question's e-mail still waits for the worker when the client withdraws the request
    request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        assert api_as(client_user).post(f"/api/requests/{request_id}/cancel/").status_code == 200
    mail.outbox.clear()

    # when the worker sends what it has
    deliver_pending()

    # then nobody is asked for a reply the request no longer waits for, and the delivery says why
    assert not [m for m in mail.outbox if "czekamy na Twoją odpowiedź" in m.subject]
    waiting = Delivery.objects.get(template="waiting_for_client")
    assert waiting.status == Delivery.Status.SKIPPED
    assert "no longer waits for the client's reply" in waiting.last_error


def test_the_waiting_e_mail_still_goes_while_the_request_waits(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    deliver_pending()

    assert len([m for m in mail.outbox if "czekamy na Twoją odpowiedź" in m.subject]) == 1
    assert Delivery.objects.get(template="waiting_for_client").status == Delivery.Status.SENT


def test_the_reminder_names_the_day_the_request_is_cancelled(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        asked_at = timezone.now()
        request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
        deliver_pending()
        mail.outbox.clear()

        # when 14 days pass without a reply
        traveller.shift(timedelta(days=14, seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1

        # then the reminder says when the request is cancelled (the day-30 timer)
        (reminder,) = [m for m in mail.outbox if m.subject.startswith("Przypomnienie")]
        cancel_day = timezone.localtime(asked_at + timedelta(days=30)).strftime("%d.%m.%Y")
        assert f"Bez odpowiedzi wniosek zostanie anulowany {cancel_day}." in " ".join(reminder.body.split())
        assert f"/requests/{request_id}/" in reminder.body
