"""An analyst moves several running requests to the newest flow version in one action."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.core.models import AuditLog
from backend.requests_app.models import RequestEvent
from tests.portal_ui.test_flow_migration import submit_request
from workflows.services import deploy_bpmn_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYMENT_XML = (Path(__file__).resolve().parents[2] / "bpmn" / "payment_date_change.bpmn").read_text(
    encoding="utf-8"
)


def test_analyst_moves_the_ticked_requests_at_once(page, login, client_user, acme, analyst):
    # given two requests on version 1 and a newer version 2
    first, second = submit_request(client_user, acme, 1), submit_request(client_user, acme, 2)
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    login(page, analyst)
    page.goto("/analyst/flows/payment_date_change/migrations/")
    form = page.locator("[data-testid=batch-move-form]")

    # when they tick both and move them without confirming, then the page says what is missing
    page.get_by_label(f"Przenieś {first.number} w grupie").check()
    page.get_by_label(f"Przenieś {second.number} w grupie").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Przenieś wnioski").click()
    # (beside the confirmation, the ticks kept: session 30)
    assert "Potwierdź, że wnioski będą kontynuowane" in page.locator("#batch-confirm-error").inner_text()
    assert not RequestEvent.objects.filter(kind=RequestEvent.Kind.MIGRATED).exists()
    assert page.get_by_label(f"Przenieś {first.number} w grupie").is_checked()
    assert page.get_by_label(f"Przenieś {second.number} w grupie").is_checked()

    # when they confirm and move
    form.get_by_label("Potwierdzam, że te wnioski będą kontynuowane na wybranej wersji.").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Przenieś wnioski").click()

    # then each request's result is listed, and both run on version 2 with their history and audit rows
    assert "2 wnioski działają teraz na wersji 2." in page.locator(".messages").inner_text()
    table = page.locator("[data-testid=batch-result-table]")
    for portal_request in (first, second):
        row = table.locator(f"[data-testid=batch-result-{portal_request.process_instance_id}]")
        assert portal_request.number in row.inner_text() and "Przeniesiony" in row.inner_text()
        portal_request.process_instance.refresh_from_db()
        assert portal_request.process_instance.process_version.number == 2
        assert (
            RequestEvent.objects.filter(request=portal_request, kind=RequestEvent.Kind.MIGRATED).count() == 1
        )
    assert AuditLog.objects.filter(action="workflow.migrate_instance", user=analyst).count() == 2
