"""Two channels for an invited colleague: the link by e-mail, the one-time code shown once to the admin."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from backend.accounts.activation import activation_url
from backend.accounts.models import ActivationCode, User
from backend.clients.members import MemberAudit
from backend.core.models import AuditLog
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Zielony-Parasol-2026"


def invite_body(**overrides) -> dict:
    return {
        "email": "nowa.osoba@acme.pl",
        "first_name": "Nowa",
        "last_name": "Osoba",
        "role": "owner",
        **overrides,
    }


def activate(client, user: User, code: str):
    path = re.sub(r"^https?://[^/]+", "", activation_url(user))
    form = client.get(path)["Location"]
    return client.post(
        form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "activation_code": code}
    )


def test_the_invitation_returns_the_code_once_and_mails_only_the_link(
    admin_api, admin_membership, client, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post("/api/client/users/", invite_body(), format="json")

    # then: the code is in the answer, never in the e-mail, and stored only as a hash
    assert response.status_code == 201
    code = response.json()["activation_code"]
    assert len(code) == 8
    user = User.objects.get(email="nowa.osoba@acme.pl")
    record = ActivationCode.objects.get(user=user)
    assert code not in record.code_hash and record.issued_by == admin_membership.user
    (message,) = mail.outbox
    assert "/activate/" in message.body and code not in message.body
    assert "kod aktywacyjny" in message.body  # tells the person a code is needed and who gives it
    assert "Adam Admin" in message.body
    listed = admin_api.get("/api/client/users/").json()
    assert code not in str(listed)

    # when: the new person uses the link with the code handed over
    done = activate(client, user, code)

    # then
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_link_alone_does_not_activate(admin_api, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_api.post("/api/client/users/", invite_body(), format="json")
    user = User.objects.get(email="nowa.osoba@acme.pl")

    refused = activate(client, user, "AAAAAAAA")

    assert refused.status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_someone_with_a_password_gets_no_code(admin_api, other_company, django_capture_on_commit_callbacks):
    # given: a person already active for another company
    existing = UserFactory(email="ewa@inna.pl")
    MembershipFactory(user=existing, client=other_company)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post("/api/client/users/", invite_body(email=existing.email), format="json")

    # then
    assert response.status_code == 201
    assert response.json()["activation_code"] == ""
    assert not ActivationCode.objects.filter(user=existing).exists()
    assert "/login/" in mail.outbox[0].body and "kod aktywacyjny" not in mail.outbox[0].body


def test_the_page_shows_the_code_once_after_inviting(
    client, admin_membership, django_capture_on_commit_callbacks
):
    # given
    client.force_login(admin_membership.user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/client/users/", {**invite_body(), "role": "owner"})
    again = client.get("/client/users/")

    # then: the answer to the POST shows the code; the users page never does
    assert response.status_code == 200
    page = response.content.decode()
    code = re.search(r'data-testid="activation-code">([A-Z0-9]{8})<', page).group(1)
    user = User.objects.get(email="nowa.osoba@acme.pl")
    assert ActivationCode.objects.get(user=user).used_at is None
    assert code not in again.content.decode()
    assert code not in mail.outbox[0].body
    assert 'data-testid="member-new-code"' in again.content.decode()  # not activated yet: a new code


def test_a_new_code_voids_the_old_one_and_is_audited(
    admin_api, client, acme, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        invited = admin_api.post("/api/client/users/", invite_body(), format="json").json()
    first = invited["activation_code"]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(f"/api/client/users/{invited['id']}/activation/")

    # then
    assert response.status_code == 200
    second = response.json()["activation_code"]
    assert second != first and len(mail.outbox) == 2
    user = User.objects.get(email="nowa.osoba@acme.pl")
    assert activate(client, user, first).status_code == 200  # refused: replaced
    assert activate(client, user, second).status_code == 302
    history = admin_api.get("/api/client/users/history/").json()["results"]
    assert MemberAudit.ACTIVATION_REISSUED in {row["action"] for row in history}
    assert second not in str(AuditLog.objects.values_list("detail", flat=True))


def test_no_new_code_for_an_activated_member_nor_from_a_non_admin(admin_api, acme, client_user):
    # given
    membership = client_user.memberships.get(client=acme)
    colleague = APIClient()
    colleague.force_login(client_user)

    # when
    activated = admin_api.post(f"/api/client/users/{membership.pk}/activation/")
    not_admin = colleague.post(f"/api/client/users/{membership.pk}/activation/")

    # then
    assert activated.status_code == 400
    assert set(activated.json()) == {"code", "message", "fields"}
    assert not_admin.status_code == 403
    assert not ActivationCode.objects.filter(user=client_user).exists()


def test_another_companys_member_is_not_found(admin_api, other_company):
    stranger = UserFactory(email="obcy@inna.pl")
    stranger.set_unusable_password()
    stranger.save()
    foreign = MembershipFactory(user=stranger, client=other_company)

    response = admin_api.post(f"/api/client/users/{foreign.pk}/activation/")

    assert response.status_code == 404
    assert not ActivationCode.objects.filter(user=stranger).exists()
