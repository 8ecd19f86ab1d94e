"""Konto → Bezpieczeństwo: "Wyloguj ze wszystkich innych urządzeń" ends every other session of the user
(this one stays), audited; and the texts a user meets around accounts and invitations."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from backend.core.models import AuditLog
from tests.factories import ClientFactory, MembershipFactory, UserFactory
from tests.second_factor_helpers import force_login_unverified

pytestmark = pytest.mark.django_db


def test_logging_out_everywhere_else_ends_the_other_sessions_only(client, client_user, other_client_user):
    # given: Anna is logged in on two other devices; Jan on his own
    elsewhere = [Client(), Client()]
    for device in elsewhere:
        device.force_login(client_user)
    jan = Client()
    jan.force_login(other_client_user)
    client.force_login(client_user)
    page = client.get(reverse("account-security")).content.decode()
    assert "Wyloguj ze wszystkich innych urządzeń" in page

    # when
    response = client.post(reverse("account_end_other_sessions"), follow=True)

    # then: the other devices are logged out, this one and Jan's stay; the count is said and audited
    assert "Wylogowano 2 inne sesje." in response.content.decode()
    for device in elsewhere:
        assert device.get("/account/").status_code == 302  # to the login page
    assert client.get("/account/").status_code == 200
    assert jan.get("/account/").status_code == 200
    assert AuditLog.objects.get(action="other_sessions_ended", user=client_user).detail["ended"] == 2

    again = client.post(reverse("account_end_other_sessions"), follow=True)
    assert "Nie było innych otwartych sesji." in again.content.decode()


def test_the_home_page_has_one_full_stop_after_a_company_name_ending_in_one(client, db):
    company = ClientFactory(name="Euronet Handel sp. z o.o.")
    user = UserFactory(email="ktos@euronet.pl", first_name="Ewa")
    MembershipFactory(user=user, client=company)
    client.force_login(user)

    body = client.get("/").content.decode()

    assert "Euronet Handel sp. z o.o</strong>." in body
    assert "o.o.</strong>." not in body and "o.o.." not in body


def test_a_password_like_the_email_is_refused_in_proper_polish(db):
    user = UserFactory(email="zielonyparasol@acme.pl")
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        validate_password("zielonyparasol", user)
    assert "Hasło jest zbyt podobne do adresu e-mail." in refused.value.messages


def test_accepting_an_invitation_says_so_in_a_neutral_sentence(client, acme, other_client_user):
    admin = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    api = APIClient()
    api.force_login(admin)
    invited = api.post(
        "/api/client/users/",
        {"email": other_client_user.email, "first_name": "Jan", "last_name": "Typowany", "role": "owner"},
        format="json",
    )

    client.force_login(other_client_user)
    page = client.post(f"/client/invitations/{invited.json()['id']}/accept/", follow=True).content.decode()

    assert f"Masz teraz dostęp do firmy {acme.name} i działasz w jej imieniu." in page
    assert "Dołączyłeś" not in page


def test_a_new_administrator_without_an_app_is_told_to_set_it_up_first(client, acme):
    admin = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    force_login_unverified(client, admin)

    answer = client.get("/api/client/")

    assert answer.status_code == 403 and answer.json()["code"] == "second_factor_required"
    message = answer.json()["message"]
    assert "Najpierw włącz logowanie dwuetapowe" in message and reverse("second_factor_setup") in message
    assert "potwierdź logowanie kodem" not in message.split(":")[0]
