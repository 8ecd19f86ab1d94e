"""Aktywacja klientów: customer service issue a client user's activation link and one-time code (shown once)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from backend.accounts.activation_code import check_activation_code
from backend.accounts.models import ActivationCode, User
from backend.core.models import AuditLog
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(acme) -> User:
    user = UserFactory(email="nowy@acme.pl", first_name="Jan", last_name="Nowy")
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, client=acme)
    return user


def test_staff_find_the_user_and_issue_a_code_shown_once(
    client, bok_staff, newcomer, acme, django_capture_on_commit_callbacks
):
    # given
    client.force_login(bok_staff)

    # when: staff search by the company's name and issue the code
    found = client.get("/staff/client-users/", {"q": "ACME"})
    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post(f"/staff/client-users/{newcomer.pk}/activation/")

    # then
    assert found.status_code == 200
    listing = found.content.decode()
    assert newcomer.email in listing and f"/staff/client-users/{newcomer.pk}/activation/" in listing
    assert issued.status_code == 200
    code = re.search(r'data-testid="activation-code">([A-Z0-9]{8})<', issued.content.decode()).group(1)
    (message,) = mail.outbox
    assert message.to == [newcomer.email] and "/activate/" in message.body and code not in message.body
    audit = AuditLog.objects.get(action="activation_code_issued")
    assert audit.user == bok_staff and code not in str(audit.detail)
    assert ActivationCode.objects.get(user=newcomer).issued_by == bok_staff
    assert code not in client.get("/staff/client-users/", {"q": "ACME"}).content.decode()
    assert check_activation_code(newcomer, code) is None  # the code works (and is used up)


def test_an_activated_user_gets_no_code_and_no_button(client, bok_staff, client_user):
    client.force_login(bok_staff)

    listing = client.get("/staff/client-users/", {"q": client_user.email}).content.decode()
    refused = client.post(f"/staff/client-users/{client_user.pk}/activation/")

    assert client_user.email in listing
    assert f"/staff/client-users/{client_user.pk}/activation/" not in listing
    assert refused.status_code == 302
    assert not ActivationCode.objects.filter(user=client_user).exists()
    assert mail.outbox == []


def test_staff_users_are_not_issued_codes_here(client, bok_staff):
    other = UserFactory(email="kolega@leasing.example", role=User.Role.STAFF)
    other.set_unusable_password()
    other.save()
    client.force_login(bok_staff)

    response = client.post(f"/staff/client-users/{other.pk}/activation/")

    assert response.status_code == 404
    assert not ActivationCode.objects.filter(user=other).exists()


def test_only_customer_service_and_admins_issue_codes(client, newcomer, client_user):
    analyst = UserFactory(email="analityk@leasing.example", role=User.Role.ANALYST)
    admin = UserFactory(email="szef@leasing.example", role=User.Role.ADMIN)

    client.force_login(analyst)
    analyst_page = client.get("/staff/client-users/", {"q": "nowy"})
    analyst_post = client.post(f"/staff/client-users/{newcomer.pk}/activation/")
    analyst_nav = client.get("/staff/").content.decode()
    client.force_login(client_user)
    client_post = client.post(f"/staff/client-users/{newcomer.pk}/activation/")
    client.force_login(admin)
    admin_nav = client.get("/staff/").content.decode()

    assert analyst_page.status_code == analyst_post.status_code == client_post.status_code == 403
    assert not ActivationCode.objects.filter(user=newcomer).exists()
    assert 'href="/staff/client-users/"' not in analyst_nav
    assert 'href="/staff/client-users/"' in admin_nav


def test_short_queries_list_nobody(client, bok_staff, newcomer):
    client.force_login(bok_staff)

    body = client.get("/staff/client-users/", {"q": "no"}).content.decode()

    assert newcomer.email not in body
