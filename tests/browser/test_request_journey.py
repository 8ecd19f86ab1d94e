"""Journeys through the request pages in headless Chromium: submit, staff asks, client replies, staff
approves; the schedule preview; the flow editor. Pages are reloaded between the two people's steps
(the live push itself is covered by test_live_stage.py). Screenshots go to $PORTAL_SCREENSHOTS if set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client as DjangoClient

from backend.requests_app import services
from backend.requests_app.models import PortalRequest, RequestStatus
from tests.browser.conftest import log_in
from tests.factories import ContractFactory
from tests.portal_ui.test_request_pages import payment_day_form
from workflows.models import ProcessVersion

SHOTS = os.environ.get("PORTAL_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_client_submits_staff_asks_client_replies_staff_approves(
    page, second_page, client_user, bok_staff, acme
):
    # given: a contract paid on the 15th
    contract = ContractFactory(client=acme, payment_day=15)
    log_in(page, client_user)

    # when: the client sends a payment day change through the wizard
    page.goto("/requests/")
    shot(page, "g_list_empty")
    page.click("a.button.primary[href='/requests/new/']")
    page.click("a[data-kind='payment_date_change']")
    assert page.is_disabled("input[name='data__payment_day'][value='15']")  # the current day: no change
    assert page.locator("#f-contract_id").input_value() == str(contract.pk)
    page.check("input[name='data__payment_day'][value='20']")
    page.select_option("#f-data__reason", "other")
    page.fill("#f-data__reason_other", "Wpływy od kontrahentów około 18. dnia miesiąca")
    page.fill("#f-contact__phone", "601 234 567")
    for checkbox in page.locator("input[name^='declarations__']").all():
        checkbox.check()
    shot(page, "g_wizard_payment_day")
    page.click("#submit-request")
    page.wait_for_url("**/requests/*/")
    portal_request = PortalRequest.objects.get()
    assert page.locator("h1").inner_text().endswith(portal_request.number)
    assert page.locator("#waiting-banner").count() == 0

    # then: staff finds the task, claims it and asks the client for information
    log_in(second_page, bok_staff)
    second_page.goto("/staff/tasks/")
    second_page.click(f"text={portal_request.number}")
    second_page.click("#claim")
    second_page.fill("#ask-question", "Prosimy o potwierdzenie terminu wpływów.")
    second_page.click("#form-ask button[type=submit]")
    second_page.wait_for_selector(".messages")
    shot(second_page, "g_staff_task_after_ask")

    # the client sees the banner and replies
    page.reload()
    banner = page.locator("#waiting-banner")
    assert banner.is_visible()
    assert "Prosimy o potwierdzenie" in banner.inner_text()
    shot(page, "g_detail_waiting")
    page.fill("#reply-message", "Potwierdzam: wpływy około 18. dnia.")
    page.click("#send-reply")
    page.wait_for_selector(".messages")
    assert page.locator("#waiting-banner").count() == 0
    assert "Potwierdzam" in page.locator("#request-history").inner_text()

    # staff approves
    second_page.reload()
    second_page.click("#form-approve button[type=submit]")
    second_page.click("#decision-confirm-ok")  # the decision asks first
    second_page.wait_for_selector(".messages")

    # the client sees the request completed
    page.reload()
    status = page.locator("#request-status").get_attribute("data-status")
    assert status in {RequestStatus.COMPLETED, RequestStatus.APPROVED}
    assert PortalRequest.objects.get().status == status
    shot(page, "g_detail_completed")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_schedule_change_preview_updates_while_typing(browser, live_server, client_user, acme):
    # given: a phone-sized window on the schedule change form
    ContractFactory(client=acme, months=36)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/requests/new/schedule_change/")
    preview = page.locator("#quote-preview")
    preview.locator("dl.quote-summary").wait_for()

    # when: the user types a longer period
    page.fill("#f-data__months", "48")

    # then: the preview shows the new period; an impossible residual gives a readable error
    # An arrow function, not a bare expression: Playwright eval()s expressions, which the CSP forbids.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#quote-preview dd')].some(dd => dd.textContent.trim() === '48')"
    )
    shot(page, "g_phone_schedule_preview")
    page.fill("#f-data__residual_percent", "70")
    preview.locator(".alert.error").wait_for()
    assert preview.locator(".alert.error").inner_text().strip()

    # one amount copied to every remaining installment gives a schedule of that installment
    page.fill("#f-data__residual_percent", "")
    page.check("input[name='data__installment_option'][value='amount']")
    page.fill("#f-data__net_installments input >> nth=0", "2 500,00")
    page.click("#fill-installments")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#quote-preview dd')].some(dd => dd.textContent.trim() === '2\u00a0500,00\u00a0zł')"
    )
    assert page.locator("textarea[name='data__net_installments']").input_value().count("2 500,00") > 1

    # and the contract value change previews the installment for the typed net amount
    page.goto("/requests/new/contract_value_change/")
    page.fill("#f-data__net_amount", "150 000,00")
    page.locator("#quote-preview dl.quote-summary").wait_for()
    shot(page, "g_phone_value_change_preview")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_flow_editor_renders_the_diagram_and_validates_it(page, analyst):
    # given
    log_in(page, analyst)

    # when
    page.goto("/analyst/flows/")
    page.click("a[href='/analyst/flows/payment_date_change/']")
    page.wait_for_selector("#flow-editor[data-loaded='true']")

    # then: the canvas holds the diagram's shapes, and validation reports it valid
    assert page.locator("#bpmn-canvas .djs-shape").count() > 5
    assert page.locator("#bpmn-canvas [data-element-id='staff_review']").count() == 1
    page.click("#validate-flow")
    page.locator("#editor-result.ok").wait_for()
    shot(page, "g_flow_editor")

    # and a renamed task deploys as version 2, which the version list then shows
    page.evaluate(
        """() => {
            const modeler = document.getElementById("flow-editor").modeler;
            const task = modeler.get("elementRegistry").get("staff_review");
            modeler.get("modeling").updateLabel(task, "Weryfikacja wniosku przez BOK");
        }"""
    )
    page.click("#deploy-flow")
    page.click("#deploy-confirm")
    page.wait_for_function(
        "() => /Wdrożono jako wersję/.test(document.getElementById('editor-result').textContent)"
    )
    assert ProcessVersion.objects.filter(process_key="payment_date_change").count() == 2
    page.reload()
    assert "v2" in page.locator("#versions-title + details summary").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_flow_editor_marks_the_element_an_error_names(page, analyst):
    # given: the diagram in the editor, changed so that the staff task names a form that does not exist
    log_in(page, analyst)
    page.goto("/analyst/flows/payment_date_change/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")
    page.evaluate(
        """async () => {
            const modeler = document.getElementById("flow-editor").modeler;
            const { xml } = await modeler.saveXML();
            await modeler.importXML(xml.replace("payment_date_change/staff_review", "payment_date_change/nope"));
        }"""
    )

    # when
    page.click("#validate-flow")

    # then: the error names the element, which is marked on the canvas
    page.locator("#editor-result.bad").wait_for()
    assert page.locator("#editor-result button[data-element-id='staff_review']").count() >= 1
    assert page.locator("#bpmn-canvas .djs-element.has-error[data-element-id='staff_review']").count() == 1
    shot(page, "g_flow_editor_error")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_processing_view_shows_the_question_live_and_opens_the_reply_form(
    browser,
    asgi_server,
    client_user,
    bok_staff,
    acme,
    settings,
):
    # given: the client has the processing view of a new request open (served over ASGI with WebSocket)
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    contract = ContractFactory(client=acme, payment_day=15)
    django_client = DjangoClient()
    django_client.force_login(client_user)
    django_client.post("/requests/new/payment_date_change/", payment_day_form(contract))
    portal_request = PortalRequest.objects.get()
    context = browser.new_context(base_url=asgi_server, locale="pl-PL")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": django_client.cookies["sessionid"].value, "url": asgi_server}]
    )
    page = context.new_page()
    page.goto(f"/requests/{portal_request.pk}/")
    page.wait_for_selector("#live-indicator[data-state=online]")
    assert page.locator("#reply-card").is_hidden()
    page.evaluate("window.__notReloaded = true")

    # when: staff ask the client for information
    services.complete_staff_task(
        staff=bok_staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Prosimy o wyciąg z konta."},
    )

    # then: the banner with the question and the reply form appear without a reload
    page.wait_for_selector("#waiting-banner")
    assert "Prosimy o wyciąg z konta." in page.inner_text("#waiting-banner")
    assert page.locator("#reply-card").is_visible()
    assert page.evaluate("window.__notReloaded") is True
    context.close()
