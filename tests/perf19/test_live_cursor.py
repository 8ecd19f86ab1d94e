"""The outbox cursor a page is rendered at and its socket's hello tells (notifications/live_cursor.py):
equal when nothing was committed in between, so the page does not fetch itself again; different after
any event, a late commit below the highest id included."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async

from backend.core.models import OutboxEvent
from notifications.live_cursor import live_cursor
from tests.notifications.sockets import close, logged_in_browser, open_socket, receive_event, run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_relay")]

CURSOR_ON_PAGE = re.compile(r'data-live-cursor="([^"]*)"')


def _event(acme, **fields) -> OutboxEvent:
    return OutboxEvent.objects.create(
        kind=OutboxEvent.Kind.MESSAGE_ANSWERED,
        client=acme,
        subject_type="messaging.messagethread",
        subject_id=1,
        payload={"thread_id": 1},
        **fields,
    )


def _rendered_cursor(browser, path: str = "/requests/") -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return CURSOR_ON_PAGE.search(response.content.decode()).group(1)


def test_the_hello_tells_the_cursor_the_page_was_rendered_at_when_nothing_happened(client_user, acme):
    # given: an event before the page
    _event(acme)
    browser = logged_in_browser(client_user)

    # when: the page is rendered, then its socket connects
    rendered = _rendered_cursor(browser)

    async def scenario():
        communicator, hello = await open_socket(browser)
        await close(communicator)
        return hello

    hello = run(scenario)

    # then: the same cursor: the page need not fetch itself again
    assert rendered
    assert hello["cursor"] == rendered


def test_an_event_between_the_render_and_the_hello_changes_the_cursor(client_user, acme):
    # given: the page rendered
    browser = logged_in_browser(client_user)
    rendered = _rendered_cursor(browser)

    # when: an event is committed before the socket connects
    _event(acme)

    async def scenario():
        communicator, hello = await open_socket(browser)
        await close(communicator)
        return hello

    hello = run(scenario)

    # then: the hello's cursor differs: the page re-fetches
    assert hello["cursor"] != rendered


def test_a_late_commit_below_the_highest_id_changes_the_cursor(acme):
    # given: three events, the middle one not committed yet when the page is rendered (PostgreSQL hands
    # out ids at insert, so a slow transaction commits after one with a higher id)
    first, middle, last = _event(acme), _event(acme), _event(acme)
    middle_id = middle.pk
    middle.delete()
    rendered = live_cursor()

    # when: it commits
    _event(acme, id=middle_id)

    # then: same highest id, yet another cursor
    assert rendered.split(".")[0] == str(last.pk)
    assert live_cursor() != rendered
    assert first.pk < middle_id < last.pk


def test_the_cursor_is_read_before_the_view_and_not_for_the_api_or_a_live_refetch(client_user, acme):
    # given
    browser = logged_in_browser(client_user)
    page = browser.get("/requests/")
    refetch = browser.get("/requests/", headers={"X-Requested-With": "fetch"})
    api = browser.get("/api/notices/unread-count/")

    # then: the page carries it; the live re-fetch and the API do not read it
    assert CURSOR_ON_PAGE.search(page.content.decode()).group(1) == live_cursor()
    assert not hasattr(refetch.wsgi_request, "live_cursor")
    assert not hasattr(api.wsgi_request, "live_cursor")


def test_an_empty_outbox_has_a_cursor_too(db):
    assert live_cursor() == "0.0"


def test_events_the_hello_covers_are_not_replayed_and_later_ones_arrive(client_user, acme):
    # given: an event committed a moment before the socket opens (a starting relay replays those)
    browser = logged_in_browser(client_user)
    before = _event(acme)

    async def scenario():
        communicator, hello = await open_socket(browser)
        after = await database_sync_to_async(_event)(acme)
        event = await receive_event(communicator)
        await close(communicator)
        return hello, after.pk, event

    hello, after_id, event = run(scenario)

    # then: the first event to arrive is the one after the hello; the hello's cursor covers the other
    assert hello["cursor"].split(".")[0] == str(before.pk)
    assert event["id"] == after_id
