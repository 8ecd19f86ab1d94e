"""Staff see the wait over time: every reminder sent on the task page, and on the closed list a request
cancelled for want of a reply told apart from one the client withdrew."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from backend.requests_app.timers import sweep_due_timers
from tests.auto_cancel22.test_closed_request_comments import auto_cancelled
from tests.robust_walk14.test_waiting_emails import asked_request

pytestmark = pytest.mark.django_db


def closed_status_of(page: str, number: str) -> str:
    row = page[page.index(f">{number}</a>") :]
    return re.search(r'data-testid="closed-status">([^<]*)<', row).group(1)


def test_the_closed_list_tells_an_auto_cancel_from_a_withdrawal(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given one request withdrawn by the client and one cancelled by the process for want of a reply
    withdrawn = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    assert api_as(client_user).post(f"/api/requests/{withdrawn}/cancel/").status_code == 200
    lapsed = auto_cancelled(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    numbers = {
        pk: api_as(client_user).get(f"/api/requests/{pk}/").json()["number"] for pk in (withdrawn, lapsed)
    }

    # when staff open the closed list
    client.force_login(bok_staff)
    page = client.get("/staff/tasks/", {"scope": "closed"}).content.decode()

    # then each says how it ended
    assert closed_status_of(page, numbers[withdrawn]) == "Wycofany przez klienta"
    assert closed_status_of(page, numbers[lapsed]) == "Anulowany: brak odpowiedzi w terminie"


def test_the_task_page_counts_the_reminders_sent(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given a request reminded on day 14
    request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    reminded_on = timezone.localdate(timezone.now() + timedelta(days=14, minutes=1))
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        client.force_login(bok_staff)
        page = client.get(f"/staff/tasks/{request_id}/").content.decode()

    # then the page says how many were sent and when
    sent = page[page.index('id="reminders-sent"') :]
    sent = sent[: sent.index("</dd>")]
    assert 'data-count="1"' in sent
    assert "1 przypomnienie:" in sent and f"{reminded_on:%d.%m.%Y}" in sent
