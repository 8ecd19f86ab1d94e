"""The contract page on a phone (375 px) lists the schedule's overdue and next installments only, so the
items and policies are not buried under 36 cards; "Pokaż cały harmonogram (36 rat)" (a <details>,
no script) shows every one. A wide screen keeps all 36 rows in the table's own scrolling box, no toggle."""

from __future__ import annotations

import pytest

from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}

MEASURE = """() => {
  const rows = [...document.querySelectorAll("[data-testid=schedule-table] tbody tr:not(.row-balance-change)")];
  const box = document.querySelector("#harmonogram .table-wrap");
  return {
    shown: rows.filter(r => r.getClientRects().length > 0).length,
    itemsTop: document.getElementById("items-title").getBoundingClientRect().top + window.scrollY,
    pageHeight: document.documentElement.scrollHeight,
    boxScrolls: box.scrollHeight > box.clientHeight + 1,
  };
}"""


def test_a_phone_shows_the_next_installments_and_expands_to_the_whole_schedule(page, login, client_user):
    # given: a 36-month contract, its past installments paid
    contract = ContractFactory(client=client_user.memberships.get().client, months=36)
    login(page, client_user)
    page.set_viewport_size(PHONE)

    # when
    page.goto(f"/contracts/{contract.pk}/")
    folded = page.evaluate(MEASURE)

    # then: the next few cards only, the items close under them, the downloads where they were
    assert 1 <= folded["shown"] <= 4
    assert folded["itemsTop"] < 4000 and folded["pageHeight"] < 5000  # 36 cards made it some 13,000 px
    assert page.get_by_role("link", name="Pobierz PDF").is_visible()
    toggle = page.locator("[data-testid=schedule-all] > summary")
    assert toggle.inner_text() == "Pokaż cały harmonogram (36 rat)"

    # when: the client opens the whole schedule
    toggle.click()
    expanded = page.evaluate(MEASURE)

    # then: all 36 installments flow with the page
    assert expanded["shown"] == 36
    assert expanded["pageHeight"] > folded["pageHeight"] + 25 * 100
    assert not expanded["boxScrolls"]


def test_a_wide_screen_keeps_the_whole_schedule_in_its_box(page, login, client_user):
    # given
    contract = ContractFactory(client=client_user.memberships.get().client, months=36)
    login(page, client_user)

    # when
    page.goto(f"/contracts/{contract.pk}/")
    desktop = page.evaluate(MEASURE)

    # then: every row, in the scrolling box with the sticky header, and no toggle
    assert desktop["shown"] == 36 and desktop["boxScrolls"]
    assert not page.locator("[data-testid=schedule-all]").is_visible()
