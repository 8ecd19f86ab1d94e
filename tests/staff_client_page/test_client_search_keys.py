"""Customer service's search by contract, invoice and serial number: the keys the database keeps
(backend/core/number_keys.py) follow every write, and a number is found by its end through its index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.contracts.models import Contract
from backend.core.number_keys import typed_number_key
from backend.demo.plan import fast_insert
from backend.requests_app.staff_client_search import search_clients_for_staff
from tests.factories import (
    ClientFactory,
    ContractFactory,
    InvoiceFactory,
    LeasedItemFactory,
    SerialNumberFactory,
)
from tests.logged_in_clients import browsing_as
from tests.staff_client_page.test_client_search import caller, results  # noqa: F401  the fixture

pytestmark = pytest.mark.django_db


def found(query: str) -> list[tuple[str, list[str]]]:
    return [(match.client.name, match.matches) for match in search_clients_for_staff(query=query)]


def test_typed_key_is_the_number_reversed_without_separators():
    assert typed_number_key("lf 2025/004-242") == "2424005202FL"
    assert typed_number_key("jan@firma.pl") == ""  # no number: no letters-and-digits key


def test_keys_follow_a_changed_number():
    # given
    company = ClientFactory(name="Numerowa sp. z o.o.")
    contract = ContractFactory(client=company, number="LF/2025/000001", schedule=False)
    invoice = InvoiceFactory(client=company, contract=contract, number="TMP-1")
    serial = SerialNumberFactory(item=LeasedItemFactory(contract=contract), kind="VIN", value="OLD000001")
    # when: numbered later, as issue_invoice numbers an invoice after its INSERT
    contract.number = "LF/2025/777001"
    contract.save()
    invoice.number = "FV/2026/11/0777002"
    invoice.save(update_fields=["number"])
    serial.value = "WVWZZZ1KZ8P777003"
    serial.save()
    # then
    contract.refresh_from_db()
    assert contract.number_key == "1007775202FL"
    assert found("777001") == [(company.name, ["umowa LF/2025/777001"])]
    assert found("2026/11/0777002") == [(company.name, ["faktura FV/2026/11/0777002"])]
    assert found("p777003") == [(company.name, ["VIN WVWZZZ1KZ8P777003, umowa LF/2025/777001"])]
    assert found("000001") == []


def test_rows_of_the_demo_bulk_insert_get_their_key():
    # given: the demo seeding inserts rows with plain SQL (backend/demo/plan.py), the key left out
    company = ClientFactory(name="Hurtowa S.A.")
    built = ContractFactory.build(client=company, number="OP/2024/0424242")
    fields = [field for field in Contract._meta.concrete_fields if not field.generated]
    row = {field.attname: getattr(built, field.attname) for field in fields}
    row = {name: value for name, value in row.items() if value is not None}  # timestamps: defaults
    row["id"] = 900_001  # the demo gives its rows their ids
    # when
    fast_insert(Contract, [row], now=timezone.now())
    # then
    assert Contract.objects.get(number="OP/2024/0424242").number_key == "24242404202PO"
    assert found("op 2024 0424242") == [(company.name, ["umowa OP/2024/0424242"])]


@pytest.mark.parametrize("query", ["2025/004242", "4242", "LF/2025/004242"])
def test_a_number_is_found_by_its_end(bok_staff, caller, query):  # noqa: F811
    assert results(browsing_as(bok_staff), query) == [(caller.name, "umowa LF/2025/004242")]


@pytest.mark.parametrize("query", ["LF/2025", "2025/0042", "wvwzzz"])
def test_the_start_or_middle_of_a_number_finds_nobody(bok_staff, caller, query):  # noqa: F811
    # "LF/2025" is every 2025 lease, "WVWZZZ" every Volkswagen: not what a caller reads out.
    assert results(browsing_as(bok_staff), query) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan; PostgreSQL's: pattern ops")
def test_the_invoice_number_search_reads_the_index(caller):  # noqa: F811
    # given / when
    with CaptureQueriesContext(connection) as captured:
        search_clients_for_staff(query="FV/2026/0031415")
    invoice_sql = next(query["sql"] for query in captured if '"invoices_invoice"' in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + invoice_sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    # then: a range of the key's index, not a scan of every invoice
    assert "invoice_number_key" in plan, plan
