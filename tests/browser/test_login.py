import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_logs_in_sees_polish_home_and_switches_to_english(page, login, client_user, acme):
    # given an invoice of the client and a browser that prefers English
    from decimal import Decimal

    from tests.factories import InvoiceFactory

    InvoiceFactory(client=acme, number="FV/2026/11/000777", gross_total=Decimal("4567.89"))
    # when the client logs in
    login(page, client_user)
    # then the home page is in Polish with Polish money format
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("h1").inner_text() == "Ekran główny"
    row = page.locator("[data-testid=home-invoices] tbody tr").first
    assert "FV/2026/11/000777" in row.inner_text()
    assert "4\u00a0567,89\u00a0zł" in row.inner_text()
    assert "ACME Logistyka" in page.locator("header").inner_text()
    page.screenshot(path="/tmp/portal-home-pl.png", full_page=True)
    # when they press EN
    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    # then the page is in English and stays so
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Home"
    assert "4,567.89\u00a0PLN" in page.locator("[data-testid=home-invoices]").inner_text()
    page.reload()
    assert page.locator("h1").inner_text() == "Home"
    client_user.refresh_from_db()
    assert client_user.language == "en"


def test_wrong_password_shows_an_error_in_polish(page, client_user):
    page.goto("/login/")
    page.fill("#id_username", client_user.email)
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    assert page.locator("[role=alert]").is_visible()
    assert page.locator("html").get_attribute("lang") == "pl"


def test_home_on_a_phone(browser, live_server, login, client_user, acme):
    from tests.factories import InvoiceFactory

    for _ in range(3):
        InvoiceFactory(client=acme)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, client_user)
    # the page fits the screen: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/portal-home-phone.png", full_page=True)
    context.close()
