"""Staff walk 34 in the browser: a rejection whose reason is shorter than the review form takes is not
put to the "cannot be undone" question only to be refused after it; the page posts it at once and says
at the field what is missing, the typed reason kept and focused."""

from __future__ import annotations

import pytest

from tests.browser.test_staff_inbox import open_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_too_short_reason_is_refused_without_the_confirmation_first(
    browser, asgi_server, bok_staff, client_user, acme
):
    review = submit_other_request(client_user, acme)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{review.pk}/")
    try:
        page.fill("#reject-reason", "ab")
        page.locator("#form-reject button[type=submit]").click()
        page.wait_for_load_state()
        page.locator("#err-reject-reason").wait_for()

        assert page.locator("dialog#decision-confirm[open]").count() == 0
        assert "co najmniej 3 znaki" in page.locator("#err-reject-reason").inner_text()
        assert page.input_value("#reject-reason") == "ab"
        assert page.evaluate("document.activeElement.id") == "reject-reason"
    finally:
        context.close()


def test_a_reason_long_enough_is_still_confirmed_first(browser, asgi_server, bok_staff, client_user, acme):
    review = submit_other_request(client_user, acme)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{review.pk}/")
    try:
        page.fill("#reject-reason", "abc")
        page.locator("#form-reject button[type=submit]").click()

        page.locator("dialog#decision-confirm[open]").wait_for()
        assert page.evaluate("document.activeElement.hasAttribute('data-confirm-cancel')")
    finally:
        context.close()
