"""The header on a phone (walker, session 27): at 375 x 800 it took 225-265 px before any content (logo,
who is logged in, company, language, bell, account links, log out, then the menu button). It is now one row
(logo, company cut with an ellipsis, bell, Menu; a company switcher a second row) and the Menu button opens
the rest of the user tools above the sections, each reachable by keyboard. Wide screens and a phone without
scripts keep the whole header."""

from __future__ import annotations

import re

import pytest

from tests.factories import ClientFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}
LONG_NAME = "Przedsiębiorstwo Handlowo-Usługowe ACME Logistyka spółka z ograniczoną odpowiedzialnością"


def _header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def _in_row_one(page, locator) -> bool:
    """Wholly on the screen and inside the header's first 64 px."""
    box = locator.bounding_box()
    top = page.locator(".site-header").bounding_box()["y"]
    return (
        box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["y"] + box["height"] <= top + 64
    )


def test_on_a_phone_the_header_is_one_row_and_the_menu_opens_the_user_tools(page, login, client_user, acme):
    acme.name = LONG_NAME
    acme.save(update_fields=["name"])
    page.set_viewport_size(PHONE)
    login(page, client_user)
    page.goto("/invoices/")
    header = page.locator(".site-header")
    toggle = page.get_by_role("navigation", name="Menu główne").get_by_role(
        "button", name=re.compile("^Menu")
    )
    logout = header.get_by_role("button", name="Wyloguj się")
    english = header.get_by_role("button", name=re.compile("^EN"))

    assert _header_height(page) <= 120
    # one row: the logo (home), the company, the bell and the Menu button
    company = header.get_by_test_id("active-client")
    for part in (
        header.get_by_role("link", name="Portal Klienta"),
        company,
        page.locator(".notice-bell-button"),
        toggle,
    ):
        assert part.is_visible() and _in_row_one(page, part), part
    assert company.evaluate("el => el.scrollWidth > el.clientWidth")  # cut with an ellipsis, on one line
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not logout.is_visible() and not english.is_visible()

    # the Menu button opens, by keyboard, the user tools and the sections
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    for part in (
        header.get_by_text("Zalogowany użytkownik"),
        english,
        header.get_by_role("link", name="Moje konto"),
        header.get_by_role("link", name="Zmień hasło"),
        logout,
        page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Umowy"),
    ):
        box = part.bounding_box()
        assert part.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    page.screenshot(path="/tmp/phone-header-open-375.png")
    logout.focus()
    assert logout.evaluate("el => el === document.activeElement")
    # Escape folds it again and gives the keyboard back to the button
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not logout.is_visible()
    assert toggle.evaluate("el => el === document.activeElement")

    # the language switch still works from the menu
    toggle.click()
    with page.expect_navigation():
        english.click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Menu").is_visible()


def test_on_a_phone_a_company_switcher_keeps_a_second_row_of_the_header(page, login, client_user, acme):
    MembershipFactory(user=client_user, client=ClientFactory(name=LONG_NAME), is_default=False)
    page.set_viewport_size(PHONE)
    login(page, client_user)
    page.goto("/invoices/")
    header = page.locator(".site-header")

    assert _header_height(page) <= 120
    switcher = header.get_by_label("Firma")
    switch = header.get_by_role("button", name="Przełącz")
    for part in (switcher, switch):
        box = part.bounding_box()
        assert part.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    assert switcher.bounding_box()["width"] >= 150  # room for a name, not "G…"
    page.screenshot(path="/tmp/phone-header-switcher-375.png")

    switcher.select_option(label=LONG_NAME)
    with page.expect_navigation():
        switch.click()
    assert header.get_by_label("Firma").evaluate("el => el.selectedOptions[0].textContent") == LONG_NAME


def test_wide_screens_and_a_phone_without_scripts_keep_the_whole_header(
    browser, live_server, client_user, acme
):
    from tests.browser.conftest import log_in

    for viewport, scripts in (({"width": 1280, "height": 900}, True), (PHONE, False)):
        context = browser.new_context(
            base_url=live_server.url, locale="pl-PL", viewport=viewport, java_script_enabled=scripts
        )
        page = context.new_page()
        log_in(page, client_user)
        page.goto("/invoices/")
        header = page.locator(".site-header")
        for part in (
            header.get_by_text("Zalogowany użytkownik"),
            header.get_by_test_id("active-client"),
            header.get_by_role("button", name=re.compile("^EN")),
            header.get_by_role("link", name="Moje konto"),
            header.get_by_role("button", name="Wyloguj się"),
            page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Umowy"),
        ):
            assert part.is_visible(), (viewport, part)
        assert not page.locator(".nav-toggle").is_visible()
        if scripts:  # one row of tools beside the logo, as before
            assert _header_height(page) <= 110
        context.close()
