"""A detail page's way back returns to the list as the user left it: filters, sort and page (an outside
walk found every breadcrumb leading to the bare list); the staff task list already did."""

from __future__ import annotations

import html

import pytest
from django.test import Client as PageClient

from tests.factories import ContractFactory, InvoiceFactory
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def crumb_href(response, label: str) -> str:
    """The href of the breadcrumb link named `label` (not the menu's link of the same name)."""
    page = response.content.decode()
    marker = 'class="breadcrumbs"' if 'class="breadcrumbs"' in page else 'class="crumbs"'
    crumbs = page.split(marker, 1)[1]
    before = crumbs.split(f">{label}</a>", 1)[0]
    return html.unescape(before.rsplit('href="', 1)[1].split('"', 1)[0])


@pytest.fixture
def pages(client_user) -> PageClient:
    return browsing_as(client_user)


def test_the_invoice_and_contract_pages_lead_back_to_the_filtered_sorted_page(pages, acme):
    contract = ContractFactory(client=acme)
    invoice = InvoiceFactory(client=acme, contract=contract)
    pages.get("/invoices/?status=unpaid&sort=-gross_total&page=2")
    pages.get("/contracts/?sort=net_value")

    assert crumb_href(pages.get(f"/invoices/{invoice.pk}/"), "Faktury") == (
        "/invoices/?status=unpaid&sort=-gross_total&page=2"
    )
    assert crumb_href(pages.get(f"/contracts/{contract.pk}/"), "Umowy") == "/contracts/?sort=net_value"

    # the list shown plain again: the way back is the plain list
    pages.get("/invoices/")
    assert crumb_href(pages.get(f"/invoices/{invoice.pk}/"), "Faktury") == "/invoices/"


def test_the_thread_and_request_pages_lead_back_too(pages, thread, client_user, acme):
    from tests.request_helpers import submit_other_request

    portal_request = submit_other_request(client_user, acme)
    pages.get("/messages/?status=open&page=1")
    pages.get("/requests/?status=in_review")
    assert crumb_href(pages.get(f"/messages/{thread.pk}/"), "Wiadomości") == "/messages/?status=open&page=1"
    assert (
        crumb_href(pages.get(f"/requests/{portal_request.pk}/"), "Wnioski") == "/requests/?status=in_review"
    )


def test_staff_inbox_thread_leads_back_to_the_inbox_as_left(bok_staff, thread):
    staff = PageClient()
    staff.force_login(bok_staff)
    staff.get("/staff/messages/?status=open&sort=subject")
    back = crumb_href(staff.get(f"/staff/messages/{thread.pk}/"), "Skrzynka wiadomości")
    assert back == "/staff/messages/?status=open&sort=subject"


def test_the_remembered_query_never_leads_off_the_list(pages, acme):
    invoice = InvoiceFactory(client=acme, contract=ContractFactory(client=acme))
    pages.get("/invoices/?next=https://evil.example/&status=unpaid")
    back = crumb_href(pages.get(f"/invoices/{invoice.pk}/"), "Faktury")
    assert back.startswith("/invoices/?")
