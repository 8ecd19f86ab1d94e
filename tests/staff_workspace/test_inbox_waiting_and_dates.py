"""The inbox page as customer service uses it: the unanswered queue longest waiting first with a "waiting
since" column, and an inverted date range said at its field with both typed dates kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.messaging.client_writes import add_client_comment, start_thread
from backend.messaging.models import Message, MessageThread

pytestmark = pytest.mark.django_db

INBOX = "/staff/messages/"


def subjects(html: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="/staff/messages/\d+/">([^<]+)</a>', html)


def test_the_unanswered_queue_shows_since_when_the_client_waits_longest_first(
    client, bok_staff, client_user, acme
):
    # given: one client asked three days ago and chased it today; another asked yesterday
    now = timezone.now()
    chased = start_thread(
        user=client_user, client=acme, subject="Ponaglona", category="other", body="?", contract=None
    )
    Message.objects.filter(thread=chased).update(created_at=now - timedelta(days=3))
    add_client_comment(user=client_user, thread=chased, body="Halo?")
    newer = start_thread(
        user=client_user, client=acme, subject="Nowsza", category="other", body="?", contract=None
    )
    Message.objects.filter(thread=newer).update(created_at=now - timedelta(days=1))
    MessageThread.objects.filter(pk=newer.pk).update(last_message_at=now - timedelta(days=1))
    client.force_login(bok_staff)

    # when
    html = client.get(INBOX, {"queue": "unanswered"}).content.decode()

    # then: the one waiting longest first (the latest message alone put it second)
    assert subjects(html) == ["Ponaglona", "Nowsza"]
    assert 'aria-sort="ascending"' in html and "Czeka od" in html
    since = re.findall(r'data-testid="waiting-since"><time datetime="([^"]+)"', html)
    assert [s[:10] for s in since] == [
        timezone.localtime(now - timedelta(days=days)).date().isoformat() for days in (3, 1)
    ]


def test_an_inverted_date_range_is_said_at_its_field_with_both_dates_kept(client, bok_staff, thread):
    client.force_login(bok_staff)
    html = client.get(INBOX, {"date_from": "2026-12-01", "date_to": "2026-11-01"}).content.decode()
    assert 'name="date_from" value="2026-12-01"' in html
    assert re.search(
        r'name="date_to" value="2026-11-01" aria-invalid="true" aria-describedby="f-date-to-error"', html
    )
    assert "Zakres dat jest odwrócony" in html


def test_a_malformed_due_date_on_the_task_list_is_kept_beside_its_error(client, bok_staff):
    client.force_login(bok_staff)
    html = client.get("/staff/tasks/", {"due_before": "31.02.2026"}).content.decode()
    assert re.search(r'name="due_before" value="31.02.2026" aria-invalid="true"', html)
