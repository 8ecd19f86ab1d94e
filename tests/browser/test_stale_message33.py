"""A live page's message about the user's last action goes once the page changed after it: staff sent a
question ("Pytanie zostało wysłane; wniosek czeka teraz na odpowiedź klienta.") and the client answered,
the page showed the answer and the decision forms live, and the message still said the request waited for
the client. Whoever's change it is decides, not the time (tests/browser/test_staff_walk35.py: a change by
someone else at once retires it, the user's own follow-up keeps it)."""

from __future__ import annotations

import pytest

from backend.requests_app import services, task_hands
from tests.browser.test_staff_inbox import open_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASKED = "Pytanie zostało wysłane"


def ask_on_the_page(browser, asgi_server, bok_staff, client_user, acme):
    request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=request)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{request.pk}/")
    page.fill("#ask-question", "Proszę o skan dowodu rejestracyjnego.")
    with page.expect_navigation():
        page.click("#form-ask button[type=submit]")
    assert ASKED in page.inner_text(".messages")
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.locator("body").click(position={"x": 5, "y": 5})  # the keyboard leaves the message
    return request, context, page


def test_the_message_of_the_last_action_goes_when_the_client_answers_later(
    browser, asgi_server, bok_staff, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    request, context, page = ask_on_the_page(browser, asgi_server, bok_staff, client_user, acme)
    try:
        # a minute later (the page's clock moved on), the client answers
        page.evaluate("(() => { const now = Date.now; Date.now = () => now() + 60000; })()")
        services.reply_to_request(
            user=client_user, portal_request=request, message="Skan w załączeniu.", attachment_ids=[]
        )

        page.locator("#form-approve").wait_for()
        page.wait_for_function("() => !document.querySelector('.messages')")
        assert ASKED not in page.inner_text("main")
    finally:
        context.close()
