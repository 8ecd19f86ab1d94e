"""The staff client page of a big client opens every long list as its first rows with the way to the full
list (contracts newest first, the settlements per contract and the users in their own order), and tops
the page with an index of its sections and their counts: on a phone each row is a card, and a demo-sized
client's page was ~13,000 px tall. Nothing is lost: each list is there in full one link away."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.clients.models import ClientMembership
from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def contracts_with_invoices(client, count: int) -> list:
    contracts = [
        ContractFactory(client=client, number=f"UL/2025/{n + 1:06d}", schedule=False) for n in range(count)
    ]
    for contract in contracts:
        InvoiceFactory(client=client, contract=contract, gross_total=Decimal("100.00"))
    return contracts


def users(client, count: int) -> None:
    for n in range(count):
        MembershipFactory(
            user=UserFactory(email=f"osoba{n}@acme.pl", first_name="Jan", last_name=f"Nowak-{n}"),
            client=client,
            role=ClientMembership.Role.FLEET_MANAGER,
        )


def test_ten_contracts_open_as_the_newest_five_with_the_way_to_all(bok_staff, acme):
    contracts_with_invoices(acme, 10)
    staff = browsing_as(bok_staff)

    page = staff.get(f"/staff/clients/{acme.pk}/").content.decode()

    assert page.count('data-testid="contract-row"') == 5
    assert "Najnowsze 5 z 10." in page
    assert 'href="?contracts_page=1#contracts" data-testid="contracts-all">Pokaż całą listę (10)</a>' in page
    full = staff.get(f"/staff/clients/{acme.pk}/", {"contracts_page": 1}).content.decode()
    assert full.count('data-testid="contract-row"') == 10 and 'data-testid="contracts-all"' not in full


def test_the_settlements_per_contract_open_as_the_first_five_and_keep_the_totals(bok_staff, acme):
    contracts_with_invoices(acme, 10)
    staff = browsing_as(bok_staff)

    page = staff.get(f"/staff/clients/{acme.pk}/").content.decode()

    assert page.count('data-testid="balance-row"') == 5
    assert page.count('data-testid="balance-total"') == 1  # the totals are of all ten
    assert "1\xa0000,00\xa0zł" in page  # ten invoices of 100,00 zł still to be paid
    assert "Pierwsze 5 z 10." in page and 'href="?balances_page=1#balances"' in page
    assert 'id="balances"' in page
    full = staff.get(f"/staff/clients/{acme.pk}/", {"balances_page": 1}).content.decode()
    assert full.count('data-testid="balance-row"') == 10


def test_many_users_open_as_the_first_five_in_english(bok_staff, acme, client_user):
    users(acme, 7)  # eight with the owner
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    staff = browsing_as(bok_staff)

    page = staff.get(f"/staff/clients/{acme.pk}/").content.decode()

    assert page.count('data-testid="user-row"') == 5
    assert "The first 5 of 8." in page and "Show the full list (8)" in page
    full = staff.get(f"/staff/clients/{acme.pk}/", {"users_page": 1}).content.decode()
    assert full.count('data-testid="user-row"') == 8


def test_six_users_are_shown_whole_not_five_and_a_link(bok_staff, acme, client_user):
    users(acme, 5)

    page = browsing_as(bok_staff).get(f"/staff/clients/{acme.pk}/").content.decode()

    assert page.count('data-testid="user-row"') == 6 and 'data-testid="users-all"' not in page


def test_the_page_opens_with_an_index_of_its_sections_and_their_counts(bok_staff, acme, client_user):
    contracts_with_invoices(acme, 3)
    users(acme, 1)

    response = browsing_as(bok_staff).get(f"/staff/clients/{acme.pk}/")

    index = response.content.decode().split('data-testid="section-index"')[1].split("</nav>")[0]
    assert '<a href="#contracts">Umowy <span class="count">3</span></a>' in index
    assert '<a href="#invoices">Faktury <span class="count">3</span></a>' in index
    assert '<a href="#users">Użytkownicy <span class="count">2</span></a>' in index
    assert '<a href="#requests">Wnioski <span class="count">0</span></a>' in index
    assert 'aria-label="Sekcje strony"' in response.content.decode()
