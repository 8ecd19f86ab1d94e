"""The header bell's panel by keyboard and on a phone: Escape closes it and gives the keyboard back to the
bell, leaving it closes it, and at 375 px the whole panel is on the screen (it hung off the left edge)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_escape_and_leaving_close_the_bell_panel(page, login, client_user, acme):
    login(page, client_user)
    page.goto("/documents/")
    page.focus(".notice-bell-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#notice-bell-panel:not([hidden])")
    assert page.evaluate("document.getElementById('notice-bell-panel').contains(document.activeElement)")

    page.keyboard.press("Escape")

    assert page.is_hidden("#notice-bell-panel")
    assert page.get_attribute(".notice-bell-button", "aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('notice-bell-button')")

    # a click elsewhere closes it too
    page.click(".notice-bell-button")
    page.wait_for_selector("#notice-bell-panel:not([hidden])")
    page.click("main h1")
    assert page.is_hidden("#notice-bell-panel")


def test_the_bell_panel_fits_a_phone_screen(page, login, client_user, acme):
    from notifications.models import Notice

    Notice.objects.create(recipient=client_user, kind="invoice.issued", client=acme, payload={})
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, client_user)
    page.goto("/documents/")
    page.click(".notice-bell-button")
    page.wait_for_selector("#notice-bell-panel:not([hidden])")

    box = page.locator("#notice-bell-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    read_all = page.locator(".notice-bell-read-all").bounding_box()
    assert read_all["x"] >= 0 and read_all["x"] + read_all["width"] <= 375, read_all
