"""Client pages, walk 35: the home page's invoices on a phone, two short lines each; the two-tab race on a
request form told once, where the client acts; the schedule preview asks nothing until a contract is
chosen."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.requests_app.models import PortalRequest
from tests.browser.conftest import log_in
from tests.factories import ContractFactory, InvoiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_payment_day_form(page) -> None:
    page.check("input[name='data__payment_day'][value='20']")
    page.select_option("#f-data__reason", "cash_flow")
    page.fill("#f-contact__phone", "601 234 567")
    for box in page.locator("#f-declarations input[type=checkbox]").all():
        box.check()


def test_the_two_tab_race_is_told_once_at_the_contract_field(browser, live_server, client_user, acme):
    contract = ContractFactory(client=acme, payment_day=15)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    context.set_default_timeout(15_000)
    tab_a, tab_b = context.new_page(), context.new_page()
    log_in(tab_a, client_user)
    for tab in (tab_a, tab_b):
        tab.goto("/requests/new/payment_date_change/")
        _fill_payment_day_form(tab)

    # given: tab A sends the request first
    with tab_a.expect_navigation():
        tab_a.click("#submit-request")
    first = PortalRequest.objects.get()
    # when: tab B sends the same kind for the same contract
    with tab_b.expect_navigation():
        tab_b.click("#submit-request")
    tab_b.screenshot(path="/tmp/sc8/race_tab_b.png", full_page=True)

    # then: the refusal is told once, in full with the open request's link, at the contract's field ...
    refusal = f"Na umowie {contract.number} jest już otwarty wniosek tego rodzaju"
    assert tab_b.inner_text("main").count(refusal) == 1
    field_error = tab_b.locator("#err-contract_id")
    assert refusal in field_error.inner_text()
    request_link = field_error.locator("a", has_text=first.number)
    assert request_link.get_attribute("href") == f"/requests/{first.pk}/"
    assert "err-contract_id" in tab_b.get_attribute("#f-contract_id", "aria-describedby")
    assert tab_b.get_attribute("#f-contract_id", "aria-invalid") == "true"
    assert not tab_b.locator("#open-requests").is_visible()
    # ... and the summary, focused, is one link to that field
    summary_link = tab_b.locator("#error-summary a")
    assert summary_link.count() == 1
    assert summary_link.inner_text() == "Umowa: ma już otwarty wniosek tego rodzaju"
    summary_link.click()
    assert tab_b.evaluate("document.activeElement.id") == "f-contract_id"
    request_link.click()
    tab_b.wait_for_url(f"**/requests/{first.pk}/")
    context.close()


def _fill_schedule_form(page, contract) -> None:
    page.select_option("#f-contract_id", str(contract.pk))
    page.fill("#f-data__months", "36")
    page.fill("#f-contact__phone", "601 234 567")
    for box in page.locator("#f-declarations input[type=checkbox]").all():
        box.check()


def test_the_schedule_preview_asks_nothing_until_a_contract_is_chosen(
    browser, live_server, client_user, acme
):
    busy = ContractFactory(client=acme)
    free = ContractFactory(client=acme)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    context.set_default_timeout(15_000)
    tab_a, tab_b = context.new_page(), context.new_page()
    log_in(tab_a, client_user)
    for tab in (tab_a, tab_b):
        tab.goto("/requests/new/schedule_change/")
        _fill_schedule_form(tab, busy)
    with tab_a.expect_navigation():
        tab_a.click("#submit-request")
    asked: list[dict] = []
    tab_b.on(
        "request",
        lambda request: asked.append(request.post_data_json) if "schedule-quote" in request.url else None,
    )

    # given: tab B's send is refused (the race): its contract field is back at "Choose…"
    with tab_b.expect_navigation():
        tab_b.click("#submit-request")
    tab_b.wait_for_load_state("networkidle")

    # then: the preview says what it needs and asked the server nothing
    assert tab_b.input_value("#f-contract_id") == ""
    assert tab_b.inner_text("#quote-preview") == "Wybierz umowę, aby zobaczyć podgląd."
    assert asked == []
    tab_b.screenshot(path="/tmp/sc8/schedule_no_contract.png", full_page=True)

    # when: a free contract is chosen, the preview is asked for that one
    tab_b.select_option("#f-contract_id", str(free.pk))
    tab_b.locator("#quote-preview table").wait_for()
    assert [body["contract_id"] for body in asked] == [free.pk]
    context.close()


def _ten_invoices(acme) -> None:
    today = timezone.localdate()
    for days in range(8):
        InvoiceFactory(
            client=acme,
            number=f"FV/2026/12/0100001{days:04d}",
            issue_date=today - timedelta(days=days),
            paid_amount=Decimal("1230.00"),
        )
    InvoiceFactory(client=acme, number="FV/2026/12/01000019998", issue_date=today, paid_amount=Decimal("0"))
    InvoiceFactory(
        client=acme,
        number="FV/2026/10/01000019999",
        issue_date=today - timedelta(days=40),
        due_date=today - timedelta(days=26),
    )


def test_the_home_page_lists_its_invoices_in_two_short_lines_on_a_phone(
    browser, live_server, client_user, acme
):
    _ten_invoices(acme)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/")
    page.screenshot(path="/tmp/sc8/home_phone_test.png", full_page=True)

    rows = page.locator("[data-testid=home-invoices] tbody tr")
    assert rows.count() == 10
    for row in rows.all():
        # number and amount, due date and status: ~75 px, not a card of six labelled lines (~330 px)
        assert row.bounding_box()["height"] < 110, row.inner_text()
        assert row.locator(".issue-date").is_hidden() and row.locator(".actions").is_hidden()
        assert row.locator(".badge").is_visible() and row.locator("td.num").is_visible()
    overdue = rows.filter(has_text="FV/2026/10/01000019999")
    assert "inset" in overdue.evaluate("row => getComputedStyle(row).boxShadow")
    assert "Przeterminowana" in overdue.inner_text()
    due = overdue.locator(".due-date")
    assert due.evaluate("cell => getComputedStyle(cell, '::before').content") == '"termin "'
    assert due.bounding_box()["height"] < 30  # "termin 06.11.2026" one line beside "Przeterminowana"
    every = page.get_by_role("link", name="Zobacz wszystkie faktury")
    assert every.is_visible() and every.get_attribute("href") == "/invoices/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # a desktop keeps every column (the issue date and the PDF) and its "All" button
    page.set_viewport_size({"width": 1280, "height": 900})
    first = rows.first
    assert first.locator(".issue-date").is_visible() and first.locator(".actions a").is_visible()
    assert every.is_hidden()
    context.close()
