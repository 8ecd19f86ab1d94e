"""An analyst tests a version, deploys one, and rolls back to the earlier one from the versions page."""

import pytest

from tests.browser.a11y import assert_accessible
from tests.workflows.test_services import PAYMENT_XML
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_tests_deploys_and_rolls_back(page, login, analyst):
    # given version 2 of the payment day flow deployed (it passed its test run and became current)
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    login(page, analyst)
    page.goto("/analyst/flows/")
    with page.expect_navigation():
        page.get_by_role("link", name="Wersje, testy i przywracanie payment_date_change").click()
    v1 = page.locator("[data-testid=version-1]")
    v2 = page.locator("[data-testid=version-2]")
    assert v2.locator("[data-testid=current-badge]").count() == 1

    # when they run the test of version 1
    with page.expect_navigation():
        v1.get_by_role("button", name="Testuj wersję 1").click()
    # then each path shows its result
    assert page.locator("[data-testid=test-run-1] .badge-path-passed").count() == 5
    assert "przeszła przebieg testowy" in page.locator("body").inner_text()

    # when they roll back without a reason, then with one
    with page.expect_navigation():
        v1.get_by_role("button", name="Wróć do wersji 1").click()
    assert page.locator("#reason-1-error").is_visible()
    assert_accessible(page, "versions page with a refused rollback")
    page.fill("#reason-1", "Wersja 2 ma błędną etykietę")
    page.check("#confirm-1")
    with page.expect_navigation():
        v1.get_by_role("button", name="Wróć do wersji 1").click()

    # then version 1 is current again and version 2 stays the newest
    assert v1.locator("[data-testid=current-badge]").count() == 1
    assert v2.locator("[data-testid=current-badge]").count() == 0
    # (reloaded without the flash message: base.html's <ul class="messages" role="status"> is an axe finding
    # of its own, reported to the lead)
    page.reload()
    assert_accessible(page, "versions page")
    assert get_current_version("payment_date_change") == ProcessVersion.objects.get(
        process_key="payment_date_change", number=1
    )


def test_analyst_reads_the_dry_run_before_moving_a_request(
    page, login, analyst, client_user, acme, bok_staff
):
    from backend.requests_app import services as request_services
    from backend.requests_app import task_hands
    from tests.portal_ui.test_flow_migration import submit_request

    # given a request waiting for the client on version 1, and a version 2 that reminds after 10 days
    old = submit_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=old)
    request_services.complete_staff_task(
        staff=bok_staff, portal_request=old, data={"decision": "ask_client", "question": "Dokumenty?"}
    )
    deploy_bpmn_version(xml=PAYMENT_XML.replace("&quot;P14D&quot;", "&quot;P10D&quot;"), by=analyst)
    login(page, analyst)

    # when they open the request's move form
    page.goto(f"/analyst/flows/payment_date_change/migrations/{old.process_instance_id}/")

    # then the dry run says it can move and shows both timers before and after
    row = page.locator("[data-testid=dry-run-v2]")
    assert row.locator(".badge-path-passed").inner_text() == "Tak"
    # the reminder (reminder_timer) by its name, due now and after the move
    assert row.inner_text().count("„Po 14 dniach bez odpowiedzi”") == 2
    assert_accessible(page, "move form with its dry run")
