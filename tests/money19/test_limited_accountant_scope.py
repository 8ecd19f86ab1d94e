"""Finding 2: an accountant limited to some contracts is told so. Her month ZIP says its scope in its file
name and its summary's first line, the "For the accountant" text does not promise every invoice, and the
invoice and settlement pages name the contracts she sees. An owner's package and pages stay as they were."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.utils import timezone

from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import api_client_as
from tests.volume16.zip_helpers import fetch_accounting_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(acme, client_user):
    own = ContractFactory(client=acme, number="UL/2026/300001")
    other = ContractFactory(client=acme, number="UL/2026/300002")
    today = timezone.localdate()
    InvoiceFactory(client=acme, contract=own, number="FV/2026/OWN01", issue_date=today)
    InvoiceFactory(client=acme, contract=other, number="FV/2026/OTHER1", issue_date=today)
    membership = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant", all_contracts=False
    )
    membership.contracts.set([own])
    return membership.user, client_user, today


def _summary(response) -> list[list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    name = next(name for name in archive.namelist() if name.endswith(".csv"))
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"))


def test_a_limited_accountants_zip_says_its_scope_in_name_and_a_file_of_its_own(acme, world):
    # The summary's first line stays its column headers: an outside walk found the scope sentence above
    # them broke the import into other programs.
    accountant, _owner, today = world

    response = fetch_accounting_zip(api_client_as(accountant), {"month": f"{today:%Y-%m}"})

    assert response.status_code == 200
    expected = f'filename="faktury_{acme.nip}_{today:%Y-%m}_wybrane-umowy.zip"'
    assert expected in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    summary = next(name for name in archive.namelist() if name.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(archive.read(summary).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Numer faktury"
    assert (
        archive.read("wybrane-umowy.txt").decode()
        == "Tylko faktury umów UL/2026/300001 (1 z 2 umów firmy).\n"
    )


def test_a_limited_accountants_list_csv_starts_with_its_headers_and_names_its_scope(client, world):
    accountant, _owner, _today = world
    client.force_login(accountant)

    response = client.get("/invoices/?download=csv")

    assert response.status_code == 200
    assert "_wybrane-umowy_" in response["Content-Disposition"]
    first = b"".join(response.streaming_content if response.streaming else [response.content])
    assert first.decode("utf-8-sig").splitlines()[0].startswith("Numer faktury")


def test_the_owners_zip_is_named_and_headed_as_before(acme, world):
    _accountant, owner, today = world

    response = fetch_accounting_zip(api_client_as(owner), {"month": f"{today:%Y-%m}"})

    assert f'filename="faktury_{acme.nip}_{today:%Y-%m}.zip"' in response["Content-Disposition"]
    assert _summary(response)[0][0] == "Numer faktury"


def test_the_pages_name_the_contracts_a_limited_accountant_sees(client, world):
    accountant, owner, _today = world
    client.force_login(accountant)

    for path in ("/invoices/", "/archive/", "/settlements/", "/settlements/paid/"):
        body = client.get(path).content.decode()
        assert 'data-testid="contract-scope"' in body, path
        assert "Widzisz umowy: UL/2026/300001 (1 z 2 umów firmy)" in body, path
    invoices = client.get("/invoices/").content.decode()
    assert "ze wszystkimi fakturami" not in invoices  # the ZIP's text promises no "every invoice"
    assert "Jeden plik ZIP z fakturami Twoich umów (UL/2026/300001)" in invoices

    client.force_login(owner)
    body = client.get("/invoices/").content.decode()
    assert 'data-testid="contract-scope"' not in body
    assert "Jeden plik ZIP ze wszystkimi fakturami" in body
