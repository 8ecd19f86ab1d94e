"""A request waiting for the client says since when it waits and when its process reminds the client (day 14)
and cancels the request (day 30): the due times of the process's own timers, on the task page and in
GET /api/staff/requests/{id}/."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from backend.core.money import format_date, format_time
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.logged_in_clients import browsing_as
from tests.staff_walk14.helpers import submit_other, task_page_text
from workflows.contract import CANCEL_TIMER, REMINDER_TIMER
from workflows.services import waiting_timer_dues

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(api_as, client_user, bok_staff, acme_contract) -> int:
    request_id = submit_other(api_as(client_user), acme_contract)
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Proszę o skan umowy."}, format="json"
    )
    assert response.status_code == 200, response.json()
    return request_id


def test_the_api_gives_the_wait_from_the_timers_of_the_process(api_as, bok_staff, asked):
    wait = api_as(bok_staff).get(f"/api/staff/requests/{asked}/").json()["client_wait"]

    portal_request = PortalRequest.objects.select_related("process_instance").get(pk=asked)
    dues = waiting_timer_dues(portal_request.process_instance)
    asked_at = RequestEvent.objects.get(request_id=asked, kind=RequestEvent.Kind.QUESTION).created_at
    assert datetime.fromisoformat(wait["since"]) == asked_at
    assert datetime.fromisoformat(wait["reminder_at"]) == dues[REMINDER_TIMER]
    assert datetime.fromisoformat(wait["cancel_at"]) == dues[CANCEL_TIMER]
    assert abs(dues[REMINDER_TIMER] - (asked_at + timedelta(days=14))) < timedelta(minutes=1)
    assert abs(dues[CANCEL_TIMER] - (asked_at + timedelta(days=30))) < timedelta(minutes=1)
    assert wait["reminded_at"] is None


def test_the_task_page_states_since_when_and_the_reminder_and_cancel_dates(bok_staff, asked):
    dues = waiting_timer_dues(PortalRequest.objects.get(pk=asked).process_instance)
    text = task_page_text(browsing_as(bok_staff), asked)

    assert f"Czeka na klienta od {format_date(timezone.now())}" in text
    reminder, cancel = dues[REMINDER_TIMER], dues[CANCEL_TIMER]
    assert f"Przypomnienie dla klienta {format_date(reminder)} {format_time(reminder)}" in text
    # the day the client is told to reply by, then when the request is cancelled (client_waits.ClientWait)
    reply_by = format_date(timezone.localdate(cancel) - timedelta(days=1))
    assert (
        f"Odpowiedź klienta do {reply_by} (bez odpowiedzi: anulowanie {format_date(cancel)} {format_time(cancel)}"
        in text
    )


def test_a_request_waiting_for_staff_has_no_wait(api_as, bok_staff, client_user, acme_contract):
    request_id = submit_other(api_as(client_user), acme_contract)
    assert api_as(bok_staff).get(f"/api/staff/requests/{request_id}/").json()["client_wait"] is None
