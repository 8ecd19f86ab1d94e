"""A user of two companies sees, counts and marks only the notices of the company they act for."""

from __future__ import annotations

import pytest

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from notifications.models import Notice
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def notice(user, client_company, number: str) -> Notice:
    return Notice.objects.create(
        recipient=user,
        kind="request_waiting_for_client",
        client=client_company,
        subject_type="requests_app.portalrequest",
        subject_id=501,
        payload={"request_id": 501, "number": number, "stage": "Weryfikacja"},
    )


@pytest.fixture
def partner(client_user, other_company):
    """Anna acts for acme (her default) and also for the other company."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


@pytest.fixture
def notices(partner, acme, other_company):
    return notice(partner, acme, "WN/2026/000001"), notice(partner, other_company, "WN/2026/000002")


def acting_for(api, client_company):
    session = api.session
    session[ACTIVE_CLIENT_SESSION_KEY] = client_company.pk
    session.save()
    return api


def test_the_bell_lists_and_counts_the_notices_of_the_active_client_only(
    api_as, partner, other_company, notices
):
    acme_notice, other_notice = notices
    api = acting_for(api_as(partner), other_company)

    # when
    listed = api.get("/api/notices/")
    count = api.get("/api/notices/unread-count/")

    # then
    assert [n["id"] for n in listed.json()["results"]] == [other_notice.pk]
    assert "WN/2026/000001" not in listed.content.decode()
    assert count.json() == {"unread": 1}


def test_read_all_and_read_one_stay_within_the_active_client(api_as, partner, other_company, notices):
    acme_notice, other_notice = notices
    api = acting_for(api_as(partner), other_company)

    # when
    one = api.post(f"/api/notices/{acme_notice.pk}/read/")
    everything = api.post("/api/notices/read-all/")

    # then
    assert one.status_code == 404
    assert everything.json() == {"marked": 1}
    acme_notice.refresh_from_db()
    other_notice.refresh_from_db()
    assert acme_notice.read_at is None
    assert other_notice.read_at is not None


def test_a_notice_of_no_client_shows_for_every_client(api_as, partner, acme, other_company, notices):
    general = notice(partner, None, "")
    api = api_as(partner)

    # when
    for_acme = [n["id"] for n in acting_for(api, acme).get("/api/notices/").json()["results"]]
    for_other = [n["id"] for n in acting_for(api, other_company).get("/api/notices/").json()["results"]]

    # then
    assert for_acme == [general.pk, notices[0].pk]
    assert for_other == [general.pk, notices[1].pk]
