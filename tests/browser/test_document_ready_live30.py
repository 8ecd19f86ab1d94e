"""A decision document the worker stores after the deciding step shows on the request's open pages without
a reload: the client's "Dokument w przygotowaniu" becomes its download link, and the staff task page's too
(the history row no longer says the document is being prepared)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from backend.requests_app import decision_document
from backend.requests_app.models import PortalRequest, RequestStatus
from tests.browser.test_live_stage import open_processing_page
from tests.browser.test_staff_inbox import open_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stored_document_appears_live_on_the_client_and_staff_pages(
    browser, asgi_server, client_user, bok_staff, acme, settings, monkeypatch
):
    # given: a decided request whose document the worker has not stored yet (a real worker's set-up)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued: list[int] = []
    monkeypatch.setattr(decision_document, "publish_ids", lambda task, ids: queued.extend(ids))
    portal_request = submit_other_request(client_user, acme)
    with transaction.atomic():
        PortalRequest.objects.filter(pk=portal_request.pk).update(
            status=RequestStatus.COMPLETED, decided_at=timezone.now()
        )
        decision_document.request_decision_document(portal_request, outcome="approved", answer="Zgoda.")
    assert len(queued) == 1

    client_context, client_page = open_processing_page(browser, asgi_server, client_user, portal_request)
    staff_context, staff_page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{portal_request.pk}/")
    staff_page.wait_for_selector("[data-live-indicator][data-state=online]")
    assert client_page.locator("#decision-document-preparing").is_visible()
    assert staff_page.locator("#decision-document-preparing").is_visible()
    assert "Dokument w przygotowaniu" in staff_page.locator("#request-history").inner_text()
    for page in (client_page, staff_page):
        page.evaluate("window.__notReloaded = true")

    # when: the worker stores it
    decision_document.render_pending_document(queued[0])

    # then: both pages show its link, without a reload
    client_page.locator("#live-request-status a[href$='/decision-document/']").wait_for()
    staff_page.locator("#decision-document").wait_for()
    assert client_page.locator("#decision-document-preparing").count() == 0
    assert staff_page.locator("#decision-document-preparing").count() == 0
    assert "Dokument w przygotowaniu" not in staff_page.locator("#request-history").inner_text()
    for page in (client_page, staff_page):
        assert page.evaluate("window.__notReloaded") is True
    client_context.close()
    staff_context.close()
