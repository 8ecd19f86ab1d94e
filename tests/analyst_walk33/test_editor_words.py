"""The editor's decision tables card names the toolbar's buttons as they read: "Sprawdź poprawność" (was
"Sprawdź", a button the page does not have), each name in quotes."""

from __future__ import annotations

import pytest

from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def test_the_decision_tables_card_names_the_buttons_as_the_toolbar_does(analyst):
    analyst.language = "pl"
    analyst.save(update_fields=["language"])

    page = browsing_as(analyst).get("/analyst/flows/payment_date_change/").content.decode()

    assert 'id="validate-flow">Sprawdź poprawność<' in page
    assert 'id="test-flow">Przebieg testowy<' in page
    assert (
        "Zmiany sprawdzają przyciski „Sprawdź poprawność” i „Przebieg testowy”, "
        "a przycisk „Wdróż nową wersję” wdraża je razem z procesem."
    ) in page
