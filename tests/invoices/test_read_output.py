"""The read APIs answer byte for byte what DRF's own serializer path gave before the faster reads (#18).

Each endpoint is read twice: as served, and with backend.core.serializers.FlatReadSerializerMixin
switched off (every serializer back on DRF's field-by-field path); the bodies must be identical.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.contracts.apis import ScheduleRowSerializer
from backend.core.serializers import FlatReadSerializerMixin
from backend.invoices.apis import (
    CompensationSerializer,
    InvoiceDetailSerializer,
    InvoiceListSerializer,
    PaymentSerializer,
)
from backend.invoices.services import record_compensation, record_payment
from tests.factories import ContractFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def books(acme, other_company):
    """Invoices of every status, with and without a contract, PLN and EUR, payments and compensations."""
    today = timezone.localdate()
    first = ContractFactory(client=acme, number="UL/1")
    second = ContractFactory(client=acme, number="UL/2", currency="EUR")
    paid = InvoiceFactory(client=acme, contract=first, number="FV/1", gross_total=Decimal("1230.00"))
    record_payment(invoice=paid, amount=Decimal("1230.00"), paid_on=today, reference="Przelew ąę")
    overdue = InvoiceFactory(
        client=acme,
        contract=first,
        number="FV/2",
        gross_total=Decimal("615.50"),
        issue_date=today - timedelta(days=40),
        due_date=today - timedelta(days=3),
        ksef_number="1234567890-20260101-ABCDEF012345-01",
    )
    record_payment(invoice=overdue, amount=Decimal("100.25"), paid_on=today)
    record_compensation(invoice=overdue, amount=Decimal("15.25"), compensated_on=today, note_number="KP/1")
    partly = InvoiceFactory(client=acme, contract=None, number="FV/3", gross_total=Decimal("999.99"))
    record_payment(invoice=partly, amount=Decimal("0.01"), paid_on=today)
    InvoiceFactory(
        client=acme,
        contract=second,
        number="FV/4",
        currency="EUR",
        exchange_rate=Decimal("4.312300"),
        net_total=Decimal("0.00"),
        vat_total=Decimal("0.00"),
        gross_total=Decimal("12345678.90"),
        issue_date=today - timedelta(days=2),
    )
    InvoiceFactory(client=acme, contract=first, number="FV/OLD", issue_date=today - timedelta(days=400))
    PaymentFactory(invoice=None, client=acme, amount=Decimal("50.00"), reference="")
    InvoiceFactory(client=other_company, number="FV/OTHER")
    return first


def test_the_list_serializers_take_the_flat_path_and_the_detail_drfs():
    for serializer in (
        InvoiceListSerializer,
        PaymentSerializer,
        CompensationSerializer,
        ScheduleRowSerializer,
    ):
        assert serializer.flat_read_plan() is not None, serializer
    assert InvoiceDetailSerializer.flat_read_plan() is None  # nested lines, payments, ...


def served_and_drf(api, url: str, monkeypatch) -> tuple[bytes, bytes]:
    served = api.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(FlatReadSerializerMixin, "flat_read_plan", classmethod(lambda cls: None))
        drf = api.get(url)
    assert served.status_code == drf.status_code == 200, served.content
    return served.content, drf.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/invoices/",
        "/api/invoices/?ordering=-gross_total",
        "/api/invoices/?status=overdue",
        "/api/invoices/?page_size=2&page=2",
        "/api/invoices/archive/",
        "/api/settlements/due/",
        "/api/settlements/overdue/",
        "/api/settlements/paid/",
        "/api/settlements/compensations/",
    ],
)
def test_each_list_is_byte_for_byte_what_drfs_path_gives(api, books, monkeypatch, url):
    served, drf = served_and_drf(api, url, monkeypatch)
    assert served == drf
    assert b'"results":[{' in served  # something was listed


def test_the_invoice_list_shows_every_field_as_before(api, books):
    row = next(r for r in api.get("/api/invoices/").json()["results"] if r["number"] == "FV/4")
    assert row == {
        "id": row["id"],
        "number": "FV/4",
        "issue_date": row["issue_date"],
        "sale_date": row["sale_date"],
        "due_date": row["due_date"],
        "currency": "EUR",
        "net_total": "0.00",
        "vat_total": "0.00",
        "gross_total": "12345678.90",
        "paid_amount": "0.00",
        "remaining_amount": "12345678.90",
        "status": "unpaid",
        "contract_id": books.client.contracts.get(number="UL/2").pk,
        "contract_number": "UL/2",
        "ksef_number": "",
    }
    no_contract = next(r for r in api.get("/api/invoices/").json()["results"] if r["number"] == "FV/3")
    assert (no_contract["contract_id"], no_contract["contract_number"]) == (None, None)
    assert no_contract["status"] == "partly_paid"


def test_the_schedule_is_byte_for_byte_what_drfs_path_gives(api, books, monkeypatch):
    served, drf = served_and_drf(api, f"/api/contracts/{books.pk}/schedule/", monkeypatch)
    assert served == drf
    assert b'"paid":true' in served and b'"paid":false' in served


def test_the_invoice_detail_keeps_drfs_path(api, books, monkeypatch):
    invoice = books.invoices.get(number="FV/2")
    served, drf = served_and_drf(api, f"/api/invoices/{invoice.pk}/", monkeypatch)
    assert served == drf
    assert b'"compensations":[{' in served


# --- what a list page reads -----------------------------------------------------------------------


def select_of_invoices(api, url: str) -> tuple[int, str]:
    """The number of SQL statements of the request and the SELECT that loads the invoice rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200
    selects = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "invoices_invoice"."id"')
    ]
    assert len(selects) == 1, selects
    return len(captured.captured_queries), selects[0]


@pytest.mark.parametrize("url", ["/api/invoices/", "/api/settlements/due/"])
def test_a_list_page_reads_only_the_columns_it_shows_in_statements_independent_of_its_rows(api, acme, url):
    InvoiceFactory(client=acme, contract=ContractFactory(client=acme))
    api.get(url)  # the session's first request stamps it (a write): not the list's own work
    statements_for_one, select = select_of_invoices(api, url)
    for _ in range(5):
        InvoiceFactory(client=acme, contract=ContractFactory(client=acme))
        InvoiceFactory(client=acme, contract=None)

    statements_for_eleven, _select = select_of_invoices(api, url)

    assert statements_for_eleven == statements_for_one  # no column is loaded row by row afterwards
    assert '"contracts_contract"."number"' in select
    for column in ("exchange_rate", "created_at", "ksef_sent_at", "installment_number", "net_value"):
        assert column not in select
