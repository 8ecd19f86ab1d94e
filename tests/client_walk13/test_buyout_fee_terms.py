"""The "New request" tile of a buyout says what it costs: the early termination fee the quote charges,
as a percentage of the capital remaining, from the same setting the quote reads (BUYOUT_FEE_PERCENT),
not "No fee" from the request's zero processing fee."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.requests_app.models import RequestFee, RequestKind
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def buyout_terms(client) -> str:
    html = client.get(reverse("request-new")).content.decode()
    match = re.search(r'<p class="kind-terms muted" id="terms-early_termination">(.*?)</p>', html, re.S)
    return visible_text(match.group(1)).strip()


def test_the_buyout_tile_names_the_early_termination_fee_in_polish(client, client_user):
    assert RequestFee.objects.get(kind=RequestKind.EARLY_TERMINATION).amount == Decimal("0.00")

    terms = buyout_terms(logged_in(client, client_user))

    assert terms.startswith("Opłata za wcześniejsze zakończenie: 2,00% kapitału pozostałego")
    assert "Bez opłaty" not in terms


def test_the_buyout_tile_names_the_early_termination_fee_in_english(client, client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    terms = buyout_terms(logged_in(client, client_user))

    assert terms.startswith("Early termination fee: 2.00% of the capital remaining")
    assert "No fee" not in terms


def test_the_tile_and_the_quote_read_one_percentage(client, client_user, api_as, acme_contract, settings):
    settings.BUYOUT_FEE_PERCENT = "3.50"
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()

    quote = api_as(client_user).post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/", {"effective_date": effective}, format="json"
    )

    assert quote.status_code == 201, quote.json()
    assert Decimal(quote.json()["fee_percent"]) == Decimal("3.50")
    assert "3,50% kapitału pozostałego" in buyout_terms(logged_in(client, client_user))
    catalogue = api_as(client_user).get("/api/requests/catalogue/").json()
    kinds = {kind["kind"]: kind["terms"] for request_type in catalogue for kind in request_type["kinds"]}
    assert "3,50% kapitału pozostałego" in kinds[RequestKind.EARLY_TERMINATION]["fee_text"]


def test_other_kinds_keep_their_fee_texts(client, client_user):
    RequestFee.objects.update_or_create(kind=RequestKind.OTHER_REQUEST, defaults={"amount": Decimal("0")})
    RequestFee.objects.update_or_create(
        kind=RequestKind.PAYMENT_DATE_CHANGE, defaults={"amount": Decimal("1500.00"), "note": ""}
    )
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    html = logged_in(client, client_user).get(reverse("request-new")).content.decode()

    assert "No fee" in visible_text(html)
    # the fee in English is written the English way, like every amount of the English pages
    assert "Fee: 1,500.00\xa0PLN" in html
