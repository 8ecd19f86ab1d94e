"""The two ends every logged-in page tells its session-timeout script (base.html, core.context_processors):
the inactivity end as the session's row has it (exact: another write since the last slide moved it), and
the absolute end SESSION_ABSOLUTE_AGE after the login, with its time as the portal writes times."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from backend.accounts.session_store import SessionStore
from backend.core.middleware import SESSION_LOGIN_AT_KEY, SESSION_REFRESHED_KEY, session_seconds_left
from backend.core.money import format_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client_user) -> Client:
    browser = Client()
    browser.force_login(client_user)
    browser.get("/documents/")  # the first page settles the session (active company, login time)
    return browser


def _region(browser: Client) -> str:
    page = browser.get("/documents/").content.decode()
    return re.search(r'<div class="session-timeout" role="alert" data-session-timeout[^>]*>', page).group(0)


def _number(region: str, name: str) -> int:
    return int(re.search(rf'{name}="(\d+)"', region).group(1))


def _stamp(browser: Client, **values: int) -> str:
    session = browser.session
    session.update(values)
    session.save()
    return session.session_key


def test_the_page_tells_the_inactivity_end_the_session_row_has(browser, settings):
    # given a session slid just now (this request does not slide it) whose row ends in 100 s
    settings.SESSION_COOKIE_AGE = 1800
    key = _stamp(browser, **{SESSION_REFRESHED_KEY: int(time.time())})
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=100))

    # when
    region = _region(browser)

    # then the page counts down from 100 s, not from the slide's 30 minutes
    assert 97 <= _number(region, "data-seconds-left") <= 100


def test_a_write_since_the_last_slide_moved_the_end_later(client_user, settings):
    # given a session slid 30 s ago and written 10 s ago (its row ends 30 minutes after that write)
    settings.SESSION_COOKIE_AGE = 1800
    store = SessionStore()
    store[SESSION_REFRESHED_KEY] = int(time.time()) - 30
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=1790)
    )

    # when the next request reads it
    read = SessionStore(store.session_key)
    read.load()

    # then its end is the row's
    assert 1787 <= session_seconds_left(read) <= 1790


def test_the_page_tells_the_absolute_end_and_its_time(browser, settings):
    # given a session logged in 12 hours ago but 250 s
    settings.SESSION_ABSOLUTE_AGE = 12 * 3600
    settings.SESSION_ABSOLUTE_WARNING_SECONDS = 300
    login_at = int(time.time()) - 12 * 3600 + 250
    _stamp(browser, **{SESSION_LOGIN_AT_KEY: login_at})

    # when
    region = _region(browser)

    # then
    assert 247 <= _number(region, "data-absolute-left") <= 250
    assert _number(region, "data-absolute-warn-before") == 300
    end = datetime.fromtimestamp(login_at + 12 * 3600, tz=UTC)
    assert f'data-absolute-time="{format_time(end)}"' in region
    assert "Twoja sesja zakończy się o {time}: sesja trwa najwyżej 12 godzin od zalogowania" in region
    assert 'data-text-relogin="Zaloguj się ponownie teraz"' in region


def test_the_session_ends_at_the_end_the_page_told(browser, settings):
    # given a page that says the session has about 100 s left in all
    settings.SESSION_ABSOLUTE_AGE = 3600
    _stamp(browser, **{SESSION_LOGIN_AT_KEY: int(time.time()) - 3600 + 100})
    told = _number(_region(browser), "data-absolute-left")
    now = time.time()

    # then the server keeps it until then, however active, and ends it then
    with time_machine.travel(now + told - 2, tick=False):
        assert browser.get("/documents/").status_code == 200
    with time_machine.travel(now + told + 1, tick=False):
        response = browser.get("/documents/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
