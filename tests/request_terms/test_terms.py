"""Before submitting, the client sees each kind's fee and how long a decision usually takes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.requests_app.models import PortalRequest, RequestFee, RequestKind
from backend.requests_app.terms import MIN_DECISIONS, decision_times, request_terms

KIND = RequestKind.PAYMENT_DATE_CHANGE


@pytest.fixture
def decided(acme, client_user, acme_contract):
    """Make decided requests of KIND that took the given numbers of hours."""

    def make(*hours: float, days_ago: int = 1) -> None:
        now = timezone.now()
        for number, duration in enumerate(hours):
            decided_at = now - timedelta(days=days_ago)
            portal_request = PortalRequest.objects.create(
                number=f"W/T/{days_ago}/{number}/{duration}",
                type="contract",
                kind=KIND,
                client=acme,
                contract=acme_contract,
                submitted_by=client_user,
                contact_name="Anna",
                contact_phone="600000000",
                contact_email="anna@acme.pl",
                status="completed",
                decided_at=decided_at,
            )
            # created_at is auto_now_add: set it afterwards.
            PortalRequest.objects.filter(pk=portal_request.pk).update(
                created_at=decided_at - timedelta(hours=duration)
            )

    return make


def test_median_and_80th_percentile_from_the_last_90_days(decided):
    # given: ten decisions of 1..10 days, and old ones that must not count
    decided(*[24 * day for day in range(1, 11)])
    decided(24 * 100, 24 * 100, days_ago=120)

    # when
    time = decision_times()[KIND]

    # then
    assert time.count == 10
    assert time.median == timedelta(days=5)
    assert time.p80 == timedelta(days=8)


def test_below_the_minimum_there_is_no_data(decided):
    decided(*[24] * (MIN_DECISIONS - 1))
    assert KIND not in decision_times()
    assert request_terms()[KIND].decision_time is None


def test_the_wizard_shows_fee_and_expected_time_per_kind(client, client_user, decided):
    # given
    RequestFee.objects.create(kind=KIND, amount=Decimal("150.00"), note="netto + VAT")
    RequestFee.objects.create(kind=RequestKind.OTHER_REQUEST, amount=Decimal("0"))
    decided(*[36] * MIN_DECISIONS)
    client.force_login(client_user)

    # when
    body = client.get(reverse("request-new")).content.decode()

    # then
    assert "Opłata: 150,00\xa0zł (netto + VAT) · Decyzja zwykle w ciągu 2 dni (8 na 10 w ciągu 2 dni)" in body
    assert "Bez opłaty · Czas do decyzji: brak danych" in body


def test_the_catalogue_api_carries_the_terms(api_as, client_user, decided):
    # given
    RequestFee.objects.create(kind=KIND, amount=Decimal("99.99"))
    decided(*[12] * MIN_DECISIONS)

    # when
    types = api_as(client_user).get("/api/requests/catalogue/").json()

    # then
    kinds = {kind["kind"]: kind["terms"] for request_type in types for kind in request_type["kinds"]}
    assert kinds[KIND]["fee"] == "99.99"
    assert kinds[KIND]["decision_median_hours"] == 12.0
    assert kinds[KIND]["decisions_counted"] == MIN_DECISIONS
    assert kinds[RequestKind.OTHER_REQUEST]["fee"] is None
    assert kinds[RequestKind.OTHER_REQUEST]["decision_median_hours"] is None
