"""The notice bell asks for the unread count only after an event that may make a notice (session 31): it
asked on every pushed event, a stored decision document's (`request.document_ready`) too, which makes no
notice. The server marks such an event `notice: false` (notifications/push.message_for_event, from the
kinds that make notices, recipients.NOTICE_KINDS); bell.js reads the mark, no list of kinds of its own."""

from __future__ import annotations

import pytest
from django.db import transaction

from backend.requests_app import outbox
from tests.browser.test_live_stage import open_processing_page
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every pushed event's kind, as the page's socket hands it to the page's scripts.
RECORD_EVENTS = """() => { window.__kinds = [];
  window.portalSocket.on('message', d => { if (d.type === 'event') window.__kinds.push(d.event.kind); }); }"""


def test_the_bell_asks_no_count_for_an_event_that_makes_no_notice(
    browser, asgi_server, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    portal_request = submit_other_request(client_user, acme)
    context, page = open_processing_page(browser, asgi_server, client_user, portal_request)
    count_url = page.locator("#notice-bell").get_attribute("data-count-api")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if count_url in request.url else None)
    page.evaluate(RECORD_EVENTS)

    # a stored decision document: no notice, so no count asked (not now, nor the second ask 3 s later)
    with transaction.atomic():
        outbox.document_ready(portal_request, decided_by_id=None)
    for _ in range(100):  # the page's CSP refuses wait_for_function's evaluated string
        if "request.document_ready" in page.evaluate("() => window.__kinds"):
            break
        page.wait_for_timeout(100)
    assert "request.document_ready" in page.evaluate("() => window.__kinds")
    page.wait_for_timeout(3500)
    assert asked == []

    # a reminder makes a notice: the bell asks
    with page.expect_request(lambda request: count_url in request.url), transaction.atomic():
        outbox.reminder_sent(portal_request)
    assert "request.reminder" in page.evaluate("() => window.__kinds")
    context.close()
