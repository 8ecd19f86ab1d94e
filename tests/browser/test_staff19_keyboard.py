"""Staff pages with the keyboard in Chromium (the outside tester's round of #19): the thread page opens
on its heading and, after a reply, on the confirmation, in view; the client-user search opens on its
count; "Assign" with nobody chosen posts and comes back with the error at the field (no browser bubble);
a file chooser the keyboard reaches is wholly on the screen; approve and reject ask first in a dialog
whose Cancel has the keyboard and that keeps the typed reason."""

from __future__ import annotations

import pytest

from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_TEXT = "() => document.activeElement ? document.activeElement.textContent.trim() : ''"
# within a pixel: the page scrolls by whole pixels
IN_VIEW = (
    "e => { const r = e.getBoundingClientRect(); return r.top >= -1 && r.bottom <= window.innerHeight + 1; }"
)


def test_the_thread_page_opens_on_its_heading_and_after_a_reply_on_the_confirmation(
    page, login, bok_staff, thread
):
    login(page, bok_staff)
    page.goto(f"/staff/messages/{thread.pk}/")
    assert page.evaluate("document.activeElement.tagName") == "H1"

    page.fill("#id_body", "Korekta wyjdzie jutro.")
    with page.expect_navigation():
        page.click('[data-testid="send-reply"]')
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # past the browser's own scrolling at load

    assert page.evaluate(FOCUSED_TEXT) == "Odpowiedź została wysłana do klienta."
    assert page.evaluate(f"() => ({IN_VIEW})(document.activeElement)")


def test_the_client_user_search_opens_on_its_count(page, login, bok_staff, client_user):
    login(page, bok_staff)
    page.goto("/staff/client-users/")
    assert page.evaluate("document.activeElement.tagName") == "H1"

    page.fill("#q", "acme")
    with page.expect_navigation():
        page.press("#q", "Enter")

    assert page.evaluate("document.activeElement.id") == "results-title"
    assert page.evaluate(FOCUSED_TEXT).split() == ["Użytkownicy", "klientów", "(1", "wynik)"]


def test_assign_with_nobody_chosen_says_so_at_the_field(page, login, bok_staff, client_user, acme):
    request = submit_other_request(client_user, acme)
    login(page, bok_staff)
    page.goto(f"/staff/tasks/{request.pk}/")

    with page.expect_navigation():  # posts: no browser bubble holds it back
        page.click("#assign")

    select = page.locator("#assign-to")
    assert select.get_attribute("aria-invalid") == "true"
    assert page.locator("#err-assignee_id").inner_text() == "Wybierz osobę z Biura Obsługi Klienta."
    assert page.evaluate("document.activeElement.id") == "assign-to"


def test_a_file_chooser_reached_by_tab_is_wholly_on_the_screen(page, login, bok_staff, thread):
    page.set_viewport_size({"width": 375, "height": 700})
    login(page, bok_staff)
    page.goto(f"/staff/messages/{thread.pk}/")
    # the chooser just inside the screen's bottom edge: the browser sees its 1 px input as shown already
    # and scrolls nothing, leaving the button that shows the focus under the edge
    page.evaluate(
        """() => {
            const box = document.getElementById('id_attachments').closest('.file-choice');
            window.scrollBy(0, box.getBoundingClientRect().top - (window.innerHeight - 8));
            document.getElementById('id_body').focus({preventScroll: true});
        }"""
    )

    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.id") == "id_attachments"
    assert page.locator(".file-choice").filter(has=page.locator("#id_attachments")).evaluate(IN_VIEW)


def test_reject_asks_first_with_cancel_focused_and_keeps_the_reason(
    page, login, bok_staff, client_user, acme
):
    request = submit_other_request(client_user, acme)
    login(page, bok_staff)
    page.goto(f"/staff/tasks/{request.pk}/")
    page.fill("#reject-reason", "Brak podpisu na skanie.")

    # the first press asks: Cancel has the keyboard, Esc leaves everything as it was
    page.click("#form-reject button[type=submit]")
    dialog = page.locator("#decision-confirm")
    assert dialog.is_visible()
    assert page.locator("#decision-confirm-title").inner_text() == f"Odrzucić wniosek {request.number}?"
    assert page.locator("#decision-confirm-ok").inner_text() == "Odrzuć wniosek"
    assert page.evaluate("document.activeElement.id") == "decision-confirm-cancel"
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.locator("#reject-reason").input_value() == "Brak podpisu na skanie."
    assert page.evaluate("document.activeElement.closest('form').id") == "form-reject"
    request.refresh_from_db()
    assert request.status == "in_review"

    # asked again and confirmed: rejected with the reason typed
    page.click("#form-reject button[type=submit]")
    with page.expect_navigation():
        page.click("#decision-confirm-ok")
    assert "Wniosek został odrzucony." in page.locator(".messages").inner_text()
    request.refresh_from_db()
    assert request.status == "rejected"
