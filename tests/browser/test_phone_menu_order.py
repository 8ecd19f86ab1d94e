"""The phone header's Menu (session 28): the user tools it opens are drawn below the button, but they came
before it in the page, so Tab from the button skipped them to the sections (and Shift+Tab reached them
"above" it). They now follow the button: Tab from it reaches the way back to the bank, the language,
the account links and log out, then the sections; Escape closes and gives the keyboard back to the button.
The bank's link was 28 px tall beside 44 px header links: it is a 44 px target too. A wide window keeps
the tools in the header's bar."""

from __future__ import annotations

import re

import pytest
from django.test import Client as DjangoClient
from playwright.sync_api import expect

from backend.accounts.second_factor import VERIFIED_SESSION_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}
BANK = "https://bank.example/konto/"
# What has the keyboard: its accessible text, enough to tell the header's controls apart.
FOCUSED = "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"


@pytest.fixture
def bank_page(browser, live_server, client_user, acme, settings):
    """A phone opened by the bank's hand-off (the session marked as the bank's, as backend/sso does)."""
    settings.BANK_SSO_RETURN_URL = BANK
    django_client = DjangoClient()
    django_client.force_login(client_user)
    session = django_client.session
    session[VERIFIED_SESSION_KEY] = "bank_sso"
    session.save()
    context = browser.new_context(base_url=live_server.url, locale="pl-PL", viewport=PHONE)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": session.session_key, "url": live_server.url}])
    page = context.new_page()
    page.goto("/invoices/")
    yield page
    context.close()


def _toggle(page):
    return page.get_by_role("navigation", name="Menu główne").get_by_role("button", name=re.compile("^Menu"))


def test_tab_from_the_menu_button_reaches_the_user_tools_drawn_below_it_then_the_sections(bank_page):
    page = bank_page
    toggle = _toggle(page)
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    bank = page.get_by_role("link", name="Wróć do bankowości internetowej")
    assert bank.is_visible() and bank.get_attribute("href") == BANK
    below = toggle.bounding_box()["y"] + toggle.bounding_box()["height"]

    reached = []
    for _ in range(7):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED))
        box = page.evaluate("() => document.activeElement.getBoundingClientRect().top")
        assert box >= below - 1, reached  # each drawn below the button
    assert reached[0] == "Wróć do bankowości internetowej"
    assert [re.sub(r"\s.*", "", text, flags=re.S) for text in reached[1:3]] == ["PL", "EN"]
    assert reached[3:6] == ["Moje konto", "Zmień hasło", "Wyloguj się"]
    assert reached[6] == "Ekran główny"  # then the first section
    # and back: Shift+Tab from the first tool is the button again
    bank.focus()
    page.keyboard.press("Shift+Tab")
    assert toggle.evaluate("el => el === document.activeElement")

    # Escape from inside the tools closes the menu and gives the keyboard back to the button
    page.get_by_role("link", name="Moje konto").focus()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not bank.is_visible()
    assert toggle.evaluate("el => el === document.activeElement")


def test_the_bank_link_and_log_out_in_the_open_menu_are_44_px_targets_like_the_other_header_links(bank_page):
    page = bank_page
    _toggle(page).click()
    header = page.locator(".site-header")
    for name in ("Wróć do bankowości internetowej", "Moje konto", "Zmień hasło"):
        box = header.get_by_role("link", name=name).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            name,
            box,
        )
    logout = header.get_by_role("button", name="Wyloguj się").bounding_box()  # was 33 px
    assert logout["height"] >= 44 and logout["x"] + logout["width"] <= PHONE["width"], logout


def test_a_wider_window_puts_the_tools_back_in_the_header_bar(bank_page):
    page = bank_page
    tools = page.locator(".site-header .header-tools")
    assert tools.locator(".header-link").count() == 0  # in the menu on a phone, even while it is closed
    page.set_viewport_size({"width": 1280, "height": 900})
    # nav.js moves them on the media query's change event, a moment after the resize: wait for it
    for name in ("Wróć do bankowości internetowej", "Moje konto", "Zmień hasło"):
        expect(tools.get_by_role("link", name=name)).to_be_visible()
    expect(tools.get_by_role("button", name="Wyloguj się")).to_be_visible()
    # in the header's order: who is logged in (and the bank's link), the company, language, bell, links
    order = tools.evaluate(
        "el => [...el.children].filter(c => c.tagName !== 'SCRIPT')"
        ".map(c => c.className.split(' ')[0] || c.tagName.toLowerCase())"
    )
    assert order == ["who", "who", "lang-switch", "notice-bell", "header-link", "header-link", "form"], order
    expect(_toggle(page)).to_be_hidden()
    page.set_viewport_size(PHONE)  # and folds again
    expect(tools.locator(".header-link")).to_have_count(0)
    _toggle(page).click()
    expect(page.locator(".main-nav").get_by_role("link", name="Moje konto")).to_be_visible()
