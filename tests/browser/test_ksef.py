"""The KSeF parts of the invoice screens in headless Chromium: number, XML download, monthly ZIP."""

from __future__ import annotations

import zipfile

import pytest
from django.utils import timezone

from backend.invoices.ksef import assign_demo_ksef_number, validate_fa3
from tests.factories import InvoiceFactory
from tests.ksef.conftest import ACME_NIP


@pytest.fixture
def acme(acme):
    """ACME with a NIP that the FA(3) schema's NIP pattern accepts (see tests/ksef/conftest.py)."""
    acme.nip = ACME_NIP
    acme.save(update_fields=["nip"])
    return acme


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_sees_the_ksef_number_and_downloads_the_xml(page, login, client_user, acme):
    # given
    invoice = assign_demo_ksef_number(InvoiceFactory(client=acme, number="FV/2026/11/000777"))
    invoice.save()
    login(page, client_user)

    # when they open the invoice
    page.goto(f"/invoices/{invoice.pk}/")

    # then its KSeF number is shown
    assert page.get_by_test_id("ksef-number").inner_text() == invoice.ksef_number
    page.screenshot(path="/tmp/ksef-invoice-desktop.png", full_page=True)
    # when they download the XML
    with page.expect_download() as download_info:
        page.get_by_test_id("invoice-ksef-xml").click()
    # then a valid FA(3) document arrives
    download = download_info.value
    assert download.suggested_filename == "faktura_FV_2026_11_000777_FA3.xml"
    with open(download.path(), "rb") as handle:
        assert validate_fa3(handle.read()) == []


def test_client_downloads_the_months_zip_from_the_invoice_list(page, login, client_user, acme):
    # given
    month = timezone.localdate().replace(day=1)
    InvoiceFactory(client=acme, number="FV/Z/1", issue_date=month)
    login(page, client_user)
    page.goto("/invoices/")

    # when they pick this month and download
    page.get_by_label("Miesiąc").fill(f"{month:%Y-%m}")
    page.screenshot(path="/tmp/ksef-invoice-list-desktop.png", full_page=True)
    page.get_by_test_id("accounting-zip-download").click()  # the worker prepares it (eager here)
    with page.expect_download() as download_info:
        page.get_by_test_id("accounting-export-link").click()

    # then the ZIP holds the invoice's PDF and XML and the summary
    download = download_info.value
    assert download.suggested_filename == f"faktury_{acme.nip}_{month:%Y-%m}.zip"
    names = zipfile.ZipFile(download.path()).namelist()
    assert sorted(names) == ["faktura_FV_Z_1.pdf", "faktura_FV_Z_1_FA3.xml", f"zestawienie_{month:%Y-%m}.csv"]


@pytest.mark.parametrize("where", ["list", "detail"])
def test_ksef_additions_fit_a_phone(browser, live_server, login, client_user, acme, where):
    # given
    invoice = assign_demo_ksef_number(InvoiceFactory(client=acme))
    invoice.save()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812})
    phone = context.new_page()
    login(phone, client_user)

    # when
    phone.goto("/invoices/" if where == "list" else f"/invoices/{invoice.pk}/")
    phone.screenshot(path=f"/tmp/ksef-invoice-{where}-phone.png", full_page=True)

    # then the page never scrolls sideways
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
