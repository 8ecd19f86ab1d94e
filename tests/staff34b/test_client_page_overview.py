"""The staff client page opens each growing list (invoices, booked payments) as its newest rows with the
way to the full list, so the overview is not thousands of pixels of cards on a phone; the full list pages
as before, and the archive, once asked for, is listed in full pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import InvoiceFactory, PaymentFactory
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def _invoices(client, count: int, *, days_ago: int = 0) -> list:
    today = timezone.localdate()
    return [
        InvoiceFactory(
            client=client, number=f"FV/2026/8{n:06d}", issue_date=today - timedelta(days=days_ago + n)
        )
        for n in range(count)
    ]


def test_the_overview_shows_the_newest_invoices_and_the_way_to_all(bok_staff, acme):
    _invoices(acme, 25)
    staff = browsing_as(bok_staff)

    page = staff.get(f"/staff/clients/{acme.pk}/").content.decode()

    assert page.count('data-testid="invoice-row"') == 5
    assert 'data-number="FV/2026/8000000"' in page  # the newest
    assert 'data-number="FV/2026/8000005"' not in page
    assert "Najnowsze 5 z 25." in page
    assert 'href="?invoices_page=1#invoices" data-testid="invoices-all">Pokaż całą listę (25)</a>' in page
    assert "invoices_page=2" not in page  # no pager of five-row pages


def test_the_full_list_pages_twenty_at_a_time(bok_staff, acme):
    _invoices(acme, 25)
    staff = browsing_as(bok_staff)

    full = staff.get(f"/staff/clients/{acme.pk}/", {"invoices_page": 1}).content.decode()

    assert full.count('data-testid="invoice-row"') == 20
    assert "invoices_page=2#invoices" in full and 'data-testid="invoices-all"' not in full


def test_booked_payments_open_as_the_newest_too_in_english(bok_staff, acme):
    for invoice in _invoices(acme, 8):
        PaymentFactory(invoice=invoice)
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    staff = browsing_as(bok_staff)

    page = staff.get(f"/staff/clients/{acme.pk}/").content.decode()

    assert page.count('data-testid="payment-row"') == 5
    assert "The newest 5 of 8." in page and "Show the full list (8)" in page
    assert 'href="?payments_page=1#payments"' in page
    full = staff.get(f"/staff/clients/{acme.pk}/", {"payments_page": 1}).content.decode()
    assert full.count('data-testid="payment-row"') == 8


def test_a_short_list_is_shown_whole_without_the_link(bok_staff, acme):
    _invoices(acme, 4)

    page = browsing_as(bok_staff).get(f"/staff/clients/{acme.pk}/").content.decode()

    assert page.count('data-testid="invoice-row"') == 4 and 'data-testid="invoices-all"' not in page


def test_the_archive_asked_for_is_listed_in_full_pages(bok_staff, acme):
    _invoices(acme, 12, days_ago=400)

    page = browsing_as(bok_staff).get(f"/staff/clients/{acme.pk}/", {"invoices": "archive"}).content.decode()

    assert page.count('data-testid="invoice-row"') == 12
