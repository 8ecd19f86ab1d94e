"""A late sweep reminds once for a cycle's missed reminders, and the history row says it stands for them.

When beat was down past two due times of a repeating reminder (R3/P7D), one sweep fires the cycle once
(workflows/engine/timers.py): the client gets one e-mail, and the one "Reminder sent" row names the
reminders it stands for, in Polish and English, to staff (their page and API); the client, reminded once,
reads the row's title alone (the sweep being late is no news to them), on the page and in the API.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client as PageClient
from django.urls import reverse

from backend.core.models import OutboxEvent
from backend.requests_app.models import RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.requests_app.test_timer_batches import reminder_every_week_three_times, waiting_for_client

pytestmark = pytest.mark.django_db


def page(user, path: str, lang: str) -> str:
    browser = PageClient()
    browser.force_login(user)
    browser.post(reverse("set_language"), {"language": lang, "next": "/"})
    response = browser.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_late_sweep_past_two_reminders_sends_one_that_says_it_stands_for_both(
    client_user, acme, bok_staff, analyst, django_capture_on_commit_callbacks
):
    # given a reminder every week (R3/P7D) and a request waiting for the client's reply since T0
    reminder_every_week_three_times(analyst)
    with time_machine.travel("2026-12-01 10:00 +0100", tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            [waiting] = waiting_for_client(client_user, acme, bok_staff, 1)
        mail.outbox.clear()

        # when beat was down and the first sweep runs on day 15, past the reminders of days 7 and 14
        traveller.shift(timedelta(days=15))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1

    # then the client got one e-mail, a plain reminder (the sweep's lateness is not theirs to hear of)
    [reminder] = [m for m in mail.outbox if m.subject.startswith("Przypomnienie")]
    assert reminder.to == [client_user.email]
    assert "Nadal czekamy na Twoją odpowiedź" in reminder.body
    assert "opóźnieni" not in reminder.body and "08.12.2026" not in reminder.body
    # and the history one row
    assert (
        OutboxEvent.objects.filter(kind=OutboxEvent.Kind.REQUEST_REMINDER, subject_id=waiting.pk).count() == 1
    )
    [row] = RequestEvent.objects.filter(request=waiting, kind=RequestEvent.Kind.REMINDER)
    # and the row names the two due times it stands for
    assert row.data["late_for"] == [
        (datetime(2026, 12, 1, 9, tzinfo=UTC) + timedelta(days=days)).isoformat() for days in (7, 14)
    ]
    polish = "Wysłane z opóźnieniem: jedno przypomnienie za te zaplanowane na 08.12.2026, 15.12.2026."
    english = "Sent late: one reminder for those due on 2026-12-08, 2026-12-15."
    assert row.message == polish
    # and the staff's page says so, in the reader's language
    assert polish in page(bok_staff, f"/staff/tasks/{waiting.pk}/", "pl")
    assert english in page(bok_staff, f"/staff/tasks/{waiting.pk}/", "en")
    # while the client's page says they were reminded, and nothing of the sweep's lateness
    for lang, said, late in (
        ("pl", "Wysłano przypomnienie", "z opóźnieniem"),
        ("en", "Reminder sent", "Sent late"),
    ):
        client_page = page(client_user, f"/requests/{waiting.pk}/", lang)
        assert said in client_page
        assert late not in client_page


def history_row(api, path: str) -> dict:
    response = api.get(path)
    assert response.status_code == 200, response.json()
    [row] = [row for row in response.json()["history"] if row["kind"] == RequestEvent.Kind.REMINDER]
    return row


def test_the_api_gives_the_late_reminders_detail_to_staff_and_the_row_alone_to_the_client(
    api_as, client_user, acme, bok_staff, analyst
):
    # given a late sweep's one reminder standing for the two missed ones
    reminder_every_week_three_times(analyst)
    with time_machine.travel("2026-12-01 10:00 +0100", tick=False) as traveller:
        [waiting] = waiting_for_client(client_user, acme, bok_staff, 1)
        traveller.shift(timedelta(days=15))
        assert sweep_due_timers() == 1

    # then staff read which reminders it stands for
    staff_row = history_row(api_as(bok_staff), f"/api/staff/requests/{waiting.pk}/")
    assert staff_row["message"].startswith("Wysłane z opóźnieniem: jedno przypomnienie")
    assert len(staff_row["data"]["late_for"]) == 2
    # and the client that they were reminded, in the words of any reminder
    client_row = history_row(api_as(client_user), f"/api/requests/{waiting.pk}/")
    assert client_row["kind_label"] == "Wysłano przypomnienie"
    assert (client_row["message"], client_row["data"]) == ("", {})


def test_a_reminder_sent_on_time_says_nothing_more(
    client_user, acme, bok_staff, analyst, django_capture_on_commit_callbacks
):
    # given the same weekly reminder, swept in time on day 7 and day 14
    reminder_every_week_three_times(analyst)
    with time_machine.travel("2026-12-01 10:00 +0100", tick=False) as traveller:
        [waiting] = waiting_for_client(client_user, acme, bok_staff, 1)
        for _week in range(2):
            traveller.shift(timedelta(days=7, minutes=1))
            assert sweep_due_timers() == 1

    # then each reminder is its own plain row
    rows = RequestEvent.objects.filter(request=waiting, kind=RequestEvent.Kind.REMINDER)
    assert [(row.message, row.data) for row in rows] == [("", {}), ("", {})]
