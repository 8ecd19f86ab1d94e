"""The company's history names an invited person who answers their own invitation as its administrator
typed them, never by the account's own name, and the history never hands out the account's id."""

from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, UserFactory
from tests.logged_in_clients import api_client_as

pytestmark = pytest.mark.django_db
TYPED = {"email": "jan.nowak@inna.pl", "first_name": "Jan", "last_name": "Typowany"}


@pytest.fixture
def admin(acme):
    user = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin")
    MembershipFactory(user=user, client=acme, is_admin=True)
    return user


@pytest.fixture
def invitation_id(admin, other_client_user) -> int:
    """ACME's administrator invites Jan Nowak (another company's user), typing the name "Jan Typowany"."""
    response = api_client_as(admin).post("/api/client/users/", {**TYPED, "role": "owner"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize("answer", ["decline", "accept"])
def test_the_invitees_answer_shows_the_typed_name_on_the_page_and_in_the_api(
    client, admin, other_client_user, invitation_id, answer
):
    # when: Jan answers the invitation on the page
    client.force_login(other_client_user)
    assert client.post(f"/client/invitations/{invitation_id}/{answer}/").status_code == 302

    # then: the company's history says "Jan Typowany", never the account's "Jan Nowak" nor its id
    client.force_login(admin)
    page = client.get("/client/users/").content.decode()
    history = page.split('data-testid="member-history"')[1].split("</table>")[0]
    assert "Jan Typowany" in history and "Jan Nowak" not in history
    rows = api_client_as(admin).get("/api/client/users/history/").json()["results"]
    (answered,) = [row for row in rows if row["action"].endswith(("accepted", "declined"))]
    assert answered["actor"] == "Jan Typowany"
    assert all("member_user_id" not in row["detail"] for row in rows)
