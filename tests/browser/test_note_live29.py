"""A colleague's internal note shows on the other staff's open page live: two staff browsers on the same task
page (and on the same thread page); one adds a note, the other shows it without a reload. The task list open
meanwhile does not even re-fetch, nor its bell (a note changes no list and makes no notice)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.test_staff_inbox import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST_NOTE = "Dzwoniłam do klienta: fakturę wyśle w poniedziałek."
THREAD_NOTE = "Klientka oddzwoni po 15:00."
ANNOUNCED = "Dodano notatkę wewnętrzną."


def live(page) -> None:
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.evaluate("window.__notReloaded = true")


def test_a_note_added_on_the_task_page_shows_on_a_colleagues_open_task_page(
    browser, asgi_server, bok_staff, second_staff, open_request, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    path = f"/staff/tasks/{open_request.pk}/"
    # given: Barbara and Piotr have the request's task page open, and Piotr the task list too
    writer_context, writer = open_as(browser, asgi_server, bok_staff, path)
    reader_context, reader = open_as(browser, asgi_server, second_staff, path)
    list_context, tasks = open_as(browser, asgi_server, second_staff, "/staff/tasks/")
    for page in (reader, tasks):
        live(page)
    assert REQUEST_NOTE not in reader.inner_text("#request-history")
    tasks.wait_for_timeout(1500)  # the catch-up of what the fixture's request made settles first
    list_fetches = []
    count_url = reverse("notice-unread-count")
    watched = ("/staff/tasks/", count_url)  # the list, and the bell's unread count (a note makes no notice)
    tasks.on("request", lambda r: list_fetches.append(r.url) if any(u in r.url for u in watched) else None)

    # when: Barbara adds an internal note
    writer.click("#internal-note summary")
    writer.fill("#note-note", REQUEST_NOTE)
    with writer.expect_navigation():
        writer.click("#form-note button[type=submit]")
    assert REQUEST_NOTE in writer.inner_text("#request-history")

    # then: Piotr's page shows it in the history, without a reload, marked as not the client's
    reader.locator("#request-history", has_text=REQUEST_NOTE).wait_for()
    entry = reader.locator("#request-history li", has_text=REQUEST_NOTE)
    assert "Niewidoczne dla klienta" in entry.inner_text() or entry.locator(".badge-internal").count() == 1
    assert reader.evaluate("window.__notReloaded") is True
    # and a screen reader hears what came (not "the request has changed")
    assert reader.inner_text("[data-live-announce]") == ANNOUNCED
    # and neither his task list nor its bell fetched for it
    tasks.wait_for_timeout(3500)  # the bell's second look comes 3 s after an event
    assert list_fetches == []
    for context in (writer_context, reader_context, list_context):
        context.close()


def test_a_note_added_on_the_thread_page_shows_on_a_colleagues_open_thread_page(
    browser, asgi_server, bok_staff, second_staff, thread, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    path = f"/staff/messages/{thread.pk}/"
    writer_context, writer = open_as(browser, asgi_server, bok_staff, path)
    reader_context, reader = open_as(browser, asgi_server, second_staff, path)
    live(reader)
    assert THREAD_NOTE not in reader.inner_text("#notes")

    writer.fill("#id_note", THREAD_NOTE)
    with writer.expect_navigation():
        writer.click('[data-testid="note-form"] button[type=submit]')
    assert THREAD_NOTE in writer.inner_text("#notes")

    reader.locator('[data-testid="internal-notes"]', has_text=THREAD_NOTE).wait_for()
    assert reader.evaluate("window.__notReloaded") is True
    assert reader.inner_text("[data-live-announce]") == ANNOUNCED  # not "a new message has arrived"
    for context in (writer_context, reader_context):
        context.close()
