"""In Chromium: the schedule preview shows the server's formatting and the refusal of an under-paying
plan before submit; the staff page shows old → new. Screenshots at 1280 and 375 px go to
$PORTAL_SCREENSHOTS if set."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from backend.core.money import format_amount
from backend.requests_app.change_plans import schedule_change_plan_for
from tests.browser.conftest import log_in
from tests.client_correctness.helpers import submission
from tests.factories import ContractFactory

SHOTS = os.environ.get("PORTAL_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_the_preview_formats_like_the_schedule_and_shows_the_refusal(
    browser, live_server, client_user, acme, width
):
    contract = ContractFactory(client=acme, net_value=Decimal("412345.67"), months=60)
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/requests/new/schedule_change/")
    preview = page.locator("#quote-preview")
    preview.locator("dl.quote-summary").wait_for()

    page.fill("#f-data__months", "72")
    expected = format_amount(schedule_change_plan_for(contract, {"months": 72}).installments[0].net)
    # the summary's first installment with its currency, the table's amounts under their column's
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('#quote-preview dd')].some(dd => dd.textContent === text)",
        arg=f"{expected}\u00a0zł",
    )
    assert preview.locator("td.num").first.inner_text().strip() == expected
    # The installments fit their box at every width (cards on a phone): nothing to swipe sideways.
    assert page.evaluate(
        "() => { const box = document.querySelector('#quote-preview .table-wrap');"
        " return box.scrollWidth <= box.clientWidth; }"
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    shot(page, f"correctness_preview_{width}")

    page.fill("#f-data__months", "")
    # The fill button copies the amount to as many installments as the newest schedule had: wait for it.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#quote-preview dd')].some(dd => dd.textContent === '60')"
    )
    page.check("input[name='data__installment_option'][value='amount']")
    # the table of new amounts (request_form.js): its first input, then copied to every row
    page.fill("#f-data__net_installments input >> nth=0", "2 500,00")
    page.locator("#fill-installments:not([hidden])").wait_for()
    page.click("#fill-installments")
    # Shown before submit: the schedule with the refusal naming the capital left.
    alert = preview.locator(".alert.error", has_text="nie spłacają kapitału")
    alert.wait_for()
    preview.locator("dl.quote-summary").wait_for()
    assert "zł" in alert.inner_text()
    shot(page, f"correctness_preview_refused_{width}")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_page_shows_old_and_new(browser, live_server, client_user, bok_staff, acme, api_as, width):
    acme.email = "stary.adres@acme.pl"
    acme.save()
    body = submission("client_data_change", data={"email": "nowy.adres@acme.pl"})
    created = api_as(client_user).post("/api/requests/", body, format="json")
    assert created.status_code == 201
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{created.json()['id']}/")
    row = page.locator("#data-changes tr[data-field=email]")
    assert row.locator(".change-old").inner_text() == "stary.adres@acme.pl"
    assert "nowy.adres@acme.pl" in row.locator(".change-new").inner_text()
    # The old → new table scrolls or wraps inside the page: no sideways scrolling on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    shot(page, f"correctness_staff_changes_{width}")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_fill_button_writes_one_amount_per_installment_of_the_new_period(page, client_user, acme):
    contract = ContractFactory(client=acme, net_value=Decimal("412345.67"), months=36)
    overdue = contract.schedule_rows.filter(paid=True).order_by("-number")[2]
    overdue.paid = False  # an earlier installment still owed: kept, like every paid one
    overdue.save()
    kept = contract.schedule_rows.filter(paid=True).count() + 1
    level = schedule_change_plan_for(contract, {"months": 48}).installments[0].net
    amount = str(level).replace(".", ",")
    log_in(page, client_user)
    page.goto("/requests/new/schedule_change/")
    page.locator("#quote-preview dl.quote-summary").wait_for()
    page.check("input[name='data__installment_option'][value='amount']")
    page.fill("#f-data__months", "48")
    page.fill("#f-data__net_installments input >> nth=0", amount)

    page.click("#fill-installments")

    # the table fills the form's box: one amount per row but the last (computed: it repays the rest)
    area = page.locator("textarea[name='data__net_installments']")
    assert area.input_value().split("\n") == [amount] * (48 - kept - 1)
    # the server takes them: the preview counts the installments, with no error
    page.wait_for_function(
        "(count) => [...document.querySelectorAll('#quote-preview dd')].some(dd => dd.textContent === count)",
        arg=str(48 - kept),
    )
    assert page.locator("#quote-preview .alert.error").count() == 0
    # a changed period re-fills the rows the button wrote
    page.fill("#f-data__months", "42")
    assert area.input_value().split("\n") == [amount] * (42 - kept - 1)
    page.wait_for_function(
        "(count) => [...document.querySelectorAll('#quote-preview dd')].some(dd => dd.textContent === count)",
        arg=str(42 - kept),
    )
