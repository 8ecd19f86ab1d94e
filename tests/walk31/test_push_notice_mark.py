"""A pushed event that makes no notice says so (`notice: false`), read by the bell (bell.js) instead of a
list of kinds of its own: a stored decision document, a colleague's note, a thread changing hands. An event
that may make a notice carries no mark."""

from __future__ import annotations

import pytest

from backend.core.models import OutboxEvent
from backend.requests_app import outbox
from notifications.push import message_for_event
from notifications.recipients import NOTICE_KINDS

Kind = OutboxEvent.Kind


@pytest.mark.django_db
def test_only_events_that_may_make_a_notice_go_unmarked(open_request, bok_staff):
    outbox.document_ready(open_request, decided_by_id=None)
    outbox.internal_note_added(open_request, author=bok_staff)
    outbox.reminder_sent(open_request)
    pushed = {event.kind: message_for_event(event)["event"] for event in OutboxEvent.objects.all()}
    assert pushed[Kind.REQUEST_DOCUMENT_READY]["notice"] is False
    assert pushed[Kind.REQUEST_INTERNAL_NOTE]["notice"] is False
    assert "notice" not in pushed[Kind.REQUEST_REMINDER]
    for kind, body in pushed.items():
        assert ("notice" not in body) == (kind in NOTICE_KINDS), kind
