"""FT2 (tests/faults35/test_documents_waiting.py, in a browser): the administrator's phone, the worker down: the document waiting too long is listed with its request and
"Render now" (stacked, the page not wider than the screen), and rendering it says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.requests_app.decision_document import PENDING_KEY
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "() => document.querySelector('.messages .message').textContent.trim()"


def test_an_administrator_on_a_phone_renders_a_document_the_worker_never_prepared(
    browser, live_server, client_user, acme
):
    admin = UserFactory(email="admin@leasing.example", role="admin", is_staff=True)
    portal_request = submit_other_request(client_user, acme)
    render = {"outcome": "approved", "reason": "", "answer": "Tak.", "summary": []}
    event = RequestEvent.objects.create(
        request=portal_request,
        kind=RequestEvent.Kind.DOCUMENT,
        data={PENDING_KEY: True, "document_id": None, "document_kind": "decision", "render": render},
    )
    RequestEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=25))
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    log_in(page, admin)
    page.goto("/staff/")

    row = page.locator("[data-testid=op-waiting-documents-list] tbody tr")
    assert row.count() == 1 and portal_request.number in row.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    with page.expect_navigation():
        page.click(f"#render-document-{event.pk}")

    assert page.evaluate(MESSAGE) == "Dokument został wygenerowany: klient może go już pobrać z wniosku."
    assert page.locator("[data-testid=op-waiting-documents-list]").count() == 0
    assert PortalRequest.objects.get(pk=portal_request.pk).decision_document_id is not None
    context.close()
