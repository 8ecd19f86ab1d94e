"""Inviting someone who has an account already (a user of another company): the company learns nothing of
that account, and the person joins only by accepting after logging in (API and pages alike)."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.clients.members import MemberAudit
from backend.clients.models import ClientMembership
from backend.core.models import AuditLog
from tests.logged_in_clients import api_client_as

pytestmark = pytest.mark.django_db
TYPED = {"email": "JAN.NOWAK@inna.pl", "first_name": "Janek", "last_name": "Wpisany"}


@pytest.fixture
def invited(admin_api, other_client_user, django_capture_on_commit_callbacks) -> dict:
    """ACME's administrator invites Jan Nowak, an active user of another company; returns the 201 body."""
    other_client_user.last_login = "2026-11-01T10:00:00+01:00"
    other_client_user.save(update_fields=["last_login"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post("/api/client/users/", {**TYPED, "role": "owner"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_the_answer_shows_only_what_the_administrator_typed(invited, other_client_user):
    # then: not the account's real name, activation or last login
    assert invited["email"] == "jan.nowak@inna.pl"
    assert (invited["first_name"], invited["last_name"]) == ("Janek", "Wpisany")
    assert invited["last_login"] is None
    assert invited["activated"] is False
    assert invited["activation_code"] == ""
    assert invited["status"] == "invited"
    assert "Nowak" not in str(invited) and "Jan" not in (invited["first_name"], invited["last_name"])


def test_the_list_and_the_page_show_the_typed_data_until_the_person_accepts(
    admin_api, admin_membership, client, invited
):
    listed = {row["id"]: row for row in admin_api.get("/api/client/users/").json()["results"]}
    assert listed[invited["id"]]["last_name"] == "Wpisany" and listed[invited["id"]]["last_login"] is None

    client.force_login(admin_membership.user)
    page = client.get("/client/users/").content.decode()
    assert "Janek Wpisany" in page and "Nowak" not in page
    assert "Zaproszony, jeszcze nie zaakceptował" in page


def test_an_invited_person_has_no_access_until_accepting(invited, other_client_user, acme):
    # when
    api = api_client_as(other_client_user)
    companies = api.get("/api/client/companies/").json()
    switched = api.post("/api/client/companies/switch/", {"client_id": acme.pk}, format="json")

    # then
    assert acme.name not in str(companies)
    assert switched.status_code == 404


def test_the_invited_person_is_told_by_email_to_log_in_and_accept(invited, other_client_user):
    (message,) = [m for m in mail.outbox if m.to == [other_client_user.email]]
    assert "/login/" in message.body and "/activate/" not in message.body
    assert "zaakceptować" in message.body


def test_accepting_in_the_api_joins_the_company(invited, other_client_user, acme, admin_api):
    # given: the invitation is waiting for the person
    api = api_client_as(other_client_user)
    (waiting,) = api.get("/api/client/invitations/").json()
    assert waiting["client_name"] == acme.name

    # when
    accepted = api.post(f"/api/client/invitations/{waiting['id']}/accept/")

    # then
    assert accepted.status_code == 200
    membership = ClientMembership.objects.get(pk=waiting["id"])
    assert membership.status == ClientMembership.Status.ACTIVE
    assert api.post("/api/client/companies/switch/", {"client_id": acme.pk}, format="json").status_code == 200
    row = admin_api.get("/api/client/users/?page_size=50").json()["results"]
    assert {"Jan", "Nowak"} <= {value for r in row for value in (r["first_name"], r["last_name"])}
    assert AuditLog.objects.filter(action=MemberAudit.ACCEPTED, user=other_client_user).exists()


def test_declining_on_the_page_removes_the_invitation(client, invited, other_client_user, acme):
    # given: every page shows the invitation with its two buttons
    client.force_login(other_client_user)
    home = client.get("/", follow=True).content.decode()
    assert 'data-testid="invitation-accept"' in home and acme.name in home

    # when
    response = client.post(f"/client/invitations/{invited['id']}/decline/")

    # then
    assert response.status_code == 302
    assert not ClientMembership.objects.filter(pk=invited["id"]).exists()
    assert AuditLog.objects.filter(action=MemberAudit.DECLINED).exists()


def test_accepting_on_the_page_switches_to_the_company(client, invited, other_client_user, acme):
    client.force_login(other_client_user)

    response = client.post(f"/client/invitations/{invited['id']}/accept/", follow=True)

    assert response.status_code == 200
    assert response.context["active_client"] == acme


def test_nobody_else_answers_an_invitation(invited, client_user, admin_api):
    stranger = api_client_as(client_user)

    assert stranger.post(f"/api/client/invitations/{invited['id']}/accept/").status_code == 404
    assert ClientMembership.objects.get(pk=invited["id"]).status == ClientMembership.Status.INVITED


def test_the_administrator_cannot_decide_for_the_invited_person(admin_api, invited):
    # when
    resumed = admin_api.post(f"/api/client/users/{invited['id']}/resume/")
    suspended = admin_api.post(f"/api/client/users/{invited['id']}/suspend/")
    new_code = admin_api.post(f"/api/client/users/{invited['id']}/activation/")

    # then: one answer for all three, naming nothing about the account
    for response in (resumed, suspended, new_code):
        assert response.status_code == 400
        assert response.json()["message"] == "Ta osoba nie przyjęła jeszcze zaproszenia."
    assert ClientMembership.objects.get(pk=invited["id"]).status == ClientMembership.Status.INVITED


def test_a_staff_address_cannot_be_invited_and_the_reason_is_not_named(admin_api, bok_staff):
    response = admin_api.post(
        "/api/client/users/",
        {"email": bok_staff.email, "first_name": "X", "last_name": "Y", "role": "owner"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["email"] == ["Tego adresu nie można zaprosić."]
