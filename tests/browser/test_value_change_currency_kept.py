"""The value change form keeps the currency the client chose when the contract changes (request_form.js):
a price typed in CHF is not silently re-labelled PLN by picking a PLN contract; a note beside the field
says the price is not in the contract's currency."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chosen_currency_and_typed_price_survive_a_change_of_contract(page, client_user, acme):
    eur = ContractFactory(client=acme, currency="EUR")
    pln = ContractFactory(client=acme, currency="PLN")
    log_in(page, client_user)
    page.goto(f"/requests/new/contract_value_change/?contract={eur.pk}")
    note = page.get_by_test_id("currency-note")
    assert note.inner_text() == ""

    # given a price typed in CHF
    page.fill("#f-data__net_amount", "60 000,00")
    page.select_option("#f-data__currency", "CHF")
    assert "Umowa jest w EUR; Twoja cena pozostaje w CHF" in note.inner_text()

    # when the client picks a PLN contract
    page.select_option("#f-contract_id", str(pln.pk))

    # then neither the price nor its currency changed, and the note names the contract's currency
    assert page.locator("#f-data__net_amount").input_value() == "60 000,00"
    assert page.locator("#f-data__currency").input_value() == "CHF"
    assert note.inner_text() == (
        "Umowa jest w PLN; Twoja cena pozostaje w CHF. Jeśli chodziło o PLN, zmień walutę."
    )
    assert "currency-note" in page.locator("#f-data__currency").get_attribute("aria-describedby")

    # and choosing the contract's currency clears the note
    page.select_option("#f-data__currency", "PLN")
    assert note.inner_text() == ""


def test_a_typed_price_keeps_its_preselected_currency_too(page, client_user, acme):
    eur = ContractFactory(client=acme, currency="EUR")
    pln = ContractFactory(client=acme, currency="PLN")
    log_in(page, client_user)
    page.goto(f"/requests/new/contract_value_change/?contract={eur.pk}")

    page.fill("#f-data__net_amount", "60 000,00")  # typed while EUR was shown
    page.select_option("#f-contract_id", str(pln.pk))

    assert page.locator("#f-data__currency").input_value() == "EUR"
    assert "Umowa jest w PLN; Twoja cena pozostaje w EUR" in page.get_by_test_id("currency-note").inner_text()
