"""The reply-by date a client is given: the calendar feed's event is on the last full day before the wait
ends without a reply (the staff page's "cancelled automatically" time, not the day-14 reminder), keeps its
UID when the reminder fires, and the request page and the first "we are waiting for your reply" e-mail name
it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from backend.requests_app.timers import sweep_due_timers
from tests.calendar_feed.test_feed import events_of, feed_url
from tests.complaints.test_clock import submit_complaint
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
ASKED = datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)  # cancel due 30.12.2026 10:00, reminder 14.12.2026


def asked_request(api_as, client_user, bok_staff, capture) -> int:
    body = submission(
        "other_request", data={"subject": "Polisa", "message": "Czy mogę zmienić ubezpieczyciela?"}
    )
    with capture(execute=True):
        request_id = api_as(client_user).post("/api/requests/", body, format="json").json()["id"]
    mail.outbox.clear()
    with capture(execute=True):
        asked = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/ask-client/", {"question": "Numer polisy?"}, format="json"
        )
    assert asked.status_code == 200, asked.json()
    return request_id


def reply_event(client, user, request_id: int):
    (event,) = [
        e for e in events_of(client.get(feed_url(user))) if str(e["UID"]).startswith(f"request-{request_id}-")
    ]
    return event


def test_the_calendar_event_is_on_the_cancel_day_and_keeps_its_uid_after_the_reminder(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(ASKED, tick=False) as traveller:
        request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)

        # the staff page cancels on 30.12.2026 at 10:00: the calendar's day is the last full one before it,
        # 29.12 (not the reminder's 14.12)
        cancel_at = (
            api_as(bok_staff).get(f"/api/staff/requests/{request_id}/").json()["client_wait"]["cancel_at"]
        )
        assert datetime.fromisoformat(cancel_at).astimezone(WARSAW).date() == date(2026, 12, 30)
        before = reply_event(client, client_user, request_id)
        assert before.decoded("DTSTART") == date(2026, 12, 29)

        # the first e-mail and the request page name the same day
        (asked_mail,) = [m for m in mail.outbox if client_user.email in m.to]
        assert "Prosimy o odpowiedź do 29.12.2026" in asked_mail.body
        client.force_login(client_user)
        page = client.get(f"/requests/{request_id}/").content.decode()
        assert (
            "Prosimy o odpowiedź do 29.12.2026. Bez odpowiedzi wniosek zostanie anulowany 30.12.2026." in page
        )

        # when the day-14 reminder fires, the event is the same one (same UID, same day)
        traveller.move_to(ASKED + timedelta(days=14, minutes=5))
        assert sweep_due_timers() == 1
        after = reply_event(client, client_user, request_id)
        assert str(after["UID"]) == str(before["UID"])
        assert after.decoded("DTSTART") == date(2026, 12, 29)


def test_a_complaints_reply_by_day_leaves_staff_days_before_the_deadline_and_promises_no_cancellation(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(ASKED, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            request_id = submit_complaint(api_as(client_user))["id"]  # answer due by 30.12.2026
        traveller.move_to(ASKED + timedelta(days=2))
        assert (
            api_as(bok_staff)
            .post(
                f"/api/staff/requests/{request_id}/ask-client/", {"question": "Skan faktury?"}, format="json"
            )
            .status_code
            == 200
        )

        # the client replies by 24.12.2026: the wait ends 5 days before the statutory deadline (30.12),
        # which staff keep to answer
        event = reply_event(client, client_user, request_id)
        assert event.decoded("DTSTART") == date(2026, 12, 24)
        assert "anulowan" not in str(event["DESCRIPTION"])
        client.force_login(client_user)
        page = client.get(f"/requests/{request_id}/").content.decode()
        assert "Prosimy o odpowiedź do 24.12.2026: po tym dniu odpowiemy" in page
