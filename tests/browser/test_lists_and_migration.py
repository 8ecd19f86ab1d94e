"""Sorting a list by its column headers, and an analyst moving a request to a newer flow version."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import ContractFactory, InvoiceFactory
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows.test_services import PAYMENT_XML
from workflows.services import deploy_bpmn_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_sorts_filtered_invoices_by_clicking_a_header(page, login, client_user, acme):
    # given three PLN invoices and one in EUR
    today = timezone.localdate()
    contract = ContractFactory(client=acme, schedule=False)
    for number, gross, age in [("FV/A", "300.00", 1), ("FV/B", "100.00", 2), ("FV/C", "200.00", 3)]:
        InvoiceFactory(
            client=acme,
            contract=contract,
            number=number,
            gross_total=Decimal(gross),
            issue_date=today - timedelta(age),
        )
    InvoiceFactory(client=acme, number="FV/EUR", currency="EUR")
    login(page, client_user)
    page.goto("/invoices/?currency=PLN")
    numbers = page.locator("[data-testid=invoice-table] tbody th")
    header = page.locator("th", has_text="Kwota brutto")
    # when they sort by the gross amount
    with page.expect_navigation():
        header.get_by_role("link").click()
    # then the cheapest comes first, the filter stays, and the column says how it is sorted
    assert numbers.all_inner_texts() == ["FV/B", "FV/C", "FV/A"]
    assert page.locator("#f-currency").input_value() == "PLN"
    assert header.get_attribute("aria-sort") == "ascending"
    # and a second click turns the order
    with page.expect_navigation():
        header.get_by_role("link").click()
    assert numbers.all_inner_texts() == ["FV/A", "FV/C", "FV/B"]
    assert header.get_attribute("aria-sort") == "descending"


def test_analyst_moves_a_running_request_to_the_newest_version(page, login, client_user, acme, analyst):
    # given a request on version 1 and a newer version 2
    old = submit_request(client_user, acme)
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    login(page, analyst)
    page.goto("/analyst/flows/")
    with page.expect_navigation():
        page.get_by_role("link", name="Starsze wersje payment_date_change").click()
    # when they open the request's form and submit without confirming, then confirm
    with page.expect_navigation():
        page.get_by_role("link", name=f"Przenieś na inną wersję {old.number}").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Przenieś wniosek").click()
    assert "Potwierdź, że wniosek" in page.locator("#id_confirm-error").inner_text()
    page.check("#id_confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Przenieś wniosek").click()
    # then the request runs on version 2 and is no longer listed
    assert f"Wniosek {old.number} działa teraz na wersji 2." in page.locator(".messages").inner_text()
    assert page.locator("[data-testid=migration-table]").count() == 0
    old.process_instance.refresh_from_db()
    assert old.process_instance.process_version.number == 2


@pytest.fixture
def page_without_script(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("script", [False, True], ids=["without-js", "with-js"])
def test_client_comments_on_a_request_with_or_without_script(
    page, page_without_script, login, client_user, acme, script
):
    # given a running request
    portal_request = submit_request(client_user, acme)
    tab = page if script else page_without_script
    login(tab, client_user)
    tab.goto(f"/requests/{portal_request.pk}/")
    dialog = tab.locator("#comment-dialog")
    assert not dialog.is_visible()
    # when they open the comment dialog and send a comment
    tab.get_by_role("link", name="Dodaj komentarz lub załącznik").click()
    dialog.wait_for(state="visible")
    if script:
        assert "comment=1" not in tab.url  # a modal over the page, no reload
        assert tab.evaluate("document.getElementById('comment-dialog').matches(':modal')")
    tab.fill("#comment-message", "Dosyłam potwierdzenie przelewu.")
    with tab.expect_navigation():
        dialog.get_by_role("button", name="Wyślij komentarz").click()
    # then the page shows it in the history, with the dialog closed
    assert tab.url.endswith(f"/requests/{portal_request.pk}/")
    assert "Dosyłam potwierdzenie przelewu." in tab.locator("main").inner_text()
    assert not dialog.is_visible()
