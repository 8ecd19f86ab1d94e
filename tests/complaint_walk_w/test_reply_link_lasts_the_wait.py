"""The question e-mail's one-time reply link works as long as the client's reply is awaited: for a complaint
asked about on 24.11.2026 the client is told to reply by 18.12.2026, and the link works until the wait ends
(before: 7 days, to 01.12.2026); its e-mail names that day. Still once, and refused after the wait's end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.requests_app.models import ReplyLink, RequestEvent
from tests.complaint_helpers import asked_complaint, at_day
from tests.reply_link.helpers import reply_link_path

pytestmark = pytest.mark.django_db


def asked_on_day_zero(api_as, client_user, bok_staff, capture) -> tuple[int, str, str]:
    """A complaint asked about on day 0 (24.11.2026): its id, the reply link path and the e-mail's text."""
    with time_machine.travel(at_day(0, hour=10), tick=False):
        submitted = asked_complaint(api_as, client_user, bok_staff, capture)
    (question,) = [m for m in mail.outbox if client_user.email in m.to]
    return submitted["id"], reply_link_path(client_user.email), " ".join(question.body.split())


def test_the_link_works_until_the_reply_by_day_the_email_names(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    request_id, path, body = asked_on_day_zero(
        api_as, client_user, bok_staff, django_capture_on_commit_callbacks
    )

    # then: the e-mail says the link works until the client's reply-by day, the day it asks a reply by
    assert "Prosimy o odpowiedź do 18.12.2026" in body
    assert "(link jednorazowy, ważny do 18.12.2026):" in body
    assert "7 dni" not in body
    (link,) = ReplyLink.objects.filter(request_id=request_id)
    assert timezone.localdate(link.expires_at) == date(2026, 12, 19)

    # and on 18.12.2026 (day 24, long after 7 days) the link still answers, once
    with time_machine.travel(at_day(24, hour=18), tick=False):
        assert client.get(path).status_code == 200
        assert client.post(path, {"message": "Skan w załączeniu."}).status_code == 200
        assert client.post(path, {"message": "Jeszcze raz."}).status_code == 410
    assert RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.REPLY).count() == 1


def test_the_link_stops_with_the_wait(
    client, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    _request_id, path, _body = asked_on_day_zero(
        api_as, client_user, bok_staff, django_capture_on_commit_callbacks
    )
    (link,) = ReplyLink.objects.all()

    with time_machine.travel(link.expires_at + timedelta(minutes=1), tick=False):
        response = client.post(path, {"message": "Za późno"})

    assert response.status_code == 410
    assert link.expires_at <= at_day(0, hour=10) + timedelta(days=30)


def test_an_english_reader_is_told_the_same_day(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    _request_id, _path, body = asked_on_day_zero(
        api_as, client_user, bok_staff, django_capture_on_commit_callbacks
    )

    assert "(a single-use link, valid until 2026-12-18):" in body
