"""A reminder the sweep fires after the wait has ended reminds no one.

When beat was down past the day-14 reminder (due 08.12.2026) of a complaint asked about on day 0, the first
sweep (19.12.2026 00:01) fires the reminder and then the reply timer (due 19.12.2026 00:00). By then the
client's time to reply is over: the client gets the "no reply came" notice alone, and the history has no
"Reminder sent" row before "No reply from the client" (no reminder e-mail could go, the wait being over).
A reminder fired late while the wait still runs does go, and tells staff which due day it stands for.
"""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from backend.core.models import OutboxEvent
from backend.requests_app.models import RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.complaint_helpers import asked_complaint, at_day

pytestmark = pytest.mark.django_db


def asked_on_day_zero(api_as, client_user, bok_staff, capture) -> int:
    """The id of a complaint asked about now (the callers' day 0), the outbox emptied."""
    submitted = asked_complaint(api_as, client_user, bok_staff, capture)
    mail.outbox.clear()
    return submitted["id"]


def test_a_reminder_fired_after_the_wait_ended_reminds_no_one(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        request_id = asked_on_day_zero(api_as, client_user, bok_staff, capture)
        # when beat was down from before the reminder's day until after the reply timer's moment
        traveller.move_to(at_day(25))
        with capture(execute=True):
            sweep_due_timers()

        # then the history has the wait's end and no reminder
        kinds = list(
            RequestEvent.objects.filter(request_id=request_id)
            .order_by("created_at", "pk")
            .values_list("kind", flat=True)
        )
        assert RequestEvent.Kind.NO_REPLY in kinds
        assert RequestEvent.Kind.REMINDER not in kinds
        assert not OutboxEvent.objects.filter(kind=OutboxEvent.Kind.REQUEST_REMINDER, subject_id=request_id)
        # and the client got one notice (the wait's end), no reminder
        titles = [n["title"] for n in api_as(client_user).get("/api/notices/").json()["results"]]
        assert not [t for t in titles if t.startswith("Przypomnienie")]
        assert [t for t in titles if "nie otrzymaliśmy odpowiedzi do 18.12.2026" in t]
        assert not [m for m in mail.outbox if m.subject.startswith("Przypomnienie")]
        # and the client's history shows no reminder
        events = api_as(client_user).get(f"/api/requests/{request_id}/").json()["history"]
        assert "reminder" not in [e["kind"] for e in events]


def test_a_single_late_reminder_tells_staff_its_due_day(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        request_id = asked_on_day_zero(api_as, client_user, bok_staff, capture)
        # when the first sweep after the reminder's due time (08.12.2026 10:00) runs the next day
        traveller.move_to(at_day(15, hour=9))
        with capture(execute=True):
            assert sweep_due_timers() == 1

    # then the client is reminded, and the row tells staff it went late, for which day
    [reminder] = [m for m in mail.outbox if m.subject.startswith("Przypomnienie")]
    assert "opóźnieni" not in reminder.body
    [row] = RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.REMINDER)
    assert row.message == "Wysłane z opóźnieniem: przypomnienie zaplanowane na 08.12.2026."
    assert row.data["message_en"] == "Sent late: the reminder due on 2026-12-08."
    # the client reads the title alone
    [event] = [
        e
        for e in api_as(client_user).get(f"/api/requests/{request_id}/").json()["history"]
        if e["kind"] == "reminder"
    ]
    assert "opóźnieni" not in str(event)


def test_a_reminder_fired_on_its_day_says_nothing_of_lateness(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        request_id = asked_on_day_zero(api_as, client_user, bok_staff, capture)
        traveller.move_to(at_day(14, hour=16))  # hours late, the same day
        with capture(execute=True):
            assert sweep_due_timers() == 1
    [row] = RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.REMINDER)
    assert row.message == ""
