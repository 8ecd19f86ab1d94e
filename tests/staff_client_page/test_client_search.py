"""Customer service's client search (/staff/clients/?q=): each thing a caller may read out finds them."""

from __future__ import annotations

import re

import pytest

from tests.factories import (
    ClientFactory,
    ContractFactory,
    InvoiceFactory,
    LeasedItemFactory,
    MembershipFactory,
    SerialNumberFactory,
    UserFactory,
)
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(db):
    """A company with a contract, an invoice, a vehicle and a user with Polish letters in their name."""
    company = ClientFactory(
        name="Żołnierczyk Transport sp. z o.o.", email="biuro@zolnierczyk.pl", phone="+48 (22) 333-44-55"
    )
    contract = ContractFactory(client=company, number="LF/2025/004242", schedule=False)
    InvoiceFactory(client=company, contract=contract, number="FV/2026/0031415")
    SerialNumberFactory(item=LeasedItemFactory(contract=contract), kind="VIN", value="WVWZZZ1KZ8P000123")
    user = UserFactory(
        email="katarzyna.krol@firma.pl", first_name="Katarzyna", last_name="Król", phone="601 234 567"
    )
    MembershipFactory(user=user, client=company)
    ClientFactory(name="Inna Firma S.A.")  # never found by the searches below
    return company


def results(staff, query: str) -> list[tuple[str, str]]:
    response = staff.get("/staff/clients/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    return [
        (name, matched)
        for name, matched in re.findall(
            r'<a href="/staff/clients/\d+/">([^<]+)</a>.*?data-testid="matched">([^<]*)</td>', page, re.S
        )
    ]


def nip_formats(nip: str) -> list[str]:
    dashed = f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
    return [nip, dashed, dashed.replace("-", " "), f"PL{nip}", f"PL {dashed}"]


def test_nip_in_any_format(bok_staff, caller):
    staff = browsing_as(bok_staff)
    for query in nip_formats(caller.nip):
        found = results(staff, query)
        assert [name for name, _ in found] == [caller.name], query
        assert "NIP" in found[0][1]


def test_regon(bok_staff, caller):
    found = results(browsing_as(bok_staff), caller.regon)
    assert found and found[0][0] == caller.name and "REGON" in found[0][1]


@pytest.mark.parametrize(
    "query", ["LF/2025/004242", "lf/2025/004242", "lf 2025 004242", "LF2025004242", "004242"]
)
def test_contract_number_with_or_without_separators(bok_staff, caller, query):
    found = results(browsing_as(bok_staff), query)
    assert found == [(caller.name, "umowa LF/2025/004242")]


@pytest.mark.parametrize("query", ["FV/2026/0031415", "fv 2026 0031415"])
def test_invoice_number(bok_staff, caller, query):
    found = results(browsing_as(bok_staff), query)
    assert [name for name, _ in found] == [caller.name]
    assert "faktura FV/2026/0031415" in found[0][1]


def test_vin(bok_staff, caller):
    found = results(browsing_as(bok_staff), "wvwzzz1kz8p000123")
    assert found == [(caller.name, "VIN WVWZZZ1KZ8P000123, umowa LF/2025/004242")]


@pytest.mark.parametrize("query", ["22 333 44 55", "+48223334455", "(22) 333-44-55", "0048 22 333 44 55"])
def test_company_phone_in_any_format(bok_staff, caller, query):
    found = results(browsing_as(bok_staff), query)
    assert found == [(caller.name, "telefon firmy")]


@pytest.mark.parametrize("query", ["601234567", "+48 601-234-567"])
def test_user_phone(bok_staff, caller, query):
    found = results(browsing_as(bok_staff), query)
    assert found == [(caller.name, "telefon użytkownika katarzyna.krol@firma.pl")]


def test_company_and_user_e_mail(bok_staff, caller):
    staff = browsing_as(bok_staff)
    assert results(staff, "biuro@zolnierczyk.pl")[0][1].startswith("e-mail firmy")
    assert results(staff, "KATARZYNA.KROL@firma.pl") == [(caller.name, "użytkownik Katarzyna Król")]


@pytest.mark.parametrize("query", ["Zolnierczyk", "żołnierczyk", "zolnierczyk transport"])
def test_company_name_without_polish_letters_and_word_by_word(bok_staff, caller, query):
    found = results(browsing_as(bok_staff), query)
    assert [name for name, _ in found] == [caller.name]
    assert "nazwa firmy" in found[0][1]


@pytest.mark.parametrize("query", ["Krol", "Katarzyna Krol", "Król Katarzyna", "katarzyna król"])
def test_person_name_without_polish_letters_and_first_and_last(bok_staff, caller, query):
    assert results(browsing_as(bok_staff), query) == [(caller.name, "użytkownik Katarzyna Król")]


def test_a_short_or_unmatched_query_finds_nobody(bok_staff, caller):
    staff = browsing_as(bok_staff)
    assert results(staff, "Ko") == []
    assert "Wpisz co najmniej 3 znaki." in staff.get("/staff/clients/", {"q": "Ko"}).content.decode()
    assert results(staff, "Nieistniejąca") == []
    assert "Żaden klient nie pasuje." in staff.get("/staff/clients/", {"q": "xyzxyz"}).content.decode()
