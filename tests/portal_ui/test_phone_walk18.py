"""An outside walk of the client pages on a phone (and a desktop), through Django's test client: the lists'
filters fold under one summary that counts those on and lead to the count of results, the installment
amounts box takes lines or semicolons, the policies and the schedule download open with an active contract,
a counter-offer's banner names its own date and leads to its buttons, the notification settings use the
request forms' check boxes and the new-message form says which fields are required."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.contracts.models import BuyoutQuote, Contract
from backend.requests_app.models import PortalRequest
from tests.factories import ContractFactory, InsurancePolicyFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

LISTS = ("/invoices/", "/archive/", "/contracts/", "/documents/", "/messages/", "/requests/")
# A filter each list takes, valid there.
ONE_FILTER = {
    "/invoices/": "status=paid",
    "/archive/": "status=paid",
    "/contracts/": "status=active",
    "/documents/": "kind=balance_confirmation",
    "/messages/": "status=open",
    "/requests/": "status=open",
}


@pytest.fixture
def web(client, client_user):
    client.force_login(client_user)
    return client


@pytest.mark.parametrize("path", LISTS)
def test_every_client_list_folds_its_filters_under_one_summary_and_leads_to_its_count(
    web, acme_contract, path
):
    html = web.get(path).content.decode()
    # no filter on: the box folds on a phone (forms.js), its summary plain; sent, the page opens at the count
    assert '<details class="filters-box list-filters" open data-fold-narrow>' in html
    assert "<summary>Filtry</summary>" in html
    assert re.search(r'<form method="get" action="#results" class="filters"', html)
    assert re.search(r'<p class="list-count" id="results">\d+ wynik', html)

    filtered = web.get(f"{path}?{ONE_FILTER[path]}&sort=-number").content.decode()
    # a filter on keeps the box open on a phone too and the summary counts it (the sort does not count)
    assert '<details class="filters-box list-filters" open data-fold-narrow data-fold-keep>' in filtered
    assert "<summary>Filtry (1 aktywny)</summary>" in filtered


def test_the_count_of_results_says_how_many_rows_the_filters_found(web, acme, acme_contract):
    for _ in range(3):
        InvoiceFactory(client=acme, contract=acme_contract, issue_date=timezone.localdate())
    html = web.get("/invoices/").content.decode()
    assert '<p class="list-count" id="results">3 wyniki</p>' in html
    html = web.get("/invoices/?number=nie-ma-takiej").content.decode()
    assert '<p class="list-count" id="results">0 wyników</p>' in html


def test_a_refused_filter_keeps_the_box_open(web, acme_contract):
    html = web.get("/invoices/?issue_date_from=31.02.2026").content.decode()
    assert "data-fold-keep" in html and "<summary>Filtry</summary>" in html  # refused: not counted as on


def test_the_installment_amounts_box_has_a_keyboard_with_return_and_takes_semicolons(web, acme_contract):
    html = web.get(f"/requests/new/schedule_change/?contract={acme_contract.pk}").content.decode()
    box = re.search(r"<textarea id=\"f-data__net_installments\"[^>]*>", html).group(0)
    assert "inputmode" not in box  # a phone's decimal keypad has no Return key for the next amount
    assert "każda w osobnym wierszu albo oddzielone średnikami (np. 1\xa0250,00; 1\xa0250,00)" in html
    # single amounts keep their decimal keypad
    assert re.search(r'name="data__residual_percent"[^>]*inputmode="decimal"', html)


@pytest.fixture
def ended_then_active(acme):
    """The first contract by number has ended (no active policy); the second is active with a policy."""
    ended = ContractFactory(client=acme, number="LF/2022/01000013", status=Contract.Status.CLOSED)
    active = ContractFactory(client=acme, number="LF/2025/01000020")
    InsurancePolicyFactory(contract=active)
    return ended, active


def test_the_policies_open_with_the_first_active_contract_the_ended_one_still_offered(web, ended_then_active):
    ended, active = ended_then_active
    html = web.get("/policies/").content.decode()
    assert f'<option value="{active.pk}" selected>{active.number}</option>' in html
    assert f'<option value="{ended.pk}">{ended.number}</option>' in html
    assert "Ta umowa nie ma aktywnej polisy" not in html
    # the ended one is still there to choose
    chosen = web.get(f"/policies/?contract={ended.pk}").content.decode()
    assert f'<option value="{ended.pk}" selected>' in chosen


def test_the_schedule_download_opens_with_the_first_active_contract(web, ended_then_active):
    ended, active = ended_then_active
    html = web.get("/settlements/").content.decode()
    select = re.search(r'<select id="schedule-contract".*?</select>', html, re.S).group(0)
    assert f'<option value="{active.pk}" selected>' in select
    assert f'<option value="{ended.pk}">' in select


def _countered_request(client, web, bok_staff, acme_contract) -> tuple[PortalRequest, BuyoutQuote]:
    """A buyout request staff answered with a counter-offer: it waits for the client's answer."""
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    created = web.post(f"/contracts/{acme_contract.pk}/buyout/", {"effective_date": effective})
    web.post(
        created["Location"],
        {
            "contact_name": "Anna Kowalska",
            "contact_phone": "+48 601 234 567",
            "contact_email": "anna.kowalska@acme.pl",
            "declaration_data_true": "on",
            "declaration_privacy_notice": "on",
            "declaration_fees": "on",
            "declaration_authorised": "on",
        },
    )
    portal_request = PortalRequest.objects.get()
    staff = type(client)()
    staff.force_login(bok_staff)
    staff.post(f"/staff/tasks/{portal_request.pk}/buyout-counter/", {"total": "45 000,00", "reason": "Rabat"})
    portal_request.refresh_from_db()
    assert portal_request.waiting_for_client
    return portal_request, BuyoutQuote.objects.get()


