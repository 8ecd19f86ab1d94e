"""A contract with an open request of a contract-changing kind is named, with its link, on that kind's
form before the client fills it in, and the form offers only the contracts that take one (the busy one is
shown disabled, the free one chosen), on a phone without a sideways scroll."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.effects_walk.helpers import submit
from tests.factories import ContractFactory
from tests.logged_in_clients import api_client_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_form_says_the_open_request_before_it_is_filled_in(
    browser, live_server, client_user, acme, width
):
    busy = ContractFactory(client=acme, payment_day=15)
    free = ContractFactory(client=acme, payment_day=20)
    first = submit(
        api_client_as(client_user), "payment_date_change", busy, {"payment_day": 25, "reason": "cash_flow"}
    ).json()
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, client_user)

    page.goto("/requests/new/payment_date_change/")

    link = page.locator("#open-requests a", has_text=first["number"])
    assert link.is_visible() and link.get_attribute("href") == f"/requests/{first['id']}/"
    assert page.locator(f"#f-contract_id option[value='{busy.pk}']").is_disabled()
    assert page.locator("#f-contract_id").input_value() == str(free.pk)
    # the payment day hint (request_form.js) speaks of the contract chosen, not of the busy one
    assert "20" in page.locator("#current-day-note").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    link.click()
    page.wait_for_url(f"**/requests/{first['id']}/")
    context.close()
