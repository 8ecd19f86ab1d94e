"""Notices of a client the user no longer belongs to are neither listed, counted nor opened."""

from __future__ import annotations

import pytest

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
def revoked(client_user, acme, other_company):
    """Anna had notices of acme and of the other company; then her acme membership was revoked."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    kept = notice(client_user, other_company, "WN/2026/000002")
    gone = notice(client_user, acme, "WN/2026/000001")
    client_user.memberships.filter(client=acme).delete()
    return kept, gone


def test_the_list_shows_only_notices_of_current_clients(api_as, client_user, revoked):
    kept, gone = revoked

    # when
    listed = api_as(client_user).get("/api/notices/")
    unread_only = api_as(client_user).get("/api/notices/", {"unread": "1"})

    # then
    assert listed.status_code == 200
    assert [n["id"] for n in listed.json()["results"]] == [kept.pk]
    assert [n["id"] for n in unread_only.json()["results"]] == [kept.pk]
    assert "WN/2026/000001" not in listed.content.decode()


def test_the_unread_count_ignores_notices_of_former_clients(api_as, client_user, revoked):
    # when
    response = api_as(client_user).get("/api/notices/unread-count/")

    # then
    assert response.status_code == 200
    assert response.json() == {"unread": 1}


def test_a_former_clients_notice_cannot_be_opened_or_marked(api_as, client_user, revoked):
    kept, gone = revoked
    api = api_as(client_user)

    # when
    one = api.post(f"/api/notices/{gone.pk}/read/")
    everything = api.post("/api/notices/read-all/")

    # then
    assert one.status_code == 404
    assert one.json()["code"] == "not_found"
    assert everything.json() == {"marked": 1}
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.read_at is None
    assert kept.read_at is not None


def test_a_renewed_membership_shows_the_notices_again(api_as, client_user, acme, revoked):
    _kept, gone = revoked

    # when: acme again, which she then acts for (first by name)
    MembershipFactory(user=client_user, client=acme, is_default=False)

    # then: acme's notice is back; the other company's shows where she acts for it
    listed = api_as(client_user).get("/api/notices/")
    assert [n["id"] for n in listed.json()["results"]] == [gone.pk]
    assert api_as(client_user).get("/api/notices/unread-count/").json() == {"unread": 1}
