"""A session ends SESSION_ABSOLUTE_AGE after its login however active (12 hours). A few minutes before,
every page says at what time, that it cannot be extended and whether the form keeps a draft, and offers
"Log in again now" (back to the same page) instead of "Stay logged in"; a renewal in one tab moves every
tab from the inactivity warning to this one. Short limits stand for the hours and minutes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.sessions.models import Session

from backend.core.middleware import SESSION_LOGIN_AT_KEY
from backend.core.money import format_time
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE = "z powodu braku aktywności"
STAY = "Nie wylogowuj mnie"
AGAIN = "Zaloguj się ponownie teraz"
DRAFT_KEPT = "To, co wpisujesz w tym formularzu, zapisuje się jako szkic"
NOT_KEPT = "Tekst wpisany na tej stronie nie jest zapisywany"
ENDED = "Twoja sesja wygasła: sesja trwa najwyżej"


def _absolute_time(context, age: int) -> str:
    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    login_at = Session.objects.get(session_key=key).get_decoded()[SESSION_LOGIN_AT_KEY]
    return format_time(datetime.fromtimestamp(login_at + age, tz=UTC))


def test_every_tab_warns_of_the_absolute_end_with_its_time_and_the_session_ends_then(
    browser, live_server, client_user, settings
):
    # given: 30 s of inactivity (warned 20 s ahead), 36 s in all (warned 30 s ahead): the inactivity end
    # comes first until "Stay logged in" moves it past the absolute one
    settings.SESSION_COOKIE_AGE = 30
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 20
    settings.SESSION_ABSOLUTE_AGE = 36
    settings.SESSION_ABSOLUTE_WARNING_SECONDS = 30
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/messages/new/")
    other = context.new_page()
    other.goto("/documents/")
    page.fill("input[name=subject]", "Pytanie o polisę")
    ends_at = _absolute_time(context, 36)

    # when the inactivity warning is up in both tabs and one of them renews the session
    page.get_by_role("alert").filter(has_text=IDLE).wait_for()
    other.get_by_role("alert").filter(has_text=IDLE).wait_for()
    with page.expect_response("**/session/renew/") as renewed:
        page.get_by_role("alert").get_by_role("button", name=STAY).click()
    assert renewed.value.status == 204

    # then both tabs say when the session ends, that it cannot be extended, and what the page keeps;
    # neither offers "Stay logged in" any more
    warning = f"Twoja sesja zakończy się o {ends_at}: sesja trwa najwyżej 1 godzinę od zalogowania i nie można jej przedłużyć."
    for tab, kept in ((page, DRAFT_KEPT), (other, NOT_KEPT)):
        alert = tab.get_by_role("alert").filter(has_text=warning)
        alert.wait_for()
        assert kept in alert.inner_text()
        assert alert.get_by_role("button", name=AGAIN).is_visible()
        assert tab.get_by_role("button", name=STAY).count() == 0
    # the keyboard was on the renewed alert's button: it goes back to the field, not to the logout
    assert page.evaluate("document.activeElement.name") == "subject"

    # and at that time the session ends: the page says so, keeps the text, and the server agrees
    page.get_by_role("alert").filter(has_text=ENDED).wait_for(timeout=40_000)
    other.get_by_role("alert").filter(has_text=ENDED).wait_for()
    # its login link tells the login page why (its note names the 1-hour limit)
    login = page.get_by_role("alert").filter(has_text=ENDED).get_by_role("link")
    assert login.get_attribute("href") == "/login/?next=/messages/new/&ended=absolute"
    assert page.input_value("input[name=subject]") == "Pytanie o polisę"
    assert page.request.get("/documents/", max_redirects=0).status == 302
    context.close()


def test_log_in_again_now_saves_the_draft_and_comes_back_to_the_same_page(
    browser, live_server, client_user, settings
):
    settings.SESSION_ABSOLUTE_AGE = 40
    settings.SESSION_ABSOLUTE_WARNING_SECONDS = 39
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/messages/new/")
    page.fill("input[name=subject]", "Pytanie o polisę")  # typed just now: its draft is not saved yet

    # the warning stays in view while the user is further down the form
    warning = page.get_by_role("alert").filter(has_text=AGAIN)
    warning.wait_for()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert 0 <= warning.bounding_box()["y"] < 50

    # when the user takes the offer at once
    warning.get_by_role("button", name=AGAIN).click()

    # then the login page leads back here, where the draft of what was typed waits
    page.wait_for_url("**/login/?next=/messages/new/")
    page.fill("#id_username", client_user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    assert page.url.endswith("/messages/new/")
    page.get_by_test_id("draft-offer").wait_for()
    context.close()
