"""Over a per-user limit a page's form is not sent (portal_ui/page_limits.py): the page says so and when to
try again, and "Back to the page" returns to the form with what was typed offered again, as after a
refused CSRF check — nothing the user typed is lost."""

from __future__ import annotations

import pytest

from backend.messaging.client_writes import start_thread
from backend.messaging.models import Message
from tests.browser.test_staff_inbox import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_comment_over_the_limit_says_when_and_the_typed_text_comes_back(
    browser, asgi_server, client_user, acme, settings
):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "messages": "1/hour"}
    thread = start_thread(
        user=client_user,
        client=acme,
        subject="Faktura",
        category="invoices",
        body="Gdzie jest?",
        contract=None,
    )
    context, page = open_as(browser, asgi_server, client_user, f"/messages/{thread.pk}/")
    try:
        # the first comment of the hour goes through
        page.click("[data-testid=add-comment]")
        page.fill("#id_body", "Pierwsze pytanie.")
        with page.expect_navigation():
            page.click("form[data-testid=comment-form] button[type=submit]")
        # the second is over the limit
        page.click("[data-testid=add-comment]")
        page.fill("#id_body", "Drugie pytanie, długo pisane.")
        with page.expect_navigation():
            page.click("form[data-testid=comment-form] button[type=submit]")

        assert page.locator("[data-testid=too-many] h1").inner_text() == "Zbyt wiele w krótkim czasie"
        assert "Spróbuj ponownie za " in page.locator("[data-testid=too-many]").inner_text()
        page.screenshot(path="/tmp/s32/L-too-many.png")
        with page.expect_navigation():
            page.click("[data-testid=too-many-back]")

        # back on the thread: the note says it was not sent, the comment form open again offering the text
        assert "Formularz nie został wysłany" in page.locator(".messages").inner_text()
        assert page.locator("#comment-dialog").evaluate("(dialog) => dialog.open")
        page.locator("[data-testid=draft-offer] button").first.click()
        assert page.locator("#id_body").input_value() == "Drugie pytanie, długo pisane."
        page.screenshot(path="/tmp/s32/L-too-many-back.png")
        bodies = list(Message.objects.filter(thread=thread).order_by("pk").values_list("body", flat=True))
        assert bodies == ["Gdzie jest?", "Pierwsze pytanie."]
    finally:
        context.close()
