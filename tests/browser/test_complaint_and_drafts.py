"""Journeys in headless Chromium: a complaint form saved as a draft while typing, resumed after a reload and
sent; the client sees the statutory clock, staff extend it with a reason the client then reads; a message
draft is offered and discarded."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.drafts.models import Draft
from backend.requests_app.models import PortalRequest
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Szkic zapisany \d\d:\d\d")


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_complaint_draft_is_resumed_sent_and_its_clock_extended(page, second_page, client_user, bok_staff):
    # given the client types a complaint
    log_in(page, client_user)
    page.goto("/requests/new/complaint/")
    page.fill("#f-data__subject", "Błędna faktura za listopad")
    page.fill("#f-data__message", "Faktura zawiera opłatę, której nie ma w umowie.")
    # then the draft is saved on the server and the page says so politely
    status = page.get_by_test_id("draft-status")
    status.filter(has_text=SAVED).wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert Draft.objects.get(user=client_user).data["data__subject"] == "Błędna faktura za listopad"

    # when the form is opened again it offers the draft, with its date
    page.goto("/requests/new/complaint/")
    offer = page.get_by_test_id("draft-offer")
    offer.wait_for()
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert re.search(rf"Wznów szkic z {today} \d\d:\d\d", offer.inner_text())
    assert page.locator("#f-data__subject").input_value() == ""
    offer.get_by_role("button", name=re.compile("Wznów szkic")).click()
    # then what was typed is back
    assert page.locator("#f-data__subject").input_value() == "Błędna faktura za listopad"
    assert "opłatę" in page.locator("#f-data__message").input_value()

    # when it is sent
    page.fill("#f-contact__phone", "601 234 567")
    for checkbox in page.locator("input[name^='declarations__']").all():
        checkbox.check()
    page.click("#submit-request")
    page.wait_for_url("**/requests/*/")
    # then the draft is gone and the client sees the 30-day statutory clock
    assert not Draft.objects.filter(user=client_user).exists()
    portal_request = PortalRequest.objects.get()
    deadline = (timezone.localdate() + timedelta(days=30)).strftime("%d.%m.%Y")
    assert (
        page.locator("#complaint-clock").inner_text().strip() == f"Odpowiedź do {deadline} (30 dni od wpływu)"
    )

    # when staff see the days left in their list and extend the deadline with a reason
    log_in(second_page, bok_staff)
    second_page.goto("/staff/tasks/")
    assert "do terminu: 30 dni" in second_page.get_by_test_id("complaint-days-left").inner_text()
    second_page.click(f"text={portal_request.number}")
    new_deadline = timezone.localdate() + timedelta(days=60)
    second_page.fill("#extend-new_deadline", new_deadline.isoformat())
    second_page.fill("#extend-extension_reason", "Czekamy na opinię ubezpieczyciela, o którą wystąpiliśmy.")
    second_page.click("#form-extend button[type=submit]")
    second_page.wait_for_selector(".messages")

    # then the client reads the new date and the reason
    page.reload()
    clock = page.locator("#complaint-clock").inner_text()
    assert f"Odpowiedź do {new_deadline.strftime('%d.%m.%Y')} (60 dni od wpływu)" in clock
    assert "Czekamy na opinię ubezpieczyciela" in page.locator("#complaint-extension-reason").inner_text()


def test_message_draft_is_offered_and_discarded(page, client_user):
    # given a message draft saved while typing
    log_in(page, client_user)
    page.goto("/messages/new/")
    page.fill("input[name=subject]", "Pytanie o polisę")
    page.get_by_test_id("draft-status").filter(has_text=SAVED).wait_for()

    # when the form is opened again and the draft discarded
    page.goto("/messages/new/")
    offer = page.get_by_test_id("draft-offer")
    # (the DELETE goes to the same address as the GET below: wait for it, so neither the server's draft nor
    # the later wait can race it)
    with page.expect_response(lambda r: _drafts_of("message", r, "DELETE")) as discarded:
        offer.get_by_role("button", name="Odrzuć").click()
    assert discarded.value.status == 204
    # then the offer is gone, the form empty and the draft deleted
    page.get_by_test_id("draft-status").filter(has_text="Odrzucono szkic.").wait_for()
    assert page.get_by_test_id("draft-offer").count() == 0
    assert page.locator("input[name=subject]").input_value() == ""
    # and opening the form again asks the server, which has no draft: nothing is offered
    with page.expect_response(lambda r: _drafts_of("message", r, "GET")) as asked:
        page.goto("/messages/new/")
    assert asked.value.json() == []
    assert page.get_by_test_id("draft-offer").count() == 0
    assert not Draft.objects.filter(user=client_user).exists()


def _drafts_of(form_key: str, response, method: str) -> bool:
    return f"/api/drafts/?form_key={form_key}" in response.url and response.request.method == method
