"""A duplicate is numbered within its invoice (1, 2, ...): its file name and the invoice page carry that
number, not the duplicate's id in the whole database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.invoices.models import InvoiceDuplicate
from tests.client_correctness.helpers import visible_text
from tests.factories import InvoiceFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def filename(response) -> str:
    assert response.status_code in (200, 201), response.status_code
    return response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')


def test_duplicates_are_named_by_their_number_within_the_invoice(api_as, client_user, acme):
    earlier = InvoiceFactory(client=acme, number="FV/2026/11/7")
    invoice = InvoiceFactory(client=acme, number="FV/2026/11/8")
    api = api_as(client_user)
    for _ in range(3):  # other invoices' duplicates take the first ids
        api.post(f"/api/invoices/{earlier.pk}/duplicates/")

    first = api.post(f"/api/invoices/{invoice.pk}/duplicates/")
    second = api.post(f"/api/invoices/{invoice.pk}/duplicates/")
    first_id = int(first["X-Duplicate-Id"])

    assert first_id > 1
    assert filename(first) == "faktura_FV_2026_11_8_duplikat_1.pdf"
    assert filename(second) == "faktura_FV_2026_11_8_duplikat_2.pdf"
    again = api.get(f"/api/invoices/{invoice.pk}/duplicates/{first_id}/pdf/")
    assert filename(again) == "faktura_FV_2026_11_8_duplikat_1.pdf"
    listed = api.get(f"/api/invoices/{invoice.pk}/duplicates/").json()
    assert sorted(row["number"] for row in listed) == [1, 2]
    assert {row["id"]: row["number"] for row in listed}[first_id] == 1
    detail = api.get(f"/api/invoices/{invoice.pk}/").json()
    assert sorted(row["number"] for row in detail["duplicates"]) == [1, 2]


def test_the_invoice_page_lists_the_duplicates_with_their_numbers(client, client_user, acme):
    other = InvoiceFactory(client=acme)
    invoice = InvoiceFactory(client=acme)
    InvoiceDuplicate.objects.create(invoice=other, requested_by=client_user)
    logged_in(client, client_user)
    for _ in range(2):
        client.post(reverse("invoice-duplicate-new", args=[invoice.pk]))

    body = client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    numbers = [
        cell.split(">", 1)[1].split("<", 1)[0] for cell in body.split('data-testid="duplicate-number"')[1:]
    ]
    assert numbers == ["2", "1"]  # newest first
    assert "Pobierz duplikat nr 1 z" in visible_text(body)
