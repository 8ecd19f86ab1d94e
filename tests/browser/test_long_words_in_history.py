"""A word longer than its box in a request's history (a pasted link or file name without spaces) breaks
inside the box: the staff task page was 1,033 px wide at 375 px with such an internal note (walker V,
session 28), the client's request page alike with such a comment."""

from __future__ import annotations

import pytest

from backend.requests_app.internal_notes import add_internal_note
from backend.requests_app.services import add_comment
from tests.browser.conftest import log_in
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_WORD = "https://dokumenty.example/faktury/" + "KP2026" * 12
PHONE = {"width": 375, "height": 812}
MESSAGES_INSIDE = """(word) => [...document.querySelectorAll(".timeline-message")]
  .filter(box => box.textContent.includes(word))
  .map(box => box.scrollWidth <= box.clientWidth + 1)"""


def test_a_long_word_stays_inside_its_history_box_for_staff_and_the_client(
    page, browser, live_server, bok_staff, client_user, acme
):
    portal_request = submit_other_request(client_user, acme)
    add_comment(user=client_user, portal_request=portal_request, message=LONG_WORD, attachment_ids=[])
    add_internal_note(staff=bok_staff, portal_request=portal_request, text=f"Link: {LONG_WORD}")

    page.set_viewport_size(PHONE)
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{portal_request.pk}/")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(MESSAGES_INSIDE, LONG_WORD) == [True, True]  # the comment and the note

    client_context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    client_page = client_context.new_page()
    log_in(client_page, client_user)
    client_page.goto(f"/requests/{portal_request.pk}/")
    assert client_page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert client_page.evaluate(MESSAGES_INSIDE, LONG_WORD) == [True]  # the comment; never the note
    client_context.close()
