"""The contract page's schedule on a phone (375 px), opened whole: its installment cards flow with the page instead of
scrolling two at a time inside a box of their own, and the card's heading keeps "Harmonogram" whole, its
download buttons wrapping under it. On a desktop the heading and the buttons share one line."""

from __future__ import annotations

import pytest

from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}

MEASURE = """() => {
  const box = document.querySelector("#harmonogram .table-wrap");
  const heading = document.getElementById("schedule-title");
  const words = document.createRange();
  words.selectNodeContents(heading);
  const actions = document.querySelector("#harmonogram .card-head .actions-row").getBoundingClientRect();
  return {
    scrolls: box.scrollHeight > box.clientHeight + 1,
    boxHeight: box.clientHeight,
    cards: document.querySelectorAll("[data-testid=schedule-table] tbody tr").length,
    headingLines: new Set([...words.getClientRects()].map(r => Math.round(r.top))).size,
    headingBottom: heading.getBoundingClientRect().bottom,
    actionsTop: actions.top,
  };
}"""


def test_the_schedule_flows_with_the_page_and_its_heading_stays_whole_on_a_phone(page, login, client_user):
    contract = ContractFactory(client=client_user.memberships.get().client, months=36)
    login(page, client_user)
    page.set_viewport_size(PHONE)
    page.goto(f"/contracts/{contract.pk}/")

    page.locator("[data-testid=schedule-all] > summary").click()  # the whole schedule, not the next ones
    phone = page.evaluate(MEASURE)

    assert phone["cards"] == 36
    assert not phone["scrolls"] and phone["boxHeight"] > 36 * 100  # every card in the page's own scroll
    assert phone["headingLines"] == 1  # "Harmonogram", not "Harmono/gram"
    assert phone["actionsTop"] >= phone["headingBottom"] - 1  # the buttons under the heading

    page.set_viewport_size({"width": 1280, "height": 900})
    desktop = page.evaluate(MEASURE)
    assert desktop["actionsTop"] < desktop["headingBottom"]  # side by side on a wide screen
    assert desktop["scrolls"]  # the desktop table keeps its box with the sticky header
