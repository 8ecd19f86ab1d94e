"""The "waiting for the client" task list says, on each row, the day the client is told to reply by and what
happens then — read from the due times the last step saved, not by loading each request's engine state."""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backend.core.money import format_date
from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import browsing_as
from tests.staff_walk14.helpers import submit_other
from workflows import steps
from workflows.contract import CANCEL_TIMER, REMINDER_TIMER
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db


def ask(api, request_id: int) -> None:
    response = api.post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Proszę o skan umowy."}, format="json"
    )
    assert response.status_code == 200, response.json()


def list_text(page, **query) -> str:
    response = page.get(reverse("staff-task-list"), {"scope": "client", **query})
    assert response.status_code == 200
    return " ".join(visible_text(response.content.decode()).split())


@pytest.fixture
def asked(api_as, client_user, bok_staff, acme_contract) -> int:
    request_id = submit_other(api_as(client_user), acme_contract)
    ask(api_as(bok_staff), request_id)
    return request_id


def test_a_step_saves_when_each_waiting_timer_falls_due(asked):
    instance = PortalRequest.objects.get(pk=asked).process_instance
    saved = {element_id: datetime.fromisoformat(due) for element_id, due in instance.timer_dues.items()}

    # the same as the engine state says, and the earliest is the sweep's next due time
    assert saved == {
        t.element_id: t.due
        for t in steps.engine.timer_due_times(steps.parsed(instance.process_version), instance.state)
        if t.due
    }
    assert {REMINDER_TIMER, CANCEL_TIMER} <= set(saved)
    assert instance.next_timer_due == min(saved.values())


def test_a_request_no_longer_waiting_has_no_saved_timers(api_as, client_user, asked):
    response = api_as(client_user).post(
        f"/api/requests/{asked}/reply/", {"message": "Skan w załączeniu."}, format="json"
    )
    assert response.status_code == 200, response.json()
    instance = PortalRequest.objects.get(pk=asked).process_instance
    assert CANCEL_TIMER not in instance.timer_dues


def test_the_list_row_says_reply_by_and_the_cancel_day(bok_staff, asked):
    cancel = steps.waiting_timer_dues(PortalRequest.objects.get(pk=asked).process_instance)[CANCEL_TIMER]
    reply_by = format_date(timezone.localdate(cancel) - timedelta(days=1))

    text = list_text(browsing_as(bok_staff))

    assert f"{reply_by} bez odpowiedzi: anulowanie {format_date(cancel)}" in text


def test_the_list_reads_no_engine_state_and_no_query_per_row(api_as, client_user, bok_staff, acme_contract):
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    page = browsing_as(bok_staff)
    ask(staff_api, submit_other(client_api, acme_contract))
    list_text(page)  # warm the caches
    with CaptureQueriesContext(connection) as one_row:
        list_text(page)
    for _ in range(3):
        ask(staff_api, submit_other(client_api, acme_contract))
    list_text(page)  # the writes cleared the caches

    with (
        mock.patch.object(steps.engine, "timer_due_times", side_effect=AssertionError("engine loaded")),
        CaptureQueriesContext(connection) as four_rows,
    ):
        text = list_text(page)

    assert text.count("bez odpowiedzi: anulowanie") == 4
    assert len(four_rows) == len(one_row)


def test_an_instance_saved_before_the_column_still_shows_its_dates(bok_staff, asked):
    # Rows stepped before the column existed keep null until their next step: read from the state.
    instance = PortalRequest.objects.get(pk=asked).process_instance
    expected = steps.waiting_timer_dues(instance)
    ProcessInstance.objects.filter(pk=instance.pk).update(timer_dues=None)

    assert steps.waiting_timer_dues(ProcessInstance.objects.get(pk=instance.pk)) == expected
    assert f"bez odpowiedzi: anulowanie {format_date(expected[CANCEL_TIMER])}" in list_text(
        browsing_as(bok_staff)
    )


def test_the_api_task_list_gives_the_same_wait_end(api_as, bok_staff, asked):
    staff_api = api_as(bok_staff)
    cancel = steps.waiting_timer_dues(PortalRequest.objects.get(pk=asked).process_instance)[CANCEL_TIMER]

    row = staff_api.get("/api/staff/tasks/", {"scope": "client"}).json()["results"][0]

    assert row["wait_end"] == {
        "reply_by": row["wait_end"]["reply_by"],
        "reply_by_day": (timezone.localdate(cancel) - timedelta(days=1)).isoformat(),
        "cancels": True,
    }
    assert datetime.fromisoformat(row["wait_end"]["reply_by"]) == cancel
    # a request waiting for staff has none
    assert all(r["wait_end"] is None for r in staff_api.get("/api/staff/tasks/").json()["results"])


def test_the_reply_by_day_has_its_own_column_in_english_too(bok_staff, asked):
    from django.utils import translation

    cancel = steps.waiting_timer_dues(PortalRequest.objects.get(pk=asked).process_instance)[CANCEL_TIMER]
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    with translation.override("en"):
        text = list_text(browsing_as(bok_staff))
    cancel_on = format_date(cancel, lang="en")

    # its own column header, after "Waiting since"
    assert text.index("Client's reply by") > text.index("Waiting since")
    assert f"cancelled on {cancel_on} if unanswered" in text
