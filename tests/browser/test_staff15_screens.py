"""Staff and analyst screens as an outside tester met them: the flow list and the contract card's overdue
invoices on a phone, the heatmap's counted sentence, and the notice bell's keyboard focus."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_layout import BROKEN_LABELS, MEASURE_TABLES, PHONE
from tests.factories import InvoiceFactory
from tests.portal_ui.test_flow_migration import PROCESS, submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_flow_list_is_cards_with_every_column_and_button(page, login, analyst):
    page.set_viewport_size(PHONE)
    login(page, analyst)
    page.goto("/analyst/flows/")
    page.screenshot(path="/tmp/staff15-flow-list-375.png", full_page=True)

    tables = page.evaluate(MEASURE_TABLES)
    assert tables and all(t["links"] >= 2 for t in tables)
    assert [t for t in tables if t["width"] > t["room"] + 1 or t["clipped"]] == [], tables
    assert page.evaluate(BROKEN_LABELS) == []
    # the versions and the running count are on the card, under their names
    flows = page.get_by_test_id("flow-table")
    assert flows.locator('td[data-label="Wersje (wnioski w toku)"]:visible').count() >= 1


def test_on_a_phone_the_contract_cards_overdue_invoice_shows_its_outstanding_amount(
    page, login, bok_staff, client_user, acme
):
    today = timezone.localdate()
    InvoiceFactory(client=acme, issue_date=today - timedelta(days=40), due_date=today - timedelta(days=26))
    portal_request = submit_request(client_user, acme)
    page.set_viewport_size(PHONE)
    login(page, bok_staff)
    page.goto(f"/staff/tasks/{portal_request.pk}/")
    page.screenshot(path="/tmp/staff15-task-375.png", full_page=True)

    table = page.locator("#overdue-invoices")
    box = table.locator("xpath=..").bounding_box()
    outstanding = table.locator('td[data-label="Do zapłaty"]')
    cell = outstanding.bounding_box()
    assert outstanding.is_visible() and "1230,00" in outstanding.inner_text().replace("\xa0", "").replace(
        " ", ""
    )
    assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, (cell, box)
    assert page.evaluate(
        "el => el.scrollWidth <= el.clientWidth + 1", table.locator("xpath=..").element_handle()
    )


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "1 request running now"), ("pl", "1 wniosek w toku")]
)
def test_the_heatmap_counts_running_requests_in_the_right_plural(
    page, login, analyst, client_user, acme, language, expected
):
    analyst.language = language
    analyst.save(update_fields=["language"])
    submit_request(client_user, acme)
    login(page, analyst)
    page.goto(f"/analyst/flows/{PROCESS}/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")

    page.click("#toggle-heatmap")
    page.locator(".heat-badge").first.wait_for()

    assert expected in page.locator("#heatmap-summary").inner_text()


IN_PANEL = "document.getElementById('notice-bell-panel').contains(document.activeElement)"
ON_BELL = "document.activeElement.classList.contains('notice-bell-button')"


def test_the_bell_panel_takes_the_keyboard_and_gives_it_back(page, login, bok_staff):
    login(page, bok_staff)
    page.goto("/staff/")
    page.focus(".notice-bell-button")

    # Enter opens the panel and the keyboard is in it; with nothing unread nothing offers to mark it read
    page.keyboard.press("Enter")
    page.wait_for_selector("#notice-bell-panel:not([hidden])")
    assert page.get_attribute(".notice-bell-button", "aria-expanded") == "true"
    assert page.evaluate(IN_PANEL)
    page.wait_for_selector(".notice-bell-list li")
    assert "Brak powiadomień" in page.locator(".notice-bell-list").inner_text()
    assert not page.locator(".notice-bell-read-all").is_visible()

    # Escape closes it and the keyboard is back on the bell
    page.keyboard.press("Escape")
    assert page.is_hidden("#notice-bell-panel")
    assert page.evaluate(ON_BELL)

    # Tabbing out of the open panel closes it: it never stays open behind the focus
    page.keyboard.press("Enter")
    page.wait_for_selector("#notice-bell-panel:not([hidden])")
    for _ in range(2):
        page.keyboard.press("Tab")
        assert page.evaluate(IN_PANEL) or page.is_hidden("#notice-bell-panel")
    assert page.is_hidden("#notice-bell-panel")
    assert page.get_attribute(".notice-bell-button", "aria-expanded") == "false"
