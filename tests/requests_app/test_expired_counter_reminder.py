"""The day-14 reminder of an early termination request waiting for the client's answer to a counter-offer:
once the counter-offer's date has passed it says the offer expired and what the client can do next,
instead of asking for an answer the client can no longer give (accepting it is refused)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from backend.contracts.models import BuyoutQuote
from backend.requests_app.timers import sweep_due_timers
from tests.factories import ContractFactory
from tests.requests_app.test_early_termination import make_quote, request_from

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
COUNTERED_AT = datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)


def countered_request(api_as, client_user, bok_staff, acme) -> tuple[int, dict]:
    # The contract is made on the pinned day: one made on the real day has every installment due before
    # it paid, and from January 2027 a paid one after the quote's date refuses the quote.
    contract = ContractFactory(client=acme)
    client_api = api_as(client_user)
    quote = make_quote(client_api, contract, days=40)
    submitted = request_from(client_api, contract, quote)
    countered = api_as(bok_staff).post(
        f"/api/staff/requests/{submitted['id']}/buyout-counter/",
        {"total": "50000.00", "reason": "Rabat za terminowe płatności"},
        format="json",
    )
    assert countered.status_code == 200, countered.json()
    return submitted["id"], quote


def remind(traveller, capture) -> None:
    """Day 14 of the client's wait: the process's reminder timer fires and its e-mail goes."""
    mail.outbox.clear()
    traveller.move_to(COUNTERED_AT + timedelta(days=14, minutes=1))
    with capture(execute=True):
        assert sweep_due_timers() == 1


def reminder_notice(api, request_id: int) -> dict:
    notices = api.get("/api/notices/").json()["results"]
    return next(
        n for n in notices if n["kind"] == "request.reminder" and n["payload"]["request_id"] == request_id
    )


def test_the_reminder_of_an_expired_counter_offer_says_so_and_what_comes_next(
    api_as, client_user, bok_staff, acme, settings, django_capture_on_commit_callbacks
):
    # given a counter-offer valid for 7 days (until 7.12.2026), unanswered
    settings.BUYOUT_QUOTE_VALID_DAYS = 7
    with time_machine.travel(COUNTERED_AT, tick=False) as traveller:
        request_id, quote = countered_request(api_as, client_user, bok_staff, acme)
        assert BuyoutQuote.objects.get(pk=quote["id"]).counter_valid_until.isoformat() == "2026-12-07"

        # when the day-14 reminder comes
        remind(traveller, django_capture_on_commit_callbacks)

        # then its e-mail says the offer expired and how to go on, and asks no acceptance
        (reminder,) = [m for m in mail.outbox if client_user.email in m.to]
        body = " ".join(reminder.body.split())
        assert reminder.subject.startswith("Przypomnienie: kontroferta we wniosku")
        assert "wygasła" in reminder.subject
        assert "wygasła 07.12.2026 i nie można jej już przyjąć" in body
        assert "poproś o nową ofertę" in body and "odrzuć kontrofertę" in body
        assert "bez odpowiedzi wniosek zostanie anulowany 30.12.2026." in body.lower()
        assert "Nadal czekamy na Twoją odpowiedź" not in body
        # and so does the portal's notice
        notice = reminder_notice(api_as(client_user), request_id)
        assert "kontroferta" in notice["title"] and "wygasła 07.12.2026" in notice["title"]


def test_the_reminder_of_a_counter_offer_still_valid_asks_for_the_answer(
    api_as, client_user, bok_staff, acme, settings, django_capture_on_commit_callbacks
):
    # given a counter-offer valid for 14 days: on day 14 it can still be accepted
    settings.BUYOUT_QUOTE_VALID_DAYS = 14
    with time_machine.travel(COUNTERED_AT, tick=False) as traveller:
        request_id, _quote = countered_request(api_as, client_user, bok_staff, acme)

        remind(traveller, django_capture_on_commit_callbacks)

        (reminder,) = [m for m in mail.outbox if client_user.email in m.to]
        assert "wygasła" not in reminder.subject + reminder.body
        assert "Nadal czekamy na Twoją odpowiedź" in " ".join(reminder.body.split())
        assert "wygasła" not in reminder_notice(api_as(client_user), request_id)["title"]
