"""#1: a question asked at 05:06 cancels the request 30 days later at 05:06: the client is told to reply
by the last full day before that, everywhere the date appears."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.calendar_feed.test_feed import events_of, feed_url
from tests.clocks16.test_reply_by_date import asked_request
from tests.emails17.conftest import html_of, mails_to

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
ASKED = datetime(2026, 11, 30, 5, 6, tzinfo=WARSAW)  # the cancel timer fires 30.12.2026 ~05:06
REPLY_BY = "Prosimy o odpowiedź do 29.12.2026. Bez odpowiedzi wniosek zostanie anulowany 30.12.2026."


def test_the_client_is_given_the_last_full_day_before_the_cancellation(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(ASKED, tick=False):
        # when
        request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)

        # then: the e-mail (text and HTML), the request page and the calendar say 29.12, not 30.12
        (asked_mail,) = mails_to(client_user.email)
        assert REPLY_BY in asked_mail.body
        assert REPLY_BY in html_of(asked_mail)
        client.force_login(client_user)
        page = client.get(f"/requests/{request_id}/").content.decode()
        assert REPLY_BY in page
        assert 'data-reply-by="2026-12-29"' in page
        (event,) = [
            e
            for e in events_of(client.get(feed_url(client_user)))
            if str(e["UID"]).startswith(f"request-{request_id}-")
        ]
        assert event.decoded("DTSTART") == date(2026, 12, 29)
