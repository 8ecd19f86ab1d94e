"""An analyst repairs a request from the repair console: suspends and resumes it, resolves its incident and
cancels it with a reason; each step is in the request's history and the audit log."""

import pytest

from backend.core.models import AuditLog
from backend.requests_app.models import RequestEvent
from tests.browser.a11y import assert_accessible
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import Incident, IncidentState, ProcessInstance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_repairs_a_request_from_the_console(page, login, analyst, client_user, acme):
    # given a request in review whose last step failed
    portal_request = submit_request(client_user, acme)
    instance = portal_request.process_instance
    incident = Incident.objects.create(
        instance=instance,
        process_version_id=instance.process_version_id,
        action="approve",
        element_id="issue_decision_document",
        error_class="builtins.RuntimeError",
        message="printer on fire",
    )
    ProcessInstance.objects.filter(pk=instance.pk).update(incident_state=IncidentState.OPEN)
    login(page, analyst)

    # when they open the console: the incident and the counts are listed
    page.goto("/ops/")
    assert page.get_by_role("heading", name="Konsola napraw").is_visible()
    row = page.locator(f"[data-testid=incident-{incident.pk}]")
    assert "issue_decision_document" in row.inner_text()
    assert "payment_date_change" in page.locator("[data-testid=ops-counts]").inner_text()
    assert_accessible(page, "repair console")
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/ops_console_375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/ops_console_1280.png", full_page=True)

    # when they suspend the request's instance with a note, then resume it
    with page.expect_navigation():
        row.get_by_role("link", name=portal_request.number).click()
    page.fill("#suspend-note", "Sprawdzamy drukarkę")
    page.check("[data-testid=ops-suspend] input[name=confirmed]")
    with page.expect_navigation():
        page.locator("[data-testid=ops-suspend] button").click()
    assert "Wstrzymano: do wznowienia żaden krok się nie wykona." in page.locator("body").inner_text()
    assert "wstrzymana" in page.locator("[data-testid=ops-status]").inner_text()
    assert_accessible(page, "instance repair page")
    page.screenshot(path="/tmp/ops_instance_1280.png", full_page=True)
    with page.expect_navigation():
        page.locator("[data-testid=ops-resume] button").click()
    assert "Wznowiono: kroki znów się wykonują." in page.locator("body").inner_text()

    # when they resolve the incident from the console with a note
    page.goto("/ops/")
    page.fill(f"#note-{incident.pk}", "Drukarka naprawiona")
    with page.expect_navigation():
        row.get_by_role("button", name="Rozwiąż").click()
    assert "Incydent został rozwiązany" in page.locator("body").inner_text()
    assert page.locator(f"[data-testid=incident-{incident.pk}]").count() == 0

    # when they cancel the instance: a page of its own says what happens and asks for the reason
    page.goto(f"/ops/instances/{instance.pk}/")
    with page.expect_navigation():
        page.locator("[data-testid=ops-cancel] a").click()
    assert f"Anulować wniosek {portal_request.number}?" in page.locator("h1").inner_text()
    assert "Anulowany przez leasingodawcę" in page.locator("[data-testid=cancel-consequences]").inner_text()
    assert_accessible(page, "cancel confirmation page")
    page.fill("#cancel-reason", "Duplikat wniosku")
    with page.expect_navigation():
        page.locator("[data-testid=ops-cancel-confirm] button").click()
    assert "Anulowano na dobre." in page.locator("body").inner_text()

    # then every step is in the audit log and the request's history, and the request is cancelled
    actions = list(
        AuditLog.objects.filter(action__startswith="workflow.repair.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "workflow.repair.suspend",
        "workflow.repair.resume",
        "workflow.repair.resolve_incident",
        "workflow.repair.cancel",
    ]
    assert AuditLog.objects.get(action="workflow.repair.cancel").detail["after"]["status"] == "cancelled"
    history = RequestEvent.objects.filter(request=portal_request, kind="repaired").order_by("pk")
    assert [event.data["action"] for event in history] == ["suspend", "resume", "resolve_incident", "cancel"]
    assert history.last().message == "Duplikat wniosku"
    portal_request.refresh_from_db()
    assert portal_request.status == "cancelled"
