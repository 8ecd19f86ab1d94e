"""A leased item's category is shown as a word in the reader's language (Pojazd / Vehicle), never as the
stored code, on the contract page; the API gives the code and its label (category_label)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.contracts.models import LeasedItem
from tests.client_correctness.helpers import visible_text
from tests.factories import LeasedItemFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def test_the_items_tab_names_the_category_in_the_readers_language(client, client_user, acme_contract):
    LeasedItemFactory(contract=acme_contract, category=LeasedItem.Category.VEHICLE)
    LeasedItemFactory(contract=acme_contract, name="Koparka JCB 3CX", category=LeasedItem.Category.MACHINE)
    url = reverse("contract-page", args=[acme_contract.pk])

    polish = visible_text(logged_in(client, client_user).get(url).content.decode())
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    english = visible_text(client.get(url).content.decode())

    assert "Kategoria: Pojazd" in polish and "Kategoria: Maszyna" in polish
    assert "Category: Vehicle" in english and "Category: Machine" in english
    assert "vehicle" not in polish + english and "machine" not in polish + english


def test_the_api_gives_the_category_and_its_label(api_as, client_user, acme_contract):
    LeasedItemFactory(contract=acme_contract, category=LeasedItem.Category.MACHINE)

    items = api_as(client_user).get(f"/api/contracts/{acme_contract.pk}/items/").json()

    assert [(item["category"], item["category_label"]) for item in items] == [("machine", "Maszyna")]
