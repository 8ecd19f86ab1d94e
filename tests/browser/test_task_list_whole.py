"""The staff task list keeps a contract number and a date whole on a line: at 1,280 px a usual contract
number (UL/2025/01000012) did break at its "/", and on a 375 px phone an English (ISO) date at its "-";
the table still keeps every action inside it."""

from __future__ import annotations

import pytest

from backend.requests_app import services
from tests.browser.conftest import log_in
from tests.browser.test_long_data_layout import problems_of
from tests.browser.test_staff_numbers_whole import LINES_OF

# How many lines the text of each element matching the selector takes (by the tops of its rectangles).
ELEMENT_LINES = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
})"""

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "UL/2025/01000012"
CONTRACT_CELL = '.request-table tbody td[data-label="%s"]'


def submit_on(contract, user, client, subject: str):
    portal_request, _created = services.submit_request(
        user=user,
        client=client,
        kind="other_request",
        contract=contract,
        contact={"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": user.email},
        declarations=[],
        data={"subject": subject, "message": "Treść pytania"},
        attachment_ids=[],
    )
    return portal_request


def lines(page, selector: str, text: str) -> int:
    found = page.evaluate(LINES_OF, [selector, text])
    assert found > 0, f"{text!r} not in {selector}"
    return found


@pytest.fixture
def listed(page, bok_staff, client_user, acme, acme_contract):
    """A task of a long-named client on a contract with a usual number; the staff member logged in."""
    acme.name = "Przedsiębiorstwo Handlowo-Usługowe ACME Logistyka sp. z o.o."
    acme.save(update_fields=["name"])
    acme_contract.number = NUMBER
    acme_contract.save(update_fields=["number"])
    request = submit_on(
        acme_contract, client_user, acme, "Zmiana adresu korespondencyjnego i numeru telefonu"
    )
    log_in(page, bok_staff)
    return request


def test_at_1280_px_a_contract_number_is_one_line_and_the_actions_stay_inside(page, listed):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/staff/tasks/")
    assert NUMBER in page.inner_text(CONTRACT_CELL % "Umowa")
    assert page.evaluate(ELEMENT_LINES, CONTRACT_CELL % "Umowa") == [1]
    assert problems_of(page, 1280, "task list") == []


def test_on_a_phone_in_english_each_date_of_a_task_card_is_one_line(page, listed, bok_staff):
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/staff/tasks/")
    submitted = page.inner_text(".request-table tbody time")
    assert submitted.startswith(listed.created_at.astimezone().strftime("%Y-"))  # the ISO form
    for time in page.locator(".request-table tbody time").all_inner_texts():
        assert lines(page, ".request-table tbody", time.split(" ")[0]) == 1, time
    assert page.evaluate(ELEMENT_LINES, CONTRACT_CELL % "Contract") == [1]
