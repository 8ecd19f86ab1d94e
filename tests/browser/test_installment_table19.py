"""The schedule change's "change the installment amount": a table of the installments the change re-plans
(number, due date, current net, an input per row with its own label), filled with the current amounts,
that the keyboard reaches and that fits a phone; it fills the box the form sends (the API's field)."""

from __future__ import annotations

import pytest

from backend.core.money import format_amount, format_date
from backend.requests_app.change_plans import replanned_installments
from tests.browser.conftest import log_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 375])
def test_the_table_of_new_amounts(browser, live_server, client_user, acme, width):
    contract = ContractFactory(client=acme, months=36)
    rows = replanned_installments(contract)
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, client_user)
    page.goto(f"/requests/new/schedule_change/?contract={contract.pk}")
    page.check("input[name='data__installment_option'][value='amount']")

    first = page.get_by_label(
        f"Nowa kwota netto raty nr {rows[0].number}, płatnej {format_date(rows[0].due_date)}", exact=True
    )
    assert first.input_value() == format_amount(rows[0].net)
    # every row but the last (computed) has its input; the box the form sends holds the current amounts
    assert page.locator("#f-data__net_installments input").count() == len(rows) - 1
    area = page.locator("textarea[name='data__net_installments']")
    assert area.input_value().split("\n") == [format_amount(row.net) for row in rows[:-1]]
    # the keyboard reaches the inputs in order, and a typed amount goes into the box
    first.focus()
    page.keyboard.press("Tab")
    second = page.locator("#f-data__net_installments input").nth(1)
    assert second.evaluate("(node) => node === document.activeElement")
    second.fill("19 000,00")
    assert area.input_value().split("\n")[1] == "19 000,00"
    page.wait_for_function("() => [...document.querySelectorAll('#quote-preview dd')].length > 0")
    # no sideways scrolling on a phone
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    context.close()
