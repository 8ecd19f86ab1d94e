"""The schedule's figures carry no currency: the contract page says it visibly above the table, on a wide
screen and above the phone's installment cards, not only in a 1 px caption and after the last row."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Visible lines saying the currency ("Kwoty w EUR."), each with whether it sits above the table.
CURRENCY_LINES = """() => {
  const table = document.querySelector("[data-testid=schedule-table]").getBoundingClientRect();
  return [...document.querySelectorAll("#harmonogram *")]
    .filter(el => el.children.length === 0 && el.textContent.trim().startsWith("Kwoty w EUR"))
    .map(el => ({ rect: el.getBoundingClientRect(), style: getComputedStyle(el) }))
    .filter(({ rect, style }) => rect.height > 5 && rect.width > 40 && style.visibility !== "hidden")
    .map(({ rect }) => ({ above: rect.bottom <= table.top + 1, gap: table.top - rect.bottom }));
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_schedule_says_its_currency_above_the_table(page, client_user, acme, width):
    contract = ContractFactory(client=acme, currency="EUR", months=24)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, client_user)

    page.goto(f"/contracts/{contract.pk}/")

    lines = page.evaluate(CURRENCY_LINES)
    above = [line for line in lines if line["above"]]
    assert above, lines
    assert above[0]["gap"] < 60  # right above the first row or card, not somewhere up the page
