"""A logout in another tab does not throw away the analyst's unsaved diagram: every other page leaves for the
login at once, but the editor holding edits stays, says the session ended and how to go on."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODELER = "document.getElementById('flow-editor').modeler"


def test_a_logout_elsewhere_keeps_the_editor_with_its_edits_and_says_so(
    browser, asgi_server, analyst, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    context = browser.new_context(base_url=asgi_server, locale="pl-PL")
    context.set_default_timeout(15_000)
    editor = context.new_page()
    log_in(editor, analyst)
    editor.goto("/analyst/flows/payment_date_change/")
    editor.wait_for_selector("#flow-editor[data-loaded='true']")
    # given a renamed task, not deployed
    editor.evaluate(
        f"() => {MODELER}.get('modeling').updateLabel({MODELER}.get('elementRegistry').get('staff_review'), 'Nowa nazwa')"
    )
    assert editor.get_attribute("#flow-editor", "data-dirty") == "true"
    prompts: list[str] = []
    editor.on("dialog", lambda dialog: (prompts.append(dialog.type), dialog.dismiss()))
    other = context.new_page()
    other.goto("/")

    # when the analyst logs out in the other tab
    other.click("form[action='/logout/'] button")
    other.wait_for_url("**/login/**")

    # then the editor stays where it is, with the edit, and tells why its buttons will ask for a login
    notice = editor.locator("[data-session-ended]")
    notice.wait_for(timeout=5_000)
    assert "sesja" in notice.inner_text().lower() and "innej karcie" in notice.inner_text()
    editor.wait_for_timeout(500)
    assert editor.url.endswith("/analyst/flows/payment_date_change/")
    assert prompts == []  # no reload was attempted (it would have stopped at the leave prompt)
    name = editor.evaluate(f"() => {MODELER}.get('elementRegistry').get('staff_review').businessObject.name")
    assert name == "Nowa nazwa"
    context.close()
