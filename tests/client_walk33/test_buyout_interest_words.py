"""The quote's interest line in words that fit its count: "Odsetki za 0 dni od 10.02.2027" read oddly on a
quote that adds no interest (the termination on an installment's due date), and one day read "1 dni"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.contracts.models import BuyoutQuote
from backend.core.money import format_date
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def interest_line(client, client_user, contract, effective) -> tuple[BuyoutQuote, str]:
    web = logged_in(client, client_user)
    created = web.post(f"/contracts/{contract.pk}/buyout/", {"effective_date": effective.isoformat()})
    assert created.status_code == 302, created.content.decode()[:500]
    html = web.get(created["Location"]).content.decode()
    line = html.split('data-testid="quote-interest">', 1)[1].split("</p>", 1)[0]
    return BuyoutQuote.objects.latest("pk"), line


def test_a_termination_on_a_due_date_says_no_interest_is_added(client, client_user, acme_contract):
    soon = timezone.localdate() + timedelta(days=3)
    due = acme_contract.schedule_rows.filter(due_date__gte=soon).order_by("due_date").first().due_date

    quote, line = interest_line(client, client_user, acme_contract, due)

    assert quote.interest_days == 0
    assert (
        line
        == f"Bez odsetek: rozwiązanie przypada na {format_date(due)}, dzień, od którego liczono by odsetki (30E/360)."
    )


def test_days_of_interest_are_counted_in_polish_plurals(client, client_user, acme_contract):
    soon = timezone.localdate() + timedelta(days=3)
    due = acme_contract.schedule_rows.filter(due_date__gte=soon).order_by("due_date").first().due_date
    day_after = due + timedelta(days=1) if due.day not in (30, 31) else due + timedelta(days=3)

    quote, line = interest_line(client, client_user, acme_contract, day_after)

    word = "dzień" if quote.interest_days == 1 else "dni"
    assert quote.interest_days >= 1
    assert line == f"Odsetki za {quote.interest_days} {word} od {format_date(due)} (30E/360)."


def test_the_quotes_status_has_its_colour(client, client_user, acme_contract):
    # "Oferowana" was a bare grey pill, unlike every other status badge of the portal
    quote, _line = interest_line(
        client, client_user, acme_contract, timezone.localdate() + timedelta(days=20)
    )
    html = (
        logged_in(client, client_user)
        .get(f"/contracts/{acme_contract.pk}/buyout/{quote.pk}/")
        .content.decode()
    )

    assert '<span class="badge badge-quote-offered" data-testid="quote-status">Oferowana</span>' in html