def test_a_counter_offers_banner_names_its_earlier_date_and_leads_to_its_buttons(
    client, web, bok_staff, acme_contract
):
    portal_request, quote = _countered_request(client, web, bok_staff, acme_contract)
    valid_until = timezone.localdate() + timedelta(days=5)  # before the wait's reply-by day (day 30)
    BuyoutQuote.objects.filter(pk=quote.pk).update(counter_valid_until=valid_until)

    html = web.get(f"/requests/{portal_request.pk}/").content.decode()
    banner = re.search(r'<div class="banner-waiting".*?</div>', html, re.S).group(0)
    assert (
        f"Kontroferta jest ważna do {valid_until:%d.%m.%Y}: po tym dniu nie można jej już przyjąć" in banner
    )
    assert 'id="reply-by"' in banner  # the wait's own date stays, its timers untouched
    assert '<a href="#counter-answer" class="button primary small" id="reply-now" data-focus-first>' in banner
    answer = re.search(r'<div id="counter-answer">.*?</form>', html, re.S).group(0)
    assert 'id="accept-counter"' in answer
    # the live status part says the same
    live = web.get(f"/requests/{portal_request.pk}/status/").content.decode()
    assert "Kontroferta jest ważna do" in live and 'href="#counter-answer"' in live


def test_a_counter_offer_valid_past_the_reply_by_day_adds_no_date(client, web, bok_staff, acme_contract):
    portal_request, quote = _countered_request(client, web, bok_staff, acme_contract)
    BuyoutQuote.objects.filter(pk=quote.pk).update(
        counter_valid_until=timezone.localdate() + timedelta(days=60)
    )
    html = web.get(f"/requests/{portal_request.pk}/").content.decode()
    assert "Kontroferta jest ważna do" not in html
    assert 'href="#counter-answer"' in html  # the answer is still the buttons


def test_a_waiting_request_without_a_counter_offer_leads_to_the_reply_form(web, client_user, acme, bok_staff):
    from backend.requests_app import services, task_hands
    from tests.request_helpers import submit_other_request

    portal_request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    services.complete_staff_task(
        staff=bok_staff, portal_request=portal_request, data={"decision": "ask_client", "question": "Skan?"}
    )
    html = web.get(f"/requests/{portal_request.pk}/").content.decode()
    assert '<a href="#reply-card" class="button primary small" id="reply-now" data-focus-first>' in html


def test_the_notification_settings_use_the_request_forms_check_boxes(web):
    html = web.get("/account/").content.decode()
    assert "portal_ui/requests/requests.css" in html
    assert '<fieldset class="group">' in html
    assert re.search(
        r'<div class="check-field"><label class="check" for="[^"]+"><input type="checkbox"', html
    )


def test_the_new_message_form_says_which_fields_are_required(web, acme_contract):
    html = web.get("/messages/new/").content.decode()
    assert "Wszystkie pola są wymagane." not in html
    assert "Pola oznaczone * są wymagane." in html
    assert "Załączniki (opcjonalnie)" in html
