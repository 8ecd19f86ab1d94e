"""The journey of a call: search the client by a NIP read out with dashes, open them, see their invoices."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.factories import InvoiceFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_by_dashed_nip_opens_the_client_with_its_invoices(page, bok_staff, acme, client_user):
    InvoiceFactory(client=acme, number="FV/2026/0007001")
    nip = acme.nip
    log_in(page, bok_staff)

    page.goto("/staff/clients/")
    page.fill("[data-testid=client-search]", f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name=acme.name).click()

    assert page.url.endswith(f"/staff/clients/{acme.pk}/")
    invoices = page.locator("[data-testid=invoices]")
    assert invoices.locator("[data-testid=invoice-row]").count() == 1
    assert "FV/2026/0007001" in invoices.inner_text()
    assert page.locator("[data-testid=users]").get_by_text("anna.kowalska@acme.pl", exact=True).is_visible()
