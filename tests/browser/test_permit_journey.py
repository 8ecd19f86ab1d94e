"""Permit to take the vehicle abroad in headless Chromium: the client's form with errors next to the
fields, the permit issued at once with its public verification page, a failed rule named on the staff's
task page, and the analysts' DMN table edited in the flow editor and deployed with the flow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.permits.models import VehiclePermit
from backend.requests_app.models import PortalRequest, RequestStatus
from tests.browser.conftest import log_in
from tests.factories import ContractFactory, InsurancePolicyFactory, LeasedItemFactory, SerialNumberFactory
from workflows.models import ProcessVersion
from workflows.services import get_current_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KIND = "vehicle_abroad_permit"


@pytest.fixture
def vehicle_contract(acme):
    contract = ContractFactory(client=acme)
    item = LeasedItemFactory(contract=contract, name="Skoda Octavia 2.0 TDI")
    SerialNumberFactory(item=item, kind="VIN", value="TMBJJ7NE0L0000009")
    InsurancePolicyFactory(contract=contract, territorial_scope="eu_eea")
    return contract


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def fill_permit_form(page, countries: list[str], date_from: str, date_to: str) -> None:
    for code in countries:
        page.check(f"input[name='data__countries'][value='{code}']")
    page.fill("#f-data__date_from", date_from)
    page.fill("#f-data__date_to", date_to)
    page.fill("#f-contact__phone", "601 234 567")
    for checkbox in page.locator("input[name^='declarations__']").all():
        checkbox.check()


def test_client_gets_the_permit_at_once_and_anyone_can_verify_it(
    page, browser, live_server, client_user, vehicle_contract
):
    log_in(page, client_user)
    page.goto("/requests/new/")
    page.click(f"a[data-kind='{KIND}']")
    assert page.locator("#f-contract_id").input_value() == str(vehicle_contract.pk)
    # Polish country names in the list
    assert (
        page.locator("input[name='data__countries'][value='DE']")
        .locator("xpath=..")
        .inner_text()
        .startswith("Niemcy")
    )

    # a return before the departure is refused next to the field, the choices are kept
    fill_permit_form(page, ["DE", "CZ"], day(0), day(-1))
    page.click("#submit-request")
    page.locator("#err-data__date_to").wait_for()
    assert "wcześniejsza" in page.locator("#err-data__date_to").inner_text()
    assert page.is_checked("input[name='data__countries'][value='CZ']")
    assert not PortalRequest.objects.exists()

    # corrected: every rule passes, the permit is issued at once
    page.fill("#f-data__date_to", day(10))
    for checkbox in page.locator("input[name^='declarations__']").all():
        checkbox.check()
    page.click("#submit-request")
    page.wait_for_url("**/requests/*/")
    permit = VehiclePermit.objects.get()
    assert page.locator("#request-status").get_attribute("data-status") == RequestStatus.COMPLETED
    assert page.locator("#permit-code").inner_text() == permit.code
    assert "Czechy (CZ), Niemcy (DE)" in page.content()  # in the order of the list

    # the verification page opens without logging in
    anonymous = browser.new_context(base_url=live_server.url, locale="pl-PL")
    other = anonymous.new_page()
    other.goto(page.locator("#permit-verify-link").get_attribute("href"))
    assert other.locator("[data-permit-state]").get_attribute("data-permit-state") == "valid"
    assert "TMBJJ7NE0L0000009" in other.content() and vehicle_contract.number not in other.content()
    anonymous.close()


def test_staff_see_the_failed_rule_and_approve_anyway(page, client_user, bok_staff, vehicle_contract):
    # given a request for Russia, which the table does not allow
    log_in(page, client_user)
    page.goto(f"/requests/new/{KIND}/")
    fill_permit_form(page, ["RU"], day(3), day(9))
    page.click("#submit-request")
    page.wait_for_url("**/requests/*/")
    portal_request = PortalRequest.objects.get()
    assert portal_request.status == RequestStatus.IN_REVIEW
    assert "Reguła niespełniona" in page.content()

    # staff see the rule on the task page and issue the permit with a reason
    page.context.clear_cookies()
    log_in(page, bok_staff)
    page.goto("/staff/tasks/")
    page.click(f"text={portal_request.number}")
    # every rule Russia fails: not on the list, and outside the policy's territorial scope
    rule = page.locator("#permit-rule [data-rule]")
    assert rule.get_attribute("data-rule") == "country_not_allowed outside_policy_scope"
    assert (
        "Co najmniej jeden kraj nie jest na liście krajów, do których firma wydaje zgodę."
        in rule.inner_text()
    )
    assert "zakresem terytorialnym polisy" in rule.inner_text()
    page.click("#claim")
    page.fill("#approve-answer", "Wyjazd służbowy uzgodniony z zarządem.")
    page.click("#form-approve button[type=submit]")
    # the page still shows the claim's message: wait for the decision's page, not for any message
    with page.expect_navigation():
        page.click("#decision-confirm-ok")  # the decision asks first
    page.wait_for_selector(".messages")
    permit = VehiclePermit.objects.get()
    assert (permit.failed_rule, permit.staff_reason) == (
        "country_not_allowed,outside_policy_scope",
        "Wyjazd służbowy uzgodniony z zarządem.",
    )


def test_analyst_edits_the_decision_table_and_deploys_it_with_the_flow(page, analyst):
    first = get_current_version(KIND)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, analyst)
    page.goto(f"/analyst/flows/{KIND}/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")
    table = page.locator("#dmn-tables [data-decision-id='vehicle_abroad_permit']")
    assert table.locator("tbody tr").count() == 8

    # a cell that does not compile is named by its rule on Validate
    cell = table.locator("tr[data-rule-id='rule_too_long'] input").nth(5)
    assert cell.input_value() == "> 90"
    cell.fill("> > 60")
    page.click("#validate-flow")
    page.wait_for_selector("#editor-result.bad")
    assert "rule_too_long" in page.locator("#editor-result").inner_text()

    # fixed to 60 days: valid, and deployed as a new version holding the edited table
    cell.fill("> 60")
    page.click("#validate-flow")
    page.wait_for_selector("#editor-result.ok")
    page.click("#deploy-flow")
    page.click("#deploy-confirm")
    page.wait_for_function(
        "() => /Wdrożono jako wersję/.test(document.getElementById('editor-result').textContent)"
    )
    newest = ProcessVersion.objects.filter(process_key=KIND).order_by("-number").first()
    assert newest.number == first.number + 1
    assert "<text>&gt; 60</text>" in newest.dmn["vehicle_abroad_permit"]
    assert "&gt; 60" not in first.dmn["vehicle_abroad_permit"]
    assert [e for e in errors if "WebSocket" not in e] == []
