"""A notice about an answer lands on that answer even when 49 messages came after it (#20: the notice opened
the thread's newest 30, where the answer was not shown at all)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_notice_link_lands_on_an_answer_older_than_the_newest_30(
    page, login, client_user, bok_staff, thread
):
    from backend.core.models import OutboxEvent
    from backend.messaging.staff_writes import reply_as_staff
    from notifications.services import create_notifications
    from tests.threads19.test_long_thread_pages import lengthen

    # given: 31 messages, an answer with its notice, then 49 messages after it
    lengthen(thread, client_user, bok_staff, 30)
    answer = reply_as_staff(user=bok_staff, thread=thread, body="Odpowiedź sprzed 49 wiadomości.")
    create_notifications(event_id=OutboxEvent.objects.get(kind=OutboxEvent.Kind.MESSAGE_ANSWERED).pk)
    ids = lengthen(thread, client_user, bok_staff, 49)
    login(page, client_user)
    page.goto("/notices/")

    # when: the notice is opened
    with page.expect_navigation():
        page.get_by_role("link", name="Nowa odpowiedź w wątku „Korekta adresu na fakturze”.").click()

    # then: the answer is on the screen, the part of the thread from it on below it
    item = page.locator(f"#message-{answer.pk}")
    expect(item).to_contain_text("Odpowiedź sprzed 49 wiadomości.")
    expect(item).to_be_in_viewport()
    assert page.url.endswith(f"#message-{answer.pk}")
    assert page.locator(".message-item").count() == 1 + len(ids[ids.index(answer.pk) :])
    assert page.inner_text("[data-testid=show-earlier]") == "Pokaż wcześniejsze wiadomości (30)"
