"""The staff inbox keeps a contract number whole on a line, as the task list does (session 28): at 1,280 px
and on a 375 px phone a usual number (UL/2024/00123) broke at its "/", read out to a caller in pieces. The
table still keeps every column inside the page."""

from __future__ import annotations

import pytest

from backend.messaging.services import start_thread
from tests.browser.conftest import log_in
from tests.browser.test_long_data_layout import problems_of
from tests.browser.test_task_list_whole import ELEMENT_LINES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "UL/2024/00123"
CONTRACT_CELL = '.inbox-table tbody td[data-label="Umowa"]'


@pytest.fixture
def inbox(page, bok_staff, client_user, acme, acme_contract):
    """A long-named client's thread with a long subject on a contract with a usual number, in the inbox."""
    acme.name = "Przedsiębiorstwo Handlowo-Usługowe ACME Logistyka sp. z o.o."
    acme.save(update_fields=["name"])
    acme_contract.number = NUMBER
    acme_contract.save(update_fields=["number"])
    start_thread(
        user=client_user,
        client=acme,
        subject="Korekta adresu korespondencyjnego na fakturach za ostatni kwartał",
        category="invoices",
        body="Proszę o korektę.",
        contract=acme_contract,
    )
    log_in(page, bok_staff)
    return page


@pytest.mark.parametrize("width", [1280, 1024, 375])
def test_a_contract_number_in_the_inbox_is_one_line(inbox, width):
    page = inbox
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/staff/messages/")
    assert NUMBER in page.inner_text(CONTRACT_CELL)
    assert page.evaluate(ELEMENT_LINES, CONTRACT_CELL) == [1]
    assert problems_of(page, width, "inbox") == []
