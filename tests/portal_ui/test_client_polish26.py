"""Polish an outside walk found on the client's pages: a request page names the request in its breadcrumbs;
nothing overdue is not red, and one currency needs no chip beside the totals; a request waiting for
the client says so once in the list; the account's calendar link says what it does; a loan's item is
financed, not leased; rates read as the other percentages; the demo bank's button speaks both languages;
the accountant's ZIP is announced with the month as the list writes it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from backend.invoices.models import AccountingExport
from backend.requests_app import services
from backend.sso.services import link_bank_customer
from tests.factories import ContractFactory, InvoiceFactory
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def page(client, url: str, lang: str, user) -> str:
    user.language = lang  # a logged-in user's saved language wins over the cookie
    user.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    client.force_login(user)
    return client.get(url).content.decode()


def totals(html: str) -> str:
    return html[html.index('id="totals-title"') : html.index("</section>", html.index('id="totals-title"'))]


@pytest.mark.parametrize(("lang", "label"), [("pl", "Wnioski"), ("en", "Requests")])
def test_a_request_page_names_the_request_in_its_breadcrumbs(client, client_user, acme, lang, label):
    portal_request = submit_other_request(client_user, acme)

    html = page(client, f"/requests/{portal_request.pk}/", lang, client_user)

    crumbs = html[html.index('class="crumbs"') :].split("</nav>", 1)[0]
    assert f">{label}</a>" in crumbs
    assert f'<span aria-current="page">{portal_request.number}</span>' in crumbs


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_nothing_overdue_is_a_plain_tile_and_one_currency_has_no_chip(client, client_user, acme, lang):
    # given: one invoice of the client, not yet due
    InvoiceFactory(client=acme, due_date=timezone.localdate() + timedelta(days=10))

    box = totals(page(client, "/settlements/", lang, client_user))

    # then: the zero overdue is not red (a plain tile link like the others); no chip repeats the currency
    assert "tile-bad" not in box
    assert '<a class="summary-tile tile-link" href="/settlements/overdue/?currency=PLN">' in box
    assert "currency-tag" not in box


def test_an_overdue_amount_stays_a_red_link_and_several_currencies_keep_their_chips(
    client, client_user, acme
):
    InvoiceFactory(client=acme, due_date=timezone.localdate() - timedelta(days=3))
    InvoiceFactory(client=acme, currency="EUR")

    box = totals(page(client, "/settlements/", "en", client_user))

    assert re.search(
        r'<a class="summary-tile tile-link tile-bad" href="/settlements/overdue/\?currency=PLN">', box
    )
    assert '<span class="currency-tag">EUR</span>' in box and '<span class="currency-tag">PLN</span>' in box


@pytest.mark.parametrize(
    ("lang", "status"), [("pl", "Czeka na Twoją odpowiedź"), ("en", "Waiting for your reply")]
)
def test_a_request_waiting_for_the_client_says_so_once_in_the_list(
    client, client_user, acme, bok_staff, lang, status
):
    portal_request = submit_other_request(client_user, acme)
    services.complete_staff_task(
        staff=bok_staff, portal_request=portal_request, data={"decision": "ask_client", "question": "KRS?"}
    )

    html = page(client, "/requests/", lang, client_user)

    row = html[html.index(f'href="/requests/{portal_request.pk}/"') :].split("</tr>", 1)[0]
    assert row.count(status) == 1
    assert "Czeka na Ciebie" not in row and "Waiting for you<" not in row
    assert 'class="row-waiting"' in html  # the row still stands out


@pytest.mark.parametrize(
    ("lang", "link", "title"),
    [
        ("pl", "Dodaj swoje terminy do kalendarza", "Terminy w Twoim kalendarzu"),
        ("en", "Add your dates to your calendar", "Your dates in your calendar"),
    ],
)
def test_the_calendar_link_says_what_it_does(client, client_user, lang, link, title):
    account = page(client, "/account/", lang, client_user)
    calendar = page(client, "/account/calendar/", lang, client_user)

    assert f'<a href="{reverse("calendar-page")}">{link}</a>' in account
    assert title not in account and title in calendar


@pytest.mark.parametrize(
    ("lang", "financed", "leased", "rate"),
    [
        ("pl", "Przedmiot finansowania", "Przedmiot leasingu", "9,50%"),
        ("en", "Financed item", "Leased item", "9.50%"),
    ],
)
def test_a_loan_finances_its_item_and_the_rate_reads_as_a_percentage(
    client, client_user, acme, lang, financed, leased, rate
):
    loan = ContractFactory(client=acme, type="loan", annual_rate=Decimal("9.500"), residual_percent=0)
    lease = ContractFactory(client=acme, type="operating_lease", annual_rate=Decimal("7.125"))

    loan_page = page(client, f"/contracts/{loan.pk}/", lang, client_user)
    lease_page = page(client, f"/contracts/{lease.pk}/", lang, client_user)

    data = loan_page[loan_page.index('data-testid="contract-data"') :].split("</dl>", 1)[0]
    assert f"<dt>{financed}</dt>" in data and leased not in data
    assert f"<dd>{rate}</dd>" in data and "9.500%" not in data
    assert f"<dt>{leased}</dt>" in lease_page
    assert ("<dd>7,125%</dd>" if lang == "pl" else "<dd>7.125%</dd>") in lease_page


def test_a_percentage_keeps_two_decimals_or_its_own_third():
    from backend.core.money import format_percent

    assert format_percent(Decimal("9.500")) == "9,50%"
    assert format_percent(Decimal("9.500"), lang="en") == "9.50%"
    assert format_percent(Decimal("7.125")) == "7,125%"
    assert format_percent(Decimal("10")) == "10,00%"
    assert format_percent(Decimal("0.00"), lang="en") == "0.00%"


def test_the_demo_banks_portal_buttons_speak_both_languages(
    client, client_user, acme_contract, settings, tmp_path
):
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path  # the demo key pair, made on first use
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    client.post(reverse("bank_simulator_login"), {"customer_id": "BANK-0001", "password": "x"})

    loans = client.get(reverse("bank_simulator_loans")).content.decode()
    handoff = client.post(
        reverse("bank_simulator_handoff"), {"contract": acme_contract.number}
    ).content.decode()

    buttons = re.findall(r"<button[^>]*>([^<]*)</button>", loans + handoff)
    portal_buttons = [text for text in buttons if "Portal" in text]
    assert len(portal_buttons) == 3  # each contract's, the other number's, the hand-off's without script
    assert set(portal_buttons) == {"Przejdź do Portalu Klienta / Go to the Client Portal"}


@pytest.mark.parametrize(
    ("lang", "said"),
    [("pl", "Plik ZIP za 11.2026 jest gotowy."), ("en", "The ZIP file for 2026-11 is ready.")],
)
def test_the_ready_zip_is_announced_with_the_month_as_the_list_writes_it(
    client, client_user, acme, lang, said
):
    AccountingExport.objects.create(
        user=client_user, client=acme, month=date(2026, 11, 1), lang=lang, status="ready", file="x.zip"
    )

    html = page(client, "/invoices/", lang, client_user)

    assert f'data-announce="{said}"' in html
    assert f"<strong>{said.split()[-3]}</strong>" in html  # the list's own month, the same text
