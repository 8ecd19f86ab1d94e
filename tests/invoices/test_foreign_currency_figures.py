"""A foreign-currency invoice states its NBP rate and its VAT in PLN (art. 106e ust. 11 of the VAT act) on
its page, its PDF and its duplicate: the figures of its FA(3) XML (KursWaluty, P_14_xW), never a second
computation; its PDF says which currency the tables' amounts are in. A PLN invoice shows none of it.
The rate names its NBP table (date, and number when kept); an invoice stored without them states the rate
alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from backend.invoices.ksef import FA3_NAMESPACE, build_fa3_xml
from backend.invoices.models import Invoice, InvoiceDuplicate
from backend.invoices.pdf import invoice_document_for, render_invoice_html
from tests.factories import InvoiceFactory
from tests.invoices.test_apis import pdf_text

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def as_client(client, client_user):
    client.force_login(client_user)
    return client


def eur_invoice(acme, **changes):
    # 2 430,81 EUR gross, 454,54 EUR VAT at 23 %: 1 932,34 zł at 4,2512 (half-up)
    values = {
        "currency": "EUR",
        "exchange_rate": Decimal("4.251200"),
        "net_total": Decimal("1976.27"),
        "vat_total": Decimal("454.54"),
        "gross_total": Decimal("2430.81"),
    }
    return InvoiceFactory(client=acme, **{**values, **changes})


def xml_vat_in_pln(invoice) -> str:
    root = etree.fromstring(build_fa3_xml(invoice))
    return root.findtext("fa:Fa/fa:P_14_1W", namespaces={"fa": FA3_NAMESPACE})


def test_the_page_states_the_rate_and_the_vat_in_pln_of_the_xml(as_client, acme):
    # given
    invoice = eur_invoice(acme)

    # when
    body = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    # then
    assert xml_vat_in_pln(invoice) == "1932.34"
    assert 'data-testid="invoice-rate">Kurs NBP 1 EUR = 4,2512 zł<' in body
    assert f'data-testid="invoice-vat-pln">1{NBSP}932,34{NBSP}zł<' in body


def test_the_page_in_english_uses_the_english_formats(as_client, acme):
    invoice = eur_invoice(acme, currency="CHF", exchange_rate=Decimal("4.5033"))

    as_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    # 454.54 CHF × 4.5033 = 2 046.93 PLN
    assert xml_vat_in_pln(invoice) == "2046.93"
    assert 'data-testid="invoice-rate">NBP exchange rate: 1 CHF = 4.5033 PLN<' in body
    assert 'data-testid="invoice-vat-pln">2,046.93' in body


def test_a_pln_invoice_page_has_no_rate(as_client, acme):
    invoice = InvoiceFactory(client=acme)

    body = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    assert 'data-testid="invoice-rate"' not in body and 'data-testid="invoice-vat-pln"' not in body


def test_the_pdf_and_its_duplicate_state_the_rate_the_vat_in_pln_and_the_currency(acme, client_user):
    # given
    invoice = eur_invoice(acme)
    duplicate = InvoiceDuplicate.objects.create(
        invoice=invoice, requested_by=client_user, issued_at=timezone.now()
    )

    # when
    original = render_invoice_html(invoice_document_for(invoice))
    copy = render_invoice_html(invoice_document_for(invoice, duplicate=duplicate))

    # then
    for html in (original, copy):
        assert "Kurs NBP 1 EUR = 4,2512 zł" in html
        assert f"VAT w PLN: <strong>1{NBSP}932,34{NBSP}zł</strong>" in html
        assert html.count("Kwoty w EUR") == 2  # the lines and the VAT summary
    assert "DUPLIKAT" in copy


def test_a_pln_invoice_pdf_is_unchanged(acme):
    html = render_invoice_html(invoice_document_for(InvoiceFactory(client=acme)))

    assert "Kurs NBP" not in html and "VAT w PLN" not in html and "Kwoty w" not in html


def test_a_foreign_invoice_without_a_known_rate_states_its_currency_but_no_rate(as_client, acme):
    invoice = eur_invoice(acme, exchange_rate=None)

    html = render_invoice_html(invoice_document_for(invoice))
    body = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    assert "Kwoty w EUR" in html and "Kurs NBP" not in html
    assert 'data-testid="invoice-rate"' not in body


# --- the rate's NBP table ------------------------------------------------------------------------------

ISSUED = date(2026, 11, 30)  # a Monday: the table is Friday's
TABLE = {"exchange_rate_date": date(2026, 11, 27), "exchange_rate_table": "231/A/NBP/2026"}


def test_the_page_names_the_rates_nbp_table_and_its_date(as_client, acme):
    # given
    invoice = eur_invoice(acme, issue_date=ISSUED, **TABLE)

    # when
    body = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    # then
    assert (
        'data-testid="invoice-rate">Kurs średni NBP z dnia 27.11.2026 (tabela 231/A/NBP/2026):'
        " 1 EUR = 4,2512 zł<" in body
    )
    assert f'data-testid="invoice-vat-pln">1{NBSP}932,34{NBSP}zł<' in body


def test_the_english_page_gives_the_tables_date_in_the_english_format(as_client, acme):
    invoice = eur_invoice(
        acme,
        currency="CHF",
        exchange_rate=Decimal("4.5033"),
        issue_date=ISSUED,
        exchange_rate_date=date(2026, 11, 27),
    )

    as_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    assert 'data-testid="invoice-rate">NBP average rate of 2026-11-27: 1 CHF = 4.5033 PLN<' in body


def test_the_pdf_and_its_duplicate_state_the_tables_date(acme, client_user):
    # given: the date kept, the number not
    invoice = eur_invoice(acme, issue_date=ISSUED, exchange_rate_date=date(2026, 11, 27))
    duplicate = InvoiceDuplicate.objects.create(
        invoice=invoice, requested_by=client_user, issued_at=timezone.now()
    )

    # when
    original = render_invoice_html(invoice_document_for(invoice))
    copy = render_invoice_html(invoice_document_for(invoice, duplicate=duplicate))

    # then
    for html in (original, copy):
        assert "Kurs średni NBP z dnia 27.11.2026: 1 EUR = 4,2512 zł" in html
        assert f"VAT w PLN: <strong>1{NBSP}932,34{NBSP}zł</strong>" in html


def test_a_pdf_downloaded_before_the_table_was_kept_is_not_served_after(api_as, client_user, acme):
    # given: the PDF rendered and stored while the invoice had no table date
    api = api_as(client_user)
    invoice = eur_invoice(acme, issue_date=ISSUED)
    before = api.get(f"/api/invoices/{invoice.pk}/pdf/")
    assert "Kurs NBP 1 EUR = 4,2512 zł" in pdf_text(before.content)

    # when
    Invoice.objects.filter(pk=invoice.pk).update(**TABLE)
    after = api.get(f"/api/invoices/{invoice.pk}/pdf/", HTTP_IF_NONE_MATCH=before["ETag"])
    copy = api.post(f"/api/invoices/{invoice.pk}/duplicates/")

    # then: another key, so a fresh PDF (not a 304 for the old one)
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    for response in (after, copy):
        text = " ".join(pdf_text(response.content).split())
        assert "Kurs średni NBP z dnia 27.11.2026 (tabela 231/A/NBP/2026): 1 EUR = 4,2512 zł" in text
