"""NIP, REGON and the bank account look the same on every screen that shows them."""

from __future__ import annotations

import re

import pytest

from backend.core.identifiers import format_iban, format_nip, format_regon
from tests.client_correctness.helpers import submission, visible_text
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def test_the_formatters():
    assert format_nip("7595724019") == "759-572-40-19"
    assert format_nip("759-572-40-19") == "759-572-40-19"
    assert format_regon("123456785") == "123456785"
    assert format_iban("PL61109010140000071219812874") == "PL61 1090 1014 0000 0712 1981 2874"
    assert format_iban("pl61 1090 1014 0000 0712 1981 2874") == "PL61 1090 1014 0000 0712 1981 2874"


@pytest.fixture
def data_change(api_as, client_user):
    body = submission("client_data_change", data={"bank_account": "PL61109010140000071219812874"})
    created = api_as(client_user).post("/api/requests/", body, format="json")
    assert created.status_code == 201, created.json()
    return created.json()["id"]


def shown(text: str, compact: str, formatted: str) -> None:
    """The value appears only in its formatted form (never compact, never grouped otherwise)."""
    assert formatted in text
    if compact != formatted:
        assert compact not in text


def test_every_screen_uses_the_one_format(client, client_user, bok_staff, acme, data_change):
    client_pages = ["/client-data/", "/requests/new/client_data_change/", f"/requests/{data_change}/"]
    texts = {}
    browser = logged_in(client, client_user)
    for url in client_pages:
        response = browser.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    staff = logged_in(client, bok_staff).get(f"/staff/tasks/{data_change}/")
    assert staff.status_code == 200
    texts["staff"] = staff.content.decode()

    nip = visible_text(texts["/client-data/"]) + visible_text(texts["staff"])
    shown(nip, acme.nip, format_nip(acme.nip))
    shown(visible_text(texts["/client-data/"]), acme.regon, format_regon(acme.regon))
    # The current account: on the data page and pre-filled in the change form (an input's value).
    shown(visible_text(texts["/client-data/"]), acme.bank_account, format_iban(acme.bank_account))
    form_value = re.search(
        r'name="data__bank_account" value="([^"]*)"', texts["/requests/new/client_data_change/"]
    )
    assert form_value and form_value.group(1) == format_iban(acme.bank_account)
    # The new account: on the client's request page and the staff page.
    new = "PL61109010140000071219812874"
    for key in (f"/requests/{data_change}/", "staff"):
        shown(visible_text(texts[key]), new, format_iban(new))


def test_the_api_gives_the_same_formatted_values(api_as, client_user, acme):
    data = api_as(client_user).get("/api/client/").json()
    assert data["nip_formatted"] == format_nip(acme.nip)
    assert data["bank_account_formatted"] == format_iban(acme.bank_account)
