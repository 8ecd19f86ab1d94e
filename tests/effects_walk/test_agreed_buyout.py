"""An approved buyout: the contract stays active to its effective date and then ends, its page shows the
agreed buyout (net, VAT, gross, the date, when and where to pay), the decision says the same, and the
contract takes no more changes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone

from backend.contracts.models import BuyoutQuote, Contract
from backend.core.lessor import format_account, get_lessor
from backend.core.money import format_date, format_money
from tests.effects_walk.helpers import approve, buy_out, decision_text, page_text, submit
from tests.requests_app.helpers import all_declarations, contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def bought_out(api_as, client_user, bok_staff, acme_contract):
    """The contract's buyout on a date 20 days ahead, approved; (request id, quote)."""
    return buy_out(api_as(client_user), api_as(bok_staff), acme_contract)


def test_the_contract_stays_active_until_the_buyout_takes_effect(bought_out, acme_contract):
    _request_id, quote = bought_out
    contract = Contract.objects.get(pk=acme_contract.pk)
    assert contract.status == Contract.Status.ACTIVE
    assert contract.end_date == quote.effective_date
    # the installments due up to that date stay to be paid; the later ones are replaced by the buyout
    assert not contract.schedule_rows.filter(due_date__gt=quote.effective_date).exists()

    # the daily task ends it the day after its effective date, once
    from backend.contracts.buyout_services import end_bought_out_contracts

    assert end_bought_out_contracts(today=quote.effective_date) == 0  # its last day
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.ACTIVE
    assert end_bought_out_contracts(today=quote.effective_date + timedelta(days=1)) == 1
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.TERMINATED
    assert end_bought_out_contracts(today=quote.effective_date + timedelta(days=2)) == 0


def test_the_contract_page_shows_the_agreed_buyout(bought_out, client_user, acme_contract):
    _request_id, quote = bought_out
    page = PageClient()
    page.force_login(client_user)

    text = page_text(page, reverse("contract-page", args=[acme_contract.pk]))

    effective = format_date(quote.effective_date)
    assert f"Aktywna · kończy się {effective} uzgodnionym wykupem" in text
    assert "Uzgodniony wykup" in text
    assert f"Kwota wykupu (netto) {format_money(quote.net_total)}" in text
    assert f"VAT {format_money(quote.vat)}" in text
    assert f"Kwota wykupu (brutto) {format_money(quote.total)}" in text
    assert f"Termin płatności {effective}" in text
    assert f"Na rachunek {format_account(get_lessor().bank_account)}" in text
    assert f"Tytuł przelewu {quote.number}" in text
    assert "Pobierz wycenę wykupu" not in text and "Wycena wykupu" not in text  # no new quote offered


def test_the_decision_says_the_amount_net_and_gross_when_and_where_to_pay(bought_out):
    request_id, quote = bought_out

    text = decision_text(request_id)

    effective = format_date(quote.effective_date)
    assert f"umowa kończy się z dniem {effective}" in text
    assert (
        f"Kwota wykupu (wiążąca): netto {format_money(quote.net_total)}, VAT {format_money(quote.vat)}, "
        f"brutto {format_money(quote.total)}."
    ) in text
    assert (
        f"Termin płatności: {effective}; przelewem na rachunek {format_account(get_lessor().bank_account)}"
        in text
    )
    assert f"tytułem: {quote.number}." in text


def test_a_counter_offer_binds_net_and_gross_at_the_quotes_vat(api_as, client_user, bok_staff, acme_contract):
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    quote = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/", {"effective_date": effective}, format="json"
    ).json()
    request = client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/request/",
        {"contact": contact(), "declarations": all_declarations("early_termination")},
        format="json",
    ).json()
    staff_api.post(
        f"/api/staff/requests/{request['id']}/buyout-counter/",
        {"total": "61500.00", "reason": "Rabat"},
        format="json",
    )
    client_api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/counter-answer/",
        {"accept": True},
        format="json",
    )
    assert approve(staff_api, request["id"]).status_code == 200

    text = decision_text(request["id"])
    assert "netto 50\u00a0000,00\u00a0zł, VAT 11\u00a0500,00\u00a0zł, brutto 61\u00a0500,00\u00a0zł" in text
    stored = BuyoutQuote.objects.get(pk=quote["id"])
    assert (stored.binding_net, stored.binding_vat) == (Decimal("50000.00"), Decimal("11500.00"))


def test_a_bought_out_contract_takes_no_more_changes(bought_out, api_as, client_user, acme_contract):
    _request_id, quote = bought_out
    response = submit(
        api_as(client_user), "payment_date_change", acme_contract, {"payment_day": 20, "reason": "cash_flow"}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["contract_id"] == [
        f"Umowa {acme_contract.number} kończy się {format_date(quote.effective_date)} uzgodnionym wykupem: "
        "nie przyjmujemy wniosków o jej zmianę."
    ]
    again = api_as(client_user).post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/",
        {"effective_date": quote.effective_date.isoformat()},
        format="json",
    )
    assert again.status_code == 400


def test_the_agreed_buyout_is_in_the_contract_api_and_the_settlements_until_the_contract_ends(
    bought_out, api_as, client_user, acme_contract
):
    _request_id, quote = bought_out
    client_api = api_as(client_user)
    expected = {
        "number": quote.number,
        "contract": acme_contract.pk,
        "contract_number": acme_contract.number,
        "payment_due": quote.effective_date.isoformat(),
        "currency": quote.currency,
        "net": str(quote.binding_net),
        "vat": str(quote.binding_vat),
        "total": str(quote.binding_total),
    }
    assert client_api.get(f"/api/contracts/{acme_contract.pk}/").json()["agreed_buyout"] == expected
    assert client_api.get("/api/settlements/").json()["agreed_buyouts"] == [expected]
    page = PageClient()
    page.force_login(client_user)
    text = page_text(page, reverse("settlements"))
    assert "Uzgodnione wykupy do zapłaty" in text
    assert f"{acme_contract.number} {quote.number} {format_date(quote.effective_date)}" in text
    assert format_money(quote.binding_total) in text

    # once the contract has ended on that date, nothing is shown as still to pay
    from backend.contracts.buyout_services import end_bought_out_contracts

    end_bought_out_contracts(today=quote.effective_date + timedelta(days=1))
    assert client_api.get(f"/api/contracts/{acme_contract.pk}/").json()["agreed_buyout"] is None
    assert client_api.get("/api/settlements/").json()["agreed_buyouts"] == []
    assert "Uzgodnione wykupy do zapłaty" not in page_text(page, reverse("settlements"))


def test_a_contract_without_an_agreed_buyout_has_none(api_as, client_user, acme_contract):
    client_api = api_as(client_user)
    assert client_api.get(f"/api/contracts/{acme_contract.pk}/").json()["agreed_buyout"] is None
    assert client_api.get("/api/settlements/").json()["agreed_buyouts"] == []
