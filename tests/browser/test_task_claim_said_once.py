"""A colleague's claim while a question is typed, said once on the task page in Chromium (live, the real
ASGI app): the banner over the typed question says who took the task; after sending it anyway the refused
question's box says it, and a later live update adds no banner saying it again (staff_live.js,
data-held-said)."""

from __future__ import annotations

import pytest

from backend.requests_app import services, task_hands
from backend.requests_app.selectors import request_ref
from tests.browser.test_staff_task_day import open_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAID = "Nad tym zadaniem pracuje"


def test_a_colleagues_claim_is_said_once_after_the_question_is_sent_anyway(
    browser, asgi_server, bok_staff, second_staff, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    request = submit_other_request(client_user, acme)
    context, page = open_as(browser, asgi_server, second_staff, f"/staff/tasks/{request.pk}/", watch=True)
    page.wait_for_selector("[data-live-indicator][data-state=online]")

    # given: Piotr types a question; Barbara claims the task meanwhile: the banner over it says so
    page.fill("#ask-question", "Proszę o skan dowodu rejestracyjnego.")
    task_hands.claim_request(staff=bok_staff, portal_request=request)
    page.locator("[data-live-held-banner]").wait_for()

    # when: he sends it anyway, and then the request changes again (Barbara comments)
    with page.expect_navigation():
        page.click("#form-ask button[type=submit]")
    assert page.input_value("#unsent-message") == "Proszę o skan dowodu rejestracyjnego."
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    services.add_comment(
        user=bok_staff,
        portal_request=request_ref(request_id=request.pk),
        message="Biorę to.",
        attachment_ids=[],
    )
    page.wait_for_function("() => window.__swaps.length > 0")
    page.wait_for_function("() => document.getElementById('request-history').innerText.includes('Biorę to.')")

    # then: who took it is said once, in the refused question's box; no banner repeats it
    main = page.inner_text("main")
    assert main.count(SAID) == 1, main
    assert SAID in page.inner_text("#unsent-error")
    assert page.locator("[data-live-held-banner]").count() == 0
    assert page.input_value("#unsent-message") == "Proszę o skan dowodu rejestracyjnego."
    context.close()
