"""Buyout pages: the date picker with its errors next to the field, the quote, "Złóż wniosek", the
counter-offer on the request's page and the staff's counter form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.contracts.models import BuyoutQuote
from backend.requests_app.models import PortalRequest
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def request_form(**overrides) -> dict:
    form = {
        "contact_name": "Anna Kowalska",
        "contact_phone": "+48 601 234 567",
        "contact_email": "anna.kowalska@acme.pl",
        "declaration_data_true": "on",
        "declaration_privacy_notice": "on",
        "declaration_fees": "on",
        "declaration_authorised": "on",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def test_the_contract_page_links_to_the_buyout(client, client_user, acme_contract):
    page = logged_in(client, client_user).get(f"/contracts/{acme_contract.pk}/")
    assert f'href="/contracts/{acme_contract.pk}/buyout/"' in page.content.decode()


def test_a_date_in_the_past_is_refused_next_to_the_field(client, client_user, acme_contract):
    web = logged_in(client, client_user)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    page = web.post(f"/contracts/{acme_contract.pk}/buyout/", {"effective_date": yesterday})

    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_effective_date-error"' in html
    assert "Data zakończenia umowy nie może być w przeszłości." in html
    assert 'aria-invalid="true"' in html
    assert not BuyoutQuote.objects.exists()


@pytest.mark.parametrize("typed", ["2026-02-30", "31.02.2026", "", "jutro"])
def test_an_impossible_or_missing_date_is_refused_next_to_the_field(
    client, client_user, acme_contract, typed
):
    # 2026-02-30 has the shape of a date: the page's own parse raised ValueError (a 500).
    page = logged_in(client, client_user).post(
        f"/contracts/{acme_contract.pk}/buyout/", {"effective_date": typed}
    )

    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_effective_date-error"' in html
    assert "Podaj datę." in html
    assert f'value="{typed}"' in html  # what the user typed stays in the field
    assert not BuyoutQuote.objects.exists()


def test_quote_then_request_then_counter_offer_on_the_pages(client, client_user, bok_staff, acme_contract):
    web = logged_in(client, client_user)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()

    # the date gives a stored quote and its page, in Polish money format
    created = web.post(f"/contracts/{acme_contract.pk}/buyout/", {"effective_date": effective})
    assert created.status_code == 302
    quote = BuyoutQuote.objects.get()
    page = web.get(created["Location"])
    html = page.content.decode()
    assert quote.number in html and "Razem do zapłaty" in html
    whole, grosze = f"{quote.total:.2f}".split(".")
    assert f",{grosze}" in html
    assert f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote.pk}/pdf/" in html

    # a missing declaration is named next to its box; nothing is submitted
    refused = web.post(created["Location"], request_form(declaration_fees=None))
    assert refused.status_code == 400
    assert 'id="declaration_fees-error"' in refused.content.decode()
    assert not PortalRequest.objects.exists()

    # "Złóż wniosek"
    submitted = web.post(created["Location"], request_form())
    assert submitted.status_code == 302
    portal_request = PortalRequest.objects.get()
    assert submitted["Location"] == f"/requests/{portal_request.pk}/"
    assert web.get(submitted["Location"]).status_code == 200

    # staff see the quote and counter it from the task page
    staff = logged_in(type(client)(), bok_staff)
    task = staff.get(f"/staff/tasks/{portal_request.pk}/").content.decode()
    assert 'id="form-counter"' in task and quote.number in task
    unreadable = staff.post(
        f"/staff/tasks/{portal_request.pk}/buyout-counter/",
        {"total": "45.000", "reason": "Rabat"},
        follow=True,
    )
    said = unreadable.content.decode()
    assert "Kontroferta: Wpisz liczbę w postaci 1\xa0250,50" in said and "total:" not in said  # no field code
    staff.post(f"/staff/tasks/{portal_request.pk}/buyout-counter/", {"total": "45 000,00", "reason": "Rabat"})
    quote.refresh_from_db()
    assert quote.status == "countered" and str(quote.counter_total) == "45000.00"

    # the client sees the counter-offer and accepts it
    detail = web.get(f"/requests/{portal_request.pk}/").content.decode()
    assert "45\u00a0000,00\u00a0zł" in detail and 'id="accept-counter"' in detail
    # a post without a choice declines nothing
    web.post(f"/contracts/{acme_contract.pk}/buyout/{quote.pk}/counter-answer/", {})
    quote.refresh_from_db()
    assert quote.counter_response == "" and quote.status == "countered"
    answered = web.post(
        f"/contracts/{acme_contract.pk}/buyout/{quote.pk}/counter-answer/",
        {"answer": "accept"},
    )
    assert answered.status_code == 302
    portal_request.refresh_from_db()
    assert portal_request.status == "in_review"
    quote.refresh_from_db()
    assert quote.counter_response == "accepted"


def test_the_request_wizard_leads_to_the_contracts_buyout(client, client_user, acme_contract):
    web = logged_in(client, client_user)

    # the catalogue offers the kind; its step goes to the quote of the one active contract
    assert "/requests/new/early_termination/" in web.get("/requests/new/").content.decode()
    page = web.get("/requests/new/early_termination/", follow=True)

    assert page.redirect_chain[-1][0] == f"/contracts/{acme_contract.pk}/buyout/"
    assert 'id="id_effective_date"' in page.content.decode()


def test_the_request_page_shows_the_quote_not_its_internal_id(client, client_user, acme_contract):
    # given a buyout request made from a quote
    web = logged_in(client, client_user)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    created = web.post(f"/contracts/{acme_contract.pk}/buyout/", {"effective_date": effective})
    quote = BuyoutQuote.objects.get()
    submitted = web.post(created["Location"], request_form())
    assert submitted.status_code == 302

    # when the client opens the request
    html = web.get(submitted["Location"]).content.decode()

    # then the quote is shown by its number and amounts in złoty, never as a raw "quote_id"
    assert quote.number in html
    assert "quote_id" not in html
    assert "zł" in html and "PLN</td>" not in html
