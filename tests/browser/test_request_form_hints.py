"""What request_form.js and drafts.js say as the client works in the form (headless Chromium): the payment
day hint and the disabled current day follow the chosen contract, the value change offers only that contract's
currency, and a draft's time is the portal's (Europe/Warsaw), not the browser's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.core.money import format_datetime, format_time
from backend.drafts.models import Draft
from tests.browser.conftest import log_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked_days(page) -> list[str]:
    return [r.get_attribute("value") for r in page.locator("input[name=data__payment_day]:checked").all()]


def disabled_days(page) -> list[str]:
    return [r.get_attribute("value") for r in page.locator("input[name=data__payment_day]:disabled").all()]


def test_the_payment_day_hint_and_the_disabled_current_day_follow_the_chosen_contract(
    page, client_user, acme
):
    tenth = ContractFactory(client=acme, payment_day=10)  # the options are 15, 20 and 25
    twentieth = ContractFactory(client=acme, payment_day=20)
    log_in(page, client_user)
    page.goto(f"/requests/new/payment_date_change/?contract={tenth.pk}")
    note = page.locator("#current-day-note")
    assert note.inner_text() == "Obecny dzień płatności umowy to 10: wybierz inny."
    assert checked_days(page) == [] and disabled_days(page) == []
    page.check("input[name=data__payment_day][value='20']")

    # when the contract paid on the 20th is chosen
    page.select_option("#f-contract_id", str(twentieth.pk))
    # then its day is disabled, marked "(obecny)", unticked, and the hint names it
    assert note.inner_text() == "Obecny dzień płatności umowy to 20: wybierz inny."
    assert checked_days(page) == [] and disabled_days(page) == ["20"]
    label = page.locator("label.radio", has=page.locator("input[value='20']")).inner_text()
    assert label.split() == ["20", "(obecny)"]
    page.check("input[name=data__payment_day][value='25']")

    # and back: every day can be chosen again, the one ticked stays ticked
    page.select_option("#f-contract_id", str(tenth.pk))
    assert note.inner_text() == "Obecny dzień płatności umowy to 10: wybierz inny."
    assert checked_days(page) == ["25"] and disabled_days(page) == []
    assert page.locator(".current-day-mark:visible").count() == 0


def test_the_value_change_offers_every_currency_the_chosen_contracts_preselected(page, client_user, acme):
    pln = ContractFactory(client=acme, currency="PLN")
    eur = ContractFactory(client=acme, currency="EUR")
    log_in(page, client_user)
    page.goto(f"/requests/new/contract_value_change/?contract={pln.pk}")
    currency = page.locator("#f-data__currency option")
    assert currency.all_inner_texts() == ["PLN", "EUR", "CHF"]
    assert page.locator("#f-data__currency").input_value() == "PLN"

    page.select_option("#f-contract_id", str(eur.pk))

    assert currency.all_inner_texts() == ["PLN", "EUR", "CHF"]
    assert page.locator("#f-data__currency").input_value() == "EUR"


@pytest.fixture
def page_in_new_york(browser, live_server):
    """A browser whose own clock is in New York: what it shows of a draft must still be Warsaw time."""
    context = browser.new_context(
        base_url=live_server.url, timezone_id="America/New_York", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("language", "saved", "resume"),
    [
        ("pl", "Szkic zapisany {time}", "Wznów szkic z {when}"),
        ("en", "Draft saved {time}", "Resume the draft of {when}"),
    ],
)
def test_a_drafts_times_are_warsaw_time_in_the_users_date_format(
    page_in_new_york, client_user, language, saved, resume
):
    client_user.language = language
    client_user.save(update_fields=["language"])
    page = page_in_new_york
    log_in(page, client_user)

    # when the client types and the draft is saved
    page.goto("/requests/new/complaint/")
    with page.expect_response(lambda r: "/api/drafts/" in r.url and r.request.method == "PUT"):
        page.fill("#f-data__subject", "Błędna faktura")
    draft = Draft.objects.get(user=client_user)
    # then the time said is the portal's local time of the save
    status = page.get_by_test_id("draft-status")
    status.filter(has_text=saved.format(time=format_time(draft.updated_at))).wait_for()
    assert timezone.localtime(draft.updated_at).strftime("%H:%M") == format_time(draft.updated_at)

    # and the offer on the next visit gives the date in the language's format, in local time
    page.goto("/requests/new/complaint/")
    offer = page.get_by_test_id("draft-offer")
    offer.wait_for()
    when = format_datetime(draft.updated_at, lang=language)
    assert resume.format(when=when) in offer.inner_text()
