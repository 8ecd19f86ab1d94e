"""Client journeys through the finance, contracts and messages screens in headless Chromium."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.invoices.models import InvoiceDuplicate
from backend.messaging.models import MessageThread
from tests.factories import (
    ContractFactory,
    InsurancePolicyFactory,
    InvoiceFactory,
    LeasedItemFactory,
    SerialNumberFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NBSP = "\u00a0"


def test_client_filters_invoices_and_downloads_a_pdf(page, login, client_user, acme):
    # given two invoices of different contracts
    contract = ContractFactory(client=acme, number="UL/2026/000042")
    InvoiceFactory(client=acme, contract=contract, number="FV/2026/11/000111", gross_total=Decimal("2460.00"))
    InvoiceFactory(client=acme, number="FV/2026/10/000222")
    login(page, client_user)
    # when they open the invoices and filter by the contract
    page.goto("/invoices/")
    assert page.locator("h1").inner_text() == "Faktury"
    page.select_option("#f-contract", label="UL/2026/000042")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtruj").click()
    # then only that contract's invoice is listed, in Polish format, and the filter keeps its value
    rows = page.locator("[data-testid=invoice-table] tbody tr")
    assert rows.count() == 1
    assert "FV/2026/11/000111" in rows.first.inner_text()
    assert f"2{NBSP}460,00{NBSP}zł" in rows.first.inner_text()
    assert page.locator("#f-contract").input_value() == str(contract.pk)
    page.screenshot(path="/tmp/client-invoices-desktop.png", full_page=True)
    # when they download its PDF
    with page.expect_download() as download_info:
        rows.first.get_by_role("link", name="Pobierz fakturę FV/2026/11/000111 jako PDF").click()
    # then a PDF arrives
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_client_generates_a_duplicate(page, login, client_user, acme):
    # given
    invoice = InvoiceFactory(client=acme, number="FV/2026/11/000333")
    login(page, client_user)
    page.goto(f"/invoices/{invoice.pk}/")
    page.screenshot(path="/tmp/client-invoice-detail-desktop.png", full_page=True)
    # when they press "Generuj dokument"
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Generuj dokument").click()
    # then the duplicate PDF downloads and is listed on the invoice
    download = download_info.value
    assert "duplikat" in download.suggested_filename
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert page.locator("[data-testid=duplicates-table] tbody tr").count() == 1
    assert InvoiceDuplicate.objects.filter(invoice=invoice, requested_by=client_user).count() == 1
    # and a reload neither downloads nor creates another one
    page.reload()
    assert page.locator("[data-testid=duplicate-ready]").count() == 0
    assert InvoiceDuplicate.objects.filter(invoice=invoice).count() == 1


def test_client_opens_a_contracts_schedule_and_items(page, login, client_user, acme):
    # given a contract with an item and its serial number
    contract = ContractFactory(client=acme, number="UL/2026/000777")
    item = LeasedItemFactory(contract=contract, name="Volvo FH 500")
    SerialNumberFactory(item=item, kind="VIN", value="YV2RT40A5LB123456")
    InsurancePolicyFactory(contract=contract, insurer="Warta SA")
    login(page, client_user)
    # when they open the contract from the list
    page.goto("/contracts/")
    with page.expect_navigation():
        page.get_by_role("link", name="Szczegóły UL/2026/000777").click()
    # then the schedule shows every installment with the capital remaining
    assert page.locator("h1").inner_text() == "Umowa UL/2026/000777"
    schedule = page.locator("[data-testid=schedule-table] tbody tr")
    assert schedule.count() == 36
    header = page.locator("[data-testid=schedule-table] thead").inner_text().upper()
    assert "KAPITAŁ POZOSTAŁY DO SPŁATY" in header
    # and the item expands to its serial number
    serial = page.get_by_text("YV2RT40A5LB123456")
    assert not serial.is_visible()
    page.locator("[data-testid=items] summary", has_text="Volvo FH 500").click()
    assert serial.is_visible()
    page.get_by_role("link", name="Przedmioty").click()
    page.screenshot(path="/tmp/client-contract-desktop.png", full_page=True)
    # and the schedule downloads as XLSX
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Pobierz XLSX").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_client_sends_a_message_after_correcting_errors(page, login, client_user, acme, acme_contract):
    login(page, client_user)
    page.goto("/messages/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nowa wiadomość").click()
    # when they send it with the category and contract missing
    page.get_by_label("Temat").fill("Zmiana adresu e-mail")
    page.get_by_label("Wiadomość").fill("Proszę o zmianę adresu do faktur.")
    with page.expect_navigation():
        page.get_by_role("button", name="Wyślij").click()
    # then the errors show next to the fields, focus is on the summary and the typed text stays
    assert page.locator("#id_category-error").is_visible()
    assert page.locator("#id_contract_id-error").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_label("Temat").input_value() == "Zmiana adresu e-mail"
    assert page.get_by_label("Wiadomość").input_value() == "Proszę o zmianę adresu do faktur."
    page.screenshot(path="/tmp/client-message-errors-desktop.png", full_page=True)
    # when they correct it
    page.get_by_label("Kategoria").select_option("invoices")
    page.get_by_label("Umowa").select_option(str(acme_contract.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Wyślij").click()
    # then the thread opens with the message
    thread = MessageThread.objects.get(client=acme)
    assert page.url.endswith(f"/messages/{thread.pk}/")
    assert "Proszę o zmianę adresu do faktur." in page.locator("[data-testid=thread-messages]").inner_text()
    # and a comment goes through the dialog
    page.get_by_role("link", name="Dodaj komentarz").click()
    dialog = page.locator("#comment-dialog")
    assert dialog.is_visible()
    dialog.get_by_label("Twój komentarz").fill("Uzupełniam: chodzi o adres biuro@acme.pl.")
    page.screenshot(path="/tmp/client-comment-dialog-desktop.png")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Wyślij komentarz").click()
    assert thread.messages.count() == 2
    assert "biuro@acme.pl" in page.locator("[data-testid=thread-messages]").inner_text()


@pytest.mark.parametrize(
    "path_for",
    [
        lambda ids: "/invoices/",
        lambda ids: "/settlements/",
        lambda ids: f"/contracts/{ids['contract']}/",
        lambda ids: "/messages/new/",
        lambda ids: "/help/",
        lambda ids: "/documents/",
        lambda ids: "/policies/",
        lambda ids: "/client-data/",
        lambda ids: f"/contracts/{ids['contract']}/policies/{ids['policy']}/",
    ],
)
def test_client_pages_fit_a_phone(browser, live_server, login, client_user, acme, path_for):
    # given data on every page
    contract = ContractFactory(client=acme, number="UL/2026/000900")
    LeasedItemFactory(contract=contract)
    policy = InsurancePolicyFactory(contract=contract)
    today = timezone.localdate()
    for n in range(3):
        InvoiceFactory(client=acme, contract=contract, due_date=today - timedelta(days=n * 20))
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    phone = context.new_page()
    login(phone, client_user)
    # when
    path = path_for({"contract": contract.pk, "policy": policy.pk})
    phone.goto(path)
    name = path.strip("/").replace("/", "-").replace(str(contract.pk), "id").replace(str(policy.pk), "id")
    phone.screenshot(path=f"/tmp/client-{name}-phone.png", full_page=True)
    # then the page itself never scrolls sideways (wide tables scroll inside their own box)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_client_follows_a_settlement_figure_to_its_invoices(page, login, client_user, acme):
    # given an overdue invoice and a paid one
    contract = ContractFactory(client=acme, number="UL/2026/000555")
    today = timezone.localdate()
    InvoiceFactory(
        client=acme,
        contract=contract,
        number="FV/2026/09/000901",
        issue_date=today - timedelta(days=45),
        due_date=today - timedelta(days=31),
    )
    InvoiceFactory(client=acme, contract=contract, number="FV/2026/11/000902", paid_amount=Decimal("1230.00"))
    login(page, client_user)
    page.goto("/settlements/")
    page.screenshot(path="/tmp/client-settlements-desktop.png", full_page=True)
    # when they click the overdue amount
    with page.expect_navigation():
        page.locator("[data-testid=settlement-totals] a", has_text="Przeterminowane").click()
    # then the invoices behind it are listed
    assert page.locator("h1").inner_text() == "Kwoty przeterminowane"
    rows = page.locator("[data-testid=settlement-rows] tbody tr")
    assert rows.count() == 1 and "FV/2026/09/000901" in rows.first.inner_text()


def test_client_reads_help_and_a_thread_in_english(page, login, client_user, acme, bok_staff):
    # given an answered thread
    from backend.messaging.client_writes import start_thread
    from backend.messaging.staff_writes import set_final_answer

    thread = start_thread(
        user=client_user,
        client=acme,
        subject="Invoice copy",
        category=MessageThread.Category.INVOICES,
        body="Please send a copy.",
        contract=None,
    )
    set_final_answer(user=bok_staff, thread=thread, body="The copy is in Documents.")
    login(page, client_user)
    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    # when they open the help page
    page.goto("/help/")
    # then it is in English with the customer service contact
    assert page.locator("h1").inner_text() == "Help"
    assert "bok@leasing.example" in page.locator("[data-testid=contact]").inner_text()
    page.get_by_text("How do I get a duplicate of an invoice?").click()
    assert page.get_by_text("Generate document", exact=False).first.is_visible()
    page.screenshot(path="/tmp/client-help-en-desktop.png", full_page=True)
    # and the thread highlights the final answer
    page.goto(f"/messages/{thread.pk}/")
    assert "The copy is in Documents." in page.locator("[data-testid=final-answer]").inner_text()
    assert page.locator("[data-testid=thread-status]").inner_text() == "Closed"
    page.screenshot(path="/tmp/client-thread-en-desktop.png", full_page=True)
