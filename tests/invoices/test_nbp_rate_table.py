"""A foreign-currency invoice keeps which NBP table its rate is from (art. 31a of the VAT act: the average
rate of the last working day before the tax point): the table's date and number, in the invoice's API,
checked by the database, and filled by the demo for its EUR and CHF invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from backend.core.working_days import is_working_day, last_working_day_before
from backend.demo.seed import seed_demo
from backend.invoices.models import Invoice
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

ISSUED = date(2026, 11, 30)


def eur_invoice(acme, **changes) -> Invoice:
    values = {"currency": "EUR", "exchange_rate": Decimal("4.2512"), "issue_date": ISSUED}
    return InvoiceFactory(client=acme, **{**values, **changes})


def test_the_invoice_api_gives_the_rate_and_its_nbp_table(api_as, client_user, acme):
    # given
    foreign = eur_invoice(acme, exchange_rate_date=date(2026, 11, 27), exchange_rate_table="231/A/NBP/2026")
    domestic = InvoiceFactory(client=acme)

    # when
    body = api_as(client_user).get(f"/api/invoices/{foreign.pk}/").json()
    plain = api_as(client_user).get(f"/api/invoices/{domestic.pk}/").json()

    # then
    assert body["exchange_rate"] == "4.251200"
    assert body["exchange_rate_date"] == "2026-11-27"
    assert body["exchange_rate_table"] == "231/A/NBP/2026"
    assert (plain["exchange_rate"], plain["exchange_rate_date"], plain["exchange_rate_table"]) == (
        None,
        None,
        "",
    )


def test_an_invoice_stored_without_the_table_answers_no_date(api_as, client_user, acme):
    invoice = eur_invoice(acme)

    body = api_as(client_user).get(f"/api/invoices/{invoice.pk}/").json()

    assert body["exchange_rate"] == "4.251200" and body["exchange_rate_date"] is None


def test_the_published_schema_describes_the_tables_fields():
    from django.test import Client

    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    fields = schema["components"]["schemas"]["InvoiceDetail"]["properties"]
    assert fields["exchange_rate_date"]["format"] == "date"
    assert "NBP table" in fields["exchange_rate_date"]["description"]
    assert "231/A/NBP/2026" in fields["exchange_rate_table"]["description"]


@pytest.mark.parametrize("day", [ISSUED, date(2026, 12, 1)])
def test_a_table_dated_on_or_after_the_issue_is_refused(acme, day):
    with pytest.raises(IntegrityError), transaction.atomic():
        eur_invoice(acme, exchange_rate_date=day)


def test_a_table_number_without_its_date_is_refused(acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        eur_invoice(acme, exchange_rate_table="231/A/NBP/2026")


@pytest.mark.parametrize("number", ["231/NBP/2026", "231/B/NBP/2026", "1/A/NBP/2026"])
def test_the_admin_refuses_a_table_number_not_in_nbps_form(acme, number):
    invoice = eur_invoice(acme, exchange_rate_date=date(2026, 11, 27))
    invoice.exchange_rate_table = number

    with pytest.raises(ValidationError) as refused:
        invoice.full_clean()

    assert "exchange_rate_table" in refused.value.message_dict


@pytest.mark.parametrize(
    "tax_point, table_day",
    [
        (date(2026, 11, 30), date(2026, 11, 27)),  # Monday: Friday's table
        (date(2026, 11, 12), date(2026, 11, 10)),  # after 11 November, a holiday
        (date(2026, 4, 7), date(2026, 4, 3)),  # after Easter Monday and the weekend
        (date(2026, 1, 2), date(2025, 12, 31)),  # the year before
        (date(2026, 11, 25), date(2026, 11, 24)),
    ],
)
def test_the_tables_day_is_the_last_working_day_before_the_tax_point(tax_point, table_day):
    assert last_working_day_before(tax_point) == table_day


def test_the_demo_dates_its_foreign_invoices_rates_by_the_polish_calendar():
    # when
    seed_demo(clients=10, seed=1, today=date(2026, 11, 30))

    # then
    foreign = list(Invoice.objects.exclude(currency="PLN"))
    assert foreign
    for invoice in foreign:
        table_day = invoice.exchange_rate_date
        assert table_day == last_working_day_before(invoice.issue_date), invoice.number
        assert is_working_day(table_day)
        number, letter, nbp, year = invoice.exchange_rate_table.split("/")
        assert (len(number), letter, nbp, year) == (3, "A", "NBP", str(table_day.year))
        invoice.full_clean()
    assert not Invoice.objects.filter(currency="PLN", exchange_rate_date__isnull=False).exists()
