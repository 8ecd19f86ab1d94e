"""The schedule's CSV states its currency: imported, a EUR schedule must not read as PLN. A "Currency"
column on every record (as the invoice list's file), the headers still on the first line."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


def test_a_eur_schedule_csv_has_a_currency_column_on_every_record(api, acme):
    # given
    contract = ContractFactory(client=acme, currency="EUR")

    # when
    response = api.get(f"/api/contracts/{contract.pk}/schedule/csv/")

    # then
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nr raty" and rows[0][9] == "Waluta"  # headers still on line one
    assert len(rows) == contract.months + 1
    assert {row[9] for row in rows[1:]} == {"EUR"}
    assert all(len(row) == len(rows[0]) for row in rows)


def test_the_rfc4180_csv_has_it_too(api, acme):
    contract = ContractFactory(client=acme, currency="CHF")

    response = api.get(f"/api/contracts/{contract.pk}/schedule/csv/", {"dialect": "rfc4180"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][9] == "Waluta" and {row[9] for row in rows[1:]} == {"CHF"}
