"""A long message thread in the browser (#19's outside tester: 466 messages, 2.25 s to load the staff
page): "Pokaż wcześniejsze wiadomości (N)" puts the keyboard on the first message it newly shows, and a
message that arrives live is added below without taking the earlier ones away."""

from __future__ import annotations

import pytest

from backend.messaging.client_writes import add_client_comment
from backend.messaging.staff_writes import reply_as_staff
from tests.browser.test_staff_inbox import open_as
from tests.threads19.test_long_thread_pages import lengthen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_earlier_messages_take_the_keyboard_and_a_live_message_keeps_them(
    browser, asgi_server, client_user, bok_staff, thread, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    ids = lengthen(thread, client_user, bok_staff, 79)  # 80 messages
    staff_context, staff = open_as(browser, asgi_server, bok_staff, f"/staff/messages/{thread.pk}/")
    assert staff.locator(".message-item").count() == 31  # the question and the newest 30

    with staff.expect_navigation():
        staff.click("text=Pokaż wcześniejsze wiadomości (49)")
    # the first message newly shown has the keyboard (the staff page's own focus start notwithstanding)
    staff.wait_for_function(
        f"() => document.activeElement && document.activeElement.id === 'message-{ids[20]}'"
    )
    assert staff.locator(".message-item").count() == 61
    assert staff.inner_text("[data-testid=show-earlier]") == "Pokaż wcześniejsze wiadomości (19)"

    # a client's comment arrives live: added at the end, the earlier part still shown
    staff.wait_for_selector("[data-live-indicator][data-state=online]")
    staff.evaluate("window.__notReloaded = true")
    add_client_comment(user=client_user, thread=thread, body="Komentarz na żywo.")
    staff.locator('[data-testid="thread-messages"] .message-item', has_text="Komentarz na żywo.").wait_for()
    assert staff.locator(".message-item").count() == 62
    assert staff.locator(f"#message-{ids[20]}").count() == 1
    assert staff.evaluate("window.__notReloaded") is True
    staff_context.close()

    # the client's page, as opened from a notice: the answer is among the newest, marked and live
    client_context, client = open_as(browser, asgi_server, client_user, f"/messages/{thread.pk}/")
    client.wait_for_selector("[data-live-indicator][data-state=online]")
    reply_as_staff(user=bok_staff, thread=thread, body="Odpowiedź na żywo.")
    client.locator('[data-testid="thread-messages"] .message-item', has_text="Odpowiedź na żywo.").wait_for()
    assert client.locator(".message-item").count() == 32
    assert client.inner_text("[data-testid=show-earlier]") == "Pokaż wcześniejsze wiadomości (50)"
    client_context.close()
