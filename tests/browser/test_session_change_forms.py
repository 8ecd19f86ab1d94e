"""A session that changes under an open page (it expired, the user logged in again in another tab, which
gave a new CSRF token): a client's form sent from the old page gets the portal's "page out of date" page,
not Django's bare 403, and leads back to the form with the text offered again (portal_ui/csrf_failure.py);
the flow editor sends the current token and, when the session is gone, says how to keep the edits
instead of advising a reload (editor/flow_editor.js, drafts.js)."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session

from backend.messaging.models import MessageThread
from tests.browser.conftest import log_in
from tests.browser.test_flow_editor_safety import click_and_wait, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Szkic zapisany \d\d:\d\d")


def _logged_in_again_in_another_tab(page, user) -> None:
    """The session expires; the user logs in again in a second tab of the same browser."""
    Session.objects.all().delete()
    other = page.context.new_page()
    log_in(other, user)
    other.close()


def test_a_message_sent_from_a_page_older_than_the_session_is_refused_on_a_portal_page(
    page, client_user, acme_contract
):
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, client_user)
    page.goto("/messages/new/")
    page.fill("#id_subject", "Kopia faktury")
    page.select_option("#id_category", index=1)
    page.select_option("#id_contract_id", str(acme_contract.pk))
    page.fill("#id_body", "Proszę o kopię faktury za październik.")
    page.get_by_test_id("draft-status").filter(has_text=SAVED).wait_for()

    _logged_in_again_in_another_tab(page, client_user)
    # typing on in the old tab still saves the draft: drafts.js sends the session's current token
    with page.expect_response(lambda r: "/drafts/" in r.url and r.request.method == "PUT") as saved:
        page.fill("#id_body", "Proszę o kopię faktury za październik i listopad.")
    assert saved.value.status == 200

    page.click("form[data-testid=new-message-form] button[type=submit]")
    refusal = page.get_by_test_id("csrf-failure")
    refusal.wait_for()
    assert "Strona była nieaktualna" in refusal.inner_text()
    assert "nic nie zostało wysłane" in refusal.inner_text()
    assert page.locator(".site-header").is_visible()  # the portal's layout, not Django's bare page
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not MessageThread.objects.exists()

    page.get_by_test_id("csrf-back").click()
    page.wait_for_url("**/messages/new/")
    assert "nie został wysłany" in page.locator(".messages").inner_text()
    offer = page.get_by_test_id("draft-offer")
    offer.get_by_role("button", name="Przywróć tekst").click()
    assert page.locator("#id_body").input_value() == "Proszę o kopię faktury za październik i listopad."


def test_the_flow_editor_sends_the_current_token_and_says_how_to_keep_the_edits(page, analyst):
    open_editor(page, analyst, "payment_date_change")

    # a login in another tab replaced the CSRF cookie: Validate still works
    _logged_in_again_in_another_tab(page, analyst)
    click_and_wait(page, "#validate-flow")
    assert page.locator("#editor-result.ok").is_visible()

    # the session expired: Deploy says so and how to keep the edits, never "reload the page" (at once: the
    # check whether the diagram is already deployed, before the deploy's dialog, meets the ended session)
    Session.objects.all().delete()
    page.click("#deploy-flow")
    result = page.locator("#editor-result.bad").inner_text()
    assert "zaloguj się ponownie w innej karcie" in result
    assert "Pobierz BPMN" in result
    assert "Odśwież stronę" not in result  # the API's csrf_failed advice, which would lose the edits
    assert "Odświeżenie tej strony spowodowałoby ich utratę" in result
