"""The calendar feed follows each membership's role and contract set (backend/clients/access_rules.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from backend.calendar_feed.services import ensure_calendar_feed
from backend.clients.models import ClientMembership
from tests.factories import ContractFactory, MembershipFactory, UserFactory
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


def summaries(client, user) -> str:
    response = client.get(reverse("calendar-feed-ics", args=[ensure_calendar_feed(user=user).token]))
    assert response.status_code == 200
    return " ".join(str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT"))


def member(acme, email: str, role: str, *contracts) -> ClientMembership:
    membership = MembershipFactory(user=UserFactory(email=email), client=acme, role=role, all_contracts=False)
    membership.contracts.set(contracts)
    return membership


@pytest.fixture
def two_contracts(acme):
    return ContractFactory(client=acme, number="UL/2026/200001"), ContractFactory(
        client=acme, number="UL/2026/200002"
    )


@pytest.fixture
def waiting_request(api_as, client_user, bok_staff, two_contracts):
    """A request on the first contract that waits for the client's reply (a deadline in the feed)."""
    body = submission(
        "payment_date_change", contract=two_contracts[0], data={"payment_day": 20, "reason": "cash_flow"}
    )
    submitted = api_as(client_user).post("/api/requests/", body, format="json").json()
    staff_api = api_as(bok_staff)
    staff_api.post(f"/api/staff/requests/{submitted['id']}/claim/", format="json")
    asked = staff_api.post(
        f"/api/staff/requests/{submitted['id']}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    assert asked.status_code == 200, asked.json()
    return submitted["number"]


def test_limited_members_see_the_dates_of_their_contracts_only(client, acme, two_contracts, waiting_request):
    # given
    first, second = two_contracts
    fleet_first = member(acme, "flota1@acme.pl", "fleet_manager", first)
    fleet_second = member(acme, "flota2@acme.pl", "fleet_manager", second)
    accountant_first = member(acme, "ksiegowa@acme.pl", "accountant", first)

    # when
    seen_by_fleet_first = summaries(client, fleet_first.user)
    seen_by_fleet_second = summaries(client, fleet_second.user)
    seen_by_accountant = summaries(client, accountant_first.user)

    # then: installments of the own contracts; the request deadline only for a role with requests
    assert first.number in seen_by_fleet_first and second.number not in seen_by_fleet_first
    assert second.number in seen_by_fleet_second and first.number not in seen_by_fleet_second
    assert waiting_request in seen_by_fleet_first
    assert waiting_request not in seen_by_fleet_second
    assert first.number in seen_by_accountant
    assert waiting_request not in seen_by_accountant


def test_a_suspended_membership_empties_the_feed(client, acme, two_contracts):
    fleet = member(acme, "flota@acme.pl", "fleet_manager", two_contracts[0])
    assert two_contracts[0].number in summaries(client, fleet.user)

    ClientMembership.objects.filter(pk=fleet.pk).update(status=ClientMembership.Status.SUSPENDED)

    assert two_contracts[0].number not in summaries(client, fleet.user)
