"""A client user who acts for no company is told why and what to do, on the pages and in the API alike:
suspended or removed by the company's administrator (naming the company), an invitation waiting (no
"access denied" under its banner), or never linked (customer service)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(acme) -> APIClient:
    admin = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    api = APIClient()
    api.force_login(admin)
    return api


def colleague_membership_id(admin_api, client_user) -> int:
    members = admin_api.get("/api/client/users/?page_size=50").json()["results"]
    return next(row["id"] for row in members if row["email"] == client_user.email)


def refusals(client, user) -> tuple[str, str]:
    """The home page and the API's answer to the logged-in `user` (their sessions are open)."""
    client.force_login(user)
    page = client.get("/")
    api = APIClient()
    api.force_login(user)
    answer = api.get("/api/client/")
    assert page.status_code == 403 and answer.status_code == 403
    return page.content.decode(), answer.json()["message"]


def test_a_suspended_colleague_is_told_who_suspended_access_to_which_company(
    client, admin_api, client_user, acme
):
    # when: the company's administrator suspends the logged-in colleague
    member_id = colleague_membership_id(admin_api, client_user)
    assert admin_api.post(f"/api/client/users/{member_id}/suspend/").status_code == 200

    # then
    page, message = refusals(client, client_user)
    expected = f"Twój dostęp do firmy {acme.name} został wstrzymany przez jej administratora"
    assert expected in page and expected in message
    assert (
        "Skontaktuj się z Biurem Obsługi Klienta" not in page and "nie jest jeszcze przypisane" not in message
    )
    assert "Dane klienta" not in page and "Pomoc" not in page  # no client page in the menu
    assert "Wróć do ekranu głównego" not in page  # it would lead back here


def test_a_removed_colleague_is_told_the_company_removed_access(client, admin_api, client_user, acme):
    member_id = colleague_membership_id(admin_api, client_user)
    assert admin_api.delete(f"/api/client/users/{member_id}/").status_code == 204

    page, message = refusals(client, client_user)
    expected = f"Twój dostęp do firmy {acme.name} został usunięty przez jej administratora"
    assert expected in page and expected in message


def test_a_withdrawn_invitation_names_no_company(client, admin_api, other_client_user, acme):
    # given: Jan (another company's user) is invited, then the invitation is withdrawn, then he leaves
    # his own company
    invited = admin_api.post(
        "/api/client/users/",
        {"email": other_client_user.email, "first_name": "Jan", "last_name": "Typowany", "role": "owner"},
        format="json",
    )
    assert admin_api.delete(f"/api/client/users/{invited.json()['id']}/").status_code == 204
    other_client_user.memberships.all().delete()

    page, message = refusals(client, other_client_user)
    assert acme.name not in page and acme.name not in message
    assert "nie jest jeszcze przypisane do żadnego klienta" in message


def test_an_invitation_waiting_shows_no_access_denied_box(client, admin_api, db):
    # given: someone linked to no company yet is invited
    person = UserFactory(email="nowy@inna.pl")
    assert admin_api.post(
        "/api/client/users/",
        {"email": person.email, "first_name": "Nowy", "last_name": "Ktoś", "role": "owner"},
        format="json",
    )

    # when
    page, message = refusals(client, person)

    # then: the banner asks to accept; no "Brak dostępu" box under it, no contact-BOK advice
    assert 'data-testid="invitation-accept"' in page
    assert 'data-testid="forbidden"' not in page and "Brak dostępu" not in page
    assert "Skontaktuj się z Biurem Obsługi Klienta" not in page
    assert "zaproszenie" in message and "zaakceptuj" in message
