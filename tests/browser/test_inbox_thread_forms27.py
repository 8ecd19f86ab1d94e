"""The staff's thread page keeps its forms honest: a reply on an unassigned thread brings no "text put back"
notice and shows who now holds the thread (left out of "Assign to"); the final answer asks before it drops
a reply typed and not sent (the task page's confirm dialog)."""

from __future__ import annotations

import pytest

from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageThread
from tests.browser.test_staff_inbox import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNSENT_REPLY = "Masz niewysłaną odpowiedź. Udzielić ostatecznej odpowiedzi i porzucić ją?"


@pytest.fixture
def thread(acme, client_user) -> MessageThread:
    return start_thread(
        user=client_user, client=acme, subject="Polisa OC", category="other", body="Treść", contract=None
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_a_reply_on_an_unassigned_thread_puts_nothing_back_and_names_the_sender(
    browser, asgi_server, bok_staff, thread, settings, width
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    assert thread.assignee_id is None
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/messages/{thread.pk}/")
    page.set_viewport_size({"width": width, "height": 900})
    page.fill("#id_body", "Polisa jest w załączniku umowy.")
    with page.expect_navigation():
        page.get_by_test_id("send-reply").click()

    page.locator(".messages .message.success").wait_for()
    thread.refresh_from_db()
    assert thread.assignee_id == bok_staff.pk  # sending assigned the thread to the sender
    # the reply's own live event re-fetches the page: what it shows after that, too
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.wait_for_timeout(800)
    assert page.get_by_test_id("kept-typed").count() == 0
    # who holds it is shown beside "Assignee" and, as on the task page, not offered in "Assign to"
    assert page.get_by_test_id("assignee").inner_text() == bok_staff.get_full_name()
    assert page.locator(f"#id_assignee option[value='{bok_staff.pk}']").count() == 0
    assert page.locator("#id_assignee").input_value() == ""
    context.close()


def test_the_final_answer_asks_before_dropping_an_unsent_reply(browser, asgi_server, bok_staff, thread):
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/messages/{thread.pk}/")
    page.fill("#id_body", "Odpowiedź jeszcze niewysłana.")
    page.click(".final-box summary")
    page.fill("#id_final_answer", "Polisa przesłana; sprawa zamknięta.")

    # when: the final answer is sent with the reply unsent, it asks first, Cancel with the keyboard
    page.get_by_test_id("send-final").click()
    dialog = page.locator("#final-confirm")
    dialog.wait_for()
    assert dialog.locator("[data-confirm-title]").inner_text() == UNSENT_REPLY
    assert page.evaluate("document.activeElement.id") == "final-confirm-cancel"

    # then: Cancel (Escape) keeps the typed reply and the thread open
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.locator("#id_body").input_value() == "Odpowiedź jeszcze niewysłana."
    assert page.locator("#id_final_answer").input_value() == "Polisa przesłana; sprawa zamknięta."
    thread.refresh_from_db()
    assert thread.status != MessageThread.Status.CLOSED

    # and: asked again, the Cancel button does the same
    page.get_by_test_id("send-final").click()
    dialog.wait_for()
    page.click("#final-confirm-cancel")
    assert page.locator("#id_body").input_value() == "Odpowiedź jeszcze niewysłana."

    # when: confirmed, the final answer closes the thread
    page.get_by_test_id("send-final").click()
    with page.expect_navigation():
        page.click("#final-confirm-ok")
    assert page.get_by_test_id("final-answer").count() == 1
    thread.refresh_from_db()
    assert thread.status == MessageThread.Status.CLOSED
    context.close()


def test_the_final_answer_without_an_unsent_reply_does_not_ask(browser, asgi_server, bok_staff, thread):
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/messages/{thread.pk}/")
    page.fill("#id_body", "   ")  # blank: nothing would be lost
    page.click(".final-box summary")
    page.fill("#id_final_answer", "Polisa przesłana; sprawa zamknięta.")
    with page.expect_navigation():
        page.get_by_test_id("send-final").click()
    assert page.get_by_test_id("final-answer").count() == 1
    context.close()
