"""One computation and one wording of the reply deadline: reply by D (the last full day), cancelled on D+1,
on the page, in the API, in the question's e-mail and in the reminder, as the timer does it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from backend.requests_app.models import RequestStatus
from backend.requests_app.timers import sweep_due_timers
from tests.emails17.conftest import html_of, mails_to
from tests.robust_walk14.test_waiting_emails import asked_request, deliver_pending

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
ASKED = datetime(2026, 11, 30, 5, 6, tzinfo=WARSAW)
LINE = "Prosimy o odpowiedź do 29.12.2026. Bez odpowiedzi wniosek zostanie anulowany 30.12.2026."


def test_page_api_question_and_reminder_say_the_same_days_and_the_timer_keeps_them(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(ASKED, tick=False) as traveller:
        request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
        # the question's e-mail and the page
        mail.outbox.clear()
        deliver_pending()
        (asked_mail,) = [m for m in mails_to(client_user.email) if "czekamy" in m.subject]
        assert LINE in " ".join(asked_mail.body.split()) and LINE in html_of(asked_mail)
        client.force_login(client_user)
        assert LINE in client.get(f"/requests/{request_id}/").content.decode()
        # the API: the last full day, and the moment the timer ends the wait (its day is the cancel day)
        wait = api_as(client_user).get(f"/api/requests/{request_id}/").json()["client_wait"]
        assert wait["reply_by_day"] == "2026-12-29"
        assert datetime.fromisoformat(wait["reply_by"]).astimezone(WARSAW).date() == date(2026, 12, 30)

        # the day-14 reminder says the same
        mail.outbox.clear()
        traveller.move_to(ASKED + timedelta(days=14, minutes=5))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        (reminder,) = mails_to(client_user.email)
        assert LINE in " ".join(reminder.body.split()) and LINE in html_of(reminder)

        # a reply on 29.12 is still in time; the timer cancels on 30.12
        traveller.move_to(datetime(2026, 12, 29, 23, 59, tzinfo=WARSAW))
        sweep_due_timers()
        assert api_as(client_user).get(f"/api/requests/{request_id}/").json()["status"] == (
            RequestStatus.WAITING_FOR_CLIENT
        )
        traveller.move_to(ASKED + timedelta(days=30, minutes=1))
        sweep_due_timers()
        assert (
            api_as(client_user).get(f"/api/requests/{request_id}/").json()["status"]
            == RequestStatus.CANCELLED
        )
