"""Opening a notice from the header bell reads it: the notice is marked read before its page opens, so the
page's bell counts one fewer (it kept counting notices the user had already opened)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clicking_a_notice_in_the_bell_marks_it_read(page, login, client_user, acme, bok_staff):
    from backend.core.models import OutboxEvent
    from backend.messaging.client_writes import start_thread
    from backend.messaging.staff_writes import reply_as_staff
    from notifications.models import Notice
    from notifications.services import create_notifications

    # given: an answered thread's notice and, newer, a notice whose page (home) reads nothing by itself
    thread = start_thread(
        user=client_user, client=acme, subject="Korekta adresu", category="other", body="?", contract=None
    )
    reply_as_staff(user=bok_staff, thread=thread, body="Odpowiedź")
    answered = OutboxEvent.objects.get(kind=OutboxEvent.Kind.MESSAGE_ANSWERED)
    create_notifications(event_id=answered.pk)
    home_notice = Notice.objects.create(recipient=client_user, kind="invoice.issued", client=acme, payload={})
    login(page, client_user)
    page.goto("/documents/")
    page.wait_for_selector('.notice-bell-count[data-count="2"]')

    # when: the newest notice is clicked in the bell
    page.click(".notice-bell-button")
    page.locator(".notice-bell-list li.unread a").first.wait_for()
    with page.expect_navigation():
        page.locator(".notice-bell-list li.unread a").first.click()

    # then: it is read, and the page it opened counts the other one only
    page.wait_for_selector('.notice-bell-count[data-count="1"]')
    home_notice.refresh_from_db()
    assert home_notice.read_at is not None

    # and the thread's notice, named by its thread, opens the thread read as well
    page.click(".notice-bell-button")
    link = page.locator(".notice-bell-list li.unread a").first
    assert link.inner_text() == "Nowa odpowiedź w wątku „Korekta adresu”."
    with page.expect_navigation():
        link.click()
    reply = thread.messages.get(is_from_staff=True)
    assert page.url.endswith(f"/messages/{thread.pk}/?from={reply.pk}#message-{reply.pk}")
    page.wait_for_selector(".notice-bell-count[hidden]", state="attached")
    assert not Notice.objects.filter(recipient=client_user, read_at__isnull=True).exists()
