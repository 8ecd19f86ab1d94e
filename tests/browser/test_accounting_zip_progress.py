"""The accountant's ZIP on Faktury: while the worker prepares it the page shows "Przygotowujemy plik…
(n z N)", and the link appears by itself once it is ready (accounting_exports.js polls the job)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.invoices.accounting_exports import build_accounting_export
from backend.invoices.models import AccountingExport
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.browser


def test_the_page_shows_progress_then_the_link(page, login, client_user, acme):
    month = timezone.localdate().replace(day=1)
    invoices = [InvoiceFactory(client=acme, number=f"FV/P/{n}", issue_date=month) for n in range(2)]
    export = AccountingExport.objects.create(
        user=client_user,
        client=acme,
        month=month,
        lang="pl",
        status="running",
        invoice_ids=[invoice.pk for invoice in invoices],
        done=1,
        total=2,
    )
    login(page, client_user)
    page.goto("/invoices/")
    exports = page.get_by_test_id("accounting-exports")
    expect(exports).to_contain_text("Przygotowujemy plik… (1 z 2")
    expect(page.get_by_test_id("accounting-export-link")).to_be_hidden()

    AccountingExport.objects.filter(pk=export.pk).update(status="pending", done=0)
    assert build_accounting_export(export.pk) == "ready"  # the worker, meanwhile

    link = page.get_by_test_id("accounting-export-link")
    expect(link).to_be_visible(timeout=10_000)
    expect(exports.get_by_text("Przygotowujemy plik")).to_be_hidden()
    expect(exports.get_by_role("alert")).to_be_hidden()  # no failure shown
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename == f"faktury_{acme.nip}_{month:%Y-%m}.zip"
