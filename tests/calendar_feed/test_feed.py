"""The calendar feed: a secret .ics address per user with the dates of the user's own clients only."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from backend.calendar_feed.services import ensure_calendar_feed
from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest, RequestStatus
from tests.factories import InsurancePolicyFactory, MembershipFactory, UserFactory
from tests.requests_app.helpers import submission


def feed_url(user) -> str:
    return reverse("calendar-feed-ics", args=[ensure_calendar_feed(user=user).token])


def events_of(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    return list(calendar.walk("VEVENT"))


def test_feed_lists_unpaid_installments_policy_and_contract_ends_of_the_users_client(
    client, client_user, acme, acme_contract
):
    # given
    policy = InsurancePolicyFactory(contract=acme_contract)
    next_row = acme_contract.schedule_rows.filter(paid=False).order_by("due_date").first()

    # when
    events = events_of(client.get(feed_url(client_user)))

    # then: all-day events with stable, unique UIDs and the portal's money format
    summaries = [str(event["SUMMARY"]) for event in events]
    installment = next(e for e in events if str(e["UID"]).startswith(f"installment-{next_row.pk}@"))
    assert installment.decoded("DTSTART") == next_row.due_date
    assert isinstance(installment.decoded("DTSTART"), date)
    assert f"Rata {next_row.number} umowy {acme_contract.number}" in str(installment["SUMMARY"])
    assert "zł" in str(installment["SUMMARY"])
    assert any(f"Polisa {policy.number}" in summary for summary in summaries)
    assert len({str(event["UID"]) for event in events}) == len(events)
    assert f"/contracts/{acme_contract.pk}/" in str(installment["URL"])
    paid = set(acme_contract.schedule_rows.filter(paid=True).values_list("pk", flat=True))
    assert not [e for e in events if any(str(e["UID"]).startswith(f"installment-{pk}@") for pk in paid)]


def test_feed_never_shows_another_clients_dates(client, client_user, acme_contract, other_contract):
    events = events_of(client.get(feed_url(client_user)))
    text = " ".join(str(event["SUMMARY"]) for event in events)
    assert acme_contract.number in text
    assert other_contract.number not in text


def test_a_revoked_membership_empties_the_feed_at_once(client, client_user, acme_contract):
    url = feed_url(client_user)
    client_user.memberships.all().delete()
    assert events_of(client.get(url)) == []


def test_a_request_waiting_for_the_clients_reply_has_its_deadline(
    client, api_as, client_user, bok_staff, acme_contract
):
    # given: staff asked the client a question
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    submitted = api_as(client_user).post("/api/requests/", body, format="json").json()
    staff_api = api_as(bok_staff)
    staff_api.post(f"/api/staff/requests/{submitted['id']}/claim/", format="json")
    asked = staff_api.post(
        f"/api/staff/requests/{submitted['id']}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    assert asked.status_code == 200, asked.json()
    portal_request = PortalRequest.objects.get(pk=submitted["id"])
    assert portal_request.status == RequestStatus.WAITING_FOR_CLIENT

    # when
    events = events_of(client.get(feed_url(client_user)))

    # then
    deadline = next(e for e in events if str(e["UID"]).startswith(f"request-{portal_request.pk}-"))
    assert portal_request.number in str(deadline["SUMMARY"])
    assert deadline.decoded("DTSTART") > date.today()


def test_regenerating_retires_the_old_address_and_is_audited(client, client_user, acme_contract):
    # given
    old_url = feed_url(client_user)
    client.force_login(client_user)

    # when
    response = client.post(reverse("calendar-page"))

    # then
    assert response.status_code == 302
    assert client.get(old_url).status_code == 404
    new_url = feed_url(client_user)
    assert new_url != old_url
    assert client.get(new_url).status_code == 200
    assert AuditLog.objects.filter(action="calendar_feed_regenerated", user=client_user).count() == 1


@pytest.mark.parametrize("token", ["unknown", "x" * 65, "../../etc"])
def test_unknown_addresses_are_not_found(client, db, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_an_inactive_users_feed_is_not_found(client, client_user, acme_contract):
    url = feed_url(client_user)
    client_user.is_active = False
    client_user.save()
    assert client.get(url).status_code == 404


def test_feed_is_in_the_users_language(client, acme, acme_contract):
    user = UserFactory(email="john@acme.pl", language="en")
    MembershipFactory(user=user, client=acme)
    summaries = [str(event["SUMMARY"]) for event in events_of(client.get(feed_url(user)))]
    assert any(summary.startswith("Installment ") for summary in summaries)


def test_calendar_page_shows_the_secret_address_to_its_owner_only(client, client_user, bok_staff, acme):
    # given
    client.force_login(client_user)

    # when
    page = client.get(reverse("calendar-page"))

    # then
    assert page.status_code == 200
    assert feed_url(client_user) in page.content.decode()
    client.force_login(bok_staff)
    assert client.get(reverse("calendar-page")).status_code == 403


def test_my_account_links_to_the_calendar_page(client, client_user, acme):
    client.force_login(client_user)
    assert reverse("calendar-page") in client.get(reverse("account-page")).content.decode()
