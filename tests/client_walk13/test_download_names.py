"""Generated files are named in the language of the request that downloads them (invoice_…, schedule_…,
buyout-quote-… in English; faktura_…, harmonogram_…, wycena-wykupu-… in Polish), and an invoice line's
unit code is shown in the page's language ("szt." → "pcs")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.invoices.models import InvoiceDuplicate, InvoiceLine
from tests.client_correctness.helpers import visible_text
from tests.factories import InvoiceFactory
from tests.logged_in_clients import logged_in
from tests.volume16.zip_helpers import fetch_accounting_zip

pytestmark = pytest.mark.django_db

INVOICES = "/api/invoices/"


def filename(response) -> str:
    assert response.status_code in (200, 201), response.status_code
    return response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')


@pytest.fixture
def english(client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    return client_user


@pytest.fixture
def invoice(acme):
    return InvoiceFactory(client=acme, number="FV/2026/11/01000012014")


def test_invoice_files_are_named_in_english(api_as, english, invoice):
    api = api_as(english)

    assert filename(api.get(f"{INVOICES}{invoice.pk}/pdf/")) == "invoice_FV_2026_11_01000012014.pdf"
    assert filename(api.get(f"{INVOICES}{invoice.pk}/ksef.xml")) == "invoice_FV_2026_11_01000012014_FA3.xml"
    created = api.post(f"{INVOICES}{invoice.pk}/duplicates/")
    assert InvoiceDuplicate.objects.filter(invoice=invoice).count() == 1  # its first: number 1
    assert filename(created) == "invoice_FV_2026_11_01000012014_duplicate_1.pdf"


def test_invoice_files_keep_their_polish_names_in_polish(api_as, client_user, invoice):
    api = api_as(client_user)

    assert filename(api.get(f"{INVOICES}{invoice.pk}/pdf/")) == "faktura_FV_2026_11_01000012014.pdf"
    created = api.post(f"{INVOICES}{invoice.pk}/duplicates/")
    assert InvoiceDuplicate.objects.filter(invoice=invoice).count() == 1  # its first: number 1
    assert filename(created) == "faktura_FV_2026_11_01000012014_duplikat_1.pdf"


@pytest.mark.parametrize("extension", ["pdf", "xlsx", "csv"])
def test_schedule_files_are_named_in_the_users_language(client, client_user, acme_contract, extension):
    number = acme_contract.number.replace("/", "_")
    url = reverse(f"contract-schedule-{extension}", args=[acme_contract.pk])
    assert filename(logged_in(client, client_user).get(url)) == f"harmonogram_{number}.{extension}"

    client_user.language = "en"
    client_user.save(update_fields=["language"])
    assert filename(client.get(url)) == f"schedule_{number}.{extension}"


def test_the_buyout_quote_is_named_in_the_language_of_its_pdf(api_as, english, acme_contract):
    api = api_as(english)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    quote = api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/", {"effective_date": effective}, format="json"
    ).json()
    pdf = f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/pdf/"
    number = quote["number"].replace("/", "-")

    assert filename(api.get(pdf)) == f"buyout-quote-{number}.pdf"
    assert filename(api.get(f"{pdf}?lang=pl")) == f"wycena-wykupu-{number}.pdf"


def test_the_accounting_package_is_named_in_english_too(api_as, english, acme):
    issued = timezone.localdate().replace(day=1)
    InvoiceFactory(client=acme, number="FV/M/1", issue_date=issued)
    response = fetch_accounting_zip(api_as(english), {"month": f"{issued:%Y-%m}"})
    assert filename(response) == f"invoices_{acme.nip}_{issued:%Y-%m}.zip"


def test_the_invoice_unit_is_shown_in_the_pages_language(client, client_user, invoice):
    assert InvoiceLine.objects.get(invoice=invoice).unit == "szt."
    page = reverse("invoice-page", args=[invoice.pk])

    polish = visible_text(logged_in(client, client_user).get(page).content.decode())
    assert "1,00 szt." in polish

    client_user.language = "en"
    client_user.save(update_fields=["language"])
    english = visible_text(client.get(page).content.decode())
    assert "1.00 pcs" in english
    assert "szt." not in english
