"""The payment day form shows the contract's current day but never starts on it: the API refuses it as no
change, so its option is disabled and marked "(current)", none is ticked, and a form sent without a day
asks for one (the API's rule unchanged)."""

from __future__ import annotations

import re

import pytest

from backend.requests_app.models import PortalRequest
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_request_pages import payment_day_form

pytestmark = pytest.mark.django_db

URL = "/requests/new/payment_date_change/"


def day_inputs(html: str) -> dict[str, str]:
    """Each day's radio input tag and its label's shown text (a `hidden` mark left out), by day."""
    found = re.findall(
        r'<label class="radio">(<input type="radio" name="data__payment_day"[^>]*>)(.*?)</label>', html
    )
    return {
        re.search(r'value="(\d+)"', tag).group(1): (
            tag,
            re.sub(r"<[^>]+>", " ", re.sub(r"<span[^>]*hidden>.*?</span>", "", text)),
        )
        for tag, text in found
    }


def test_the_current_day_is_shown_disabled_and_none_is_preselected(client, client_user, acme):
    ContractFactory(client=acme, payment_day=15)
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    html = logged_in(client, client_user).get(URL).content.decode()

    days = day_inputs(html)
    assert list(days) == ["15", "20", "25"]
    assert not any(" checked" in tag for tag, _ in days.values())
    current_tag, current_text = days["15"]
    assert " disabled" in current_tag and "(current)" in current_text
    assert all(" disabled" not in days[d][0] and "(current)" not in days[d][1] for d in ("20", "25"))
    assert "The contract&#x27;s current payment day is 15: choose a different one." in html


def test_a_form_sent_without_a_day_asks_for_one_and_keeps_no_day(client, client_user, acme):
    contract = ContractFactory(client=acme, payment_day=15)

    # when: sent as it opens, no day ticked
    response = logged_in(client, client_user).post(URL, payment_day_form(contract, data__payment_day=None))

    # then: a day is asked for, not "the same as the current one"
    html = response.content.decode()
    assert response.status_code == 400 and not PortalRequest.objects.exists()
    error = re.search(r'<ul class="errorlist" id="err-data__payment_day">(.*?)</ul>', html, re.S)
    assert error and "Wybierz nowy dzień płatności." in error.group(1)
    assert "taki sam jak obecny" not in html
    assert " disabled" in day_inputs(html)["15"][0]


def test_a_day_chosen_before_another_error_stays_ticked(client, client_user, acme):
    contract = ContractFactory(client=acme, payment_day=15)
    response = logged_in(client, client_user).post(URL, payment_day_form(contract, contact__phone=""))
    days = day_inputs(response.content.decode())
    assert response.status_code == 400
    assert " checked" in days["20"][0] and " checked" not in days["15"][0]


def test_a_day_is_asked_for_beside_the_forms_other_errors(client, client_user, acme):
    contract = ContractFactory(client=acme, payment_day=15)
    form = payment_day_form(contract, data__payment_day=None, data__reason=None)
    response = logged_in(client, client_user).post(URL, form)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="err-data__reason"' in html
    error = re.search(r'<ul class="errorlist" id="err-data__payment_day">(.*?)</ul>', html, re.S)
    assert error and "Wybierz nowy dzień płatności." in error.group(1)
