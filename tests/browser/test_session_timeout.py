"""WCAG 2.2.1 Timing Adjustable: before the session ends for inactivity, every page says so at the top of
<main> (an alert, announced, the focus left in the field being typed in) with "Stay logged in", which
renews the session for every tab; once it has ended, the page says so and offers the login in a new tab,
keeping what was typed (no reload). Short limits stand for the 30 minutes and the 2 minutes' lead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNING = "Twoja sesja wygaśnie za około 2 minuty z powodu braku aktywności."
ENDED = "Twoja sesja wygasła z powodu braku aktywności."


def _session_row(context) -> Session:
    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=key)


def test_the_warning_comes_before_the_end_and_stay_logged_in_renews_it_for_every_tab(
    browser, live_server, client_user, settings
):
    settings.SESSION_COOKIE_AGE = 130
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 120  # so the warning comes ~10 s after the last request
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/messages/new/")
    other = context.new_page()
    other.goto("/documents/")
    assert page.locator("[data-session-timeout]").inner_text() == ""  # nothing to say yet
    page.fill("input[name=subject]", "Pytanie o polisę")
    expires_before = _session_row(context).expire_date

    # when the user goes on typing without sending anything
    alert = page.get_by_role("alert").filter(has_text=WARNING)
    alert.wait_for(timeout=25_000)

    # then the warning is announced, in every tab, and the field being typed in keeps the focus
    other.get_by_role("alert").filter(has_text=WARNING).wait_for()
    assert page.evaluate("document.activeElement.name") == "subject"
    # and "Stay logged in" renews the session: its end moves, and no tab warns any more
    with page.expect_response("**/session/renew/") as renewed:
        alert.get_by_role("button", name="Nie wylogowuj mnie").click()
    assert renewed.value.status == 204
    page.wait_for_function("() => document.querySelector('[data-session-timeout]').textContent === ''")
    other.wait_for_function("() => document.querySelector('[data-session-timeout]').textContent === ''")
    assert _session_row(context).expire_date >= expires_before + timedelta(seconds=5)
    assert page.input_value("input[name=subject]") == "Pytanie o polisę"
    context.close()


def test_an_ended_session_is_said_with_the_login_and_keeps_the_text(
    browser, live_server, client_user, settings
):
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 5
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/messages/new/")
    page.fill("input[name=subject]", "Pytanie o polisę")

    # when the limit has passed
    ended = page.get_by_role("alert").filter(has_text=ENDED)
    ended.wait_for(timeout=25_000)

    # then the page says so, in place, with the login in a new tab; the text stays and the server agrees
    login = ended.get_by_role("link", name="Zaloguj się ponownie (otwiera się w nowej karcie)")
    assert login.get_attribute("href") == "/login/?next=/messages/new/&ended=idle"
    assert login.get_attribute("target") == "_blank"
    assert page.url.endswith("/messages/new/")
    assert page.input_value("input[name=subject]") == "Pytanie o polisę"
    assert page.request.get("/messages/new/", max_redirects=0).status == 302  # to the login

    # and after a login in another tab the notice goes and the form carries the new session's token
    log_in(context.new_page(), client_user)
    page.wait_for_function("() => document.querySelector('[data-session-timeout]').textContent === ''")
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    assert page.input_value("input[name=csrfmiddlewaretoken] >> nth=0") == token
    context.close()
