"""Moje konto offered an accountant (no requests, no messages) the e-mails about requests and answered
messages, which her role never gets: each client e-mail choice is now offered only to a user whose
companies let them use its area, and a user left with none is told why instead of an empty form."""

from __future__ import annotations

import pytest

from backend.clients.models import ClientMembership
from notifications.models import NotificationPreference
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST_CHOICES = ("email_stage_changed", "email_waiting_for_client", "email_decided", "email_reminder")


def _member(acme, role: str, grants: list[str] | None = None):
    user = UserFactory(email=f"{role}-{len(grants or [])}@acme.pl")
    MembershipFactory(user=user, client=acme, role=role, grants=grants or [])
    return user


def test_an_accountant_without_extra_rights_is_offered_no_request_or_message_emails(client, acme):
    client.force_login(_member(acme, "accountant"))

    html = client.get("/account/").content.decode()

    assert 'name="email_' not in html
    assert 'data-testid="no-email-choices"' in html
    assert "nie obejmuje wniosków ani wiadomości" in html


def test_an_accountant_granted_messages_is_offered_only_the_answered_message(client, acme):
    user = _member(acme, "accountant", [ClientMembership.Grant.MESSAGES])
    client.force_login(user)

    html = client.get("/account/").content.decode()

    assert 'name="email_message_answered"' in html
    assert not any(f'name="{name}"' in html for name in REQUEST_CHOICES)
    # saving it unticked (a browser sends the CSRF token alone) leaves the choices not offered as they were
    assert client.post("/account/", {"csrfmiddlewaretoken": "x"}).status_code == 302
    preference = NotificationPreference.objects.get(user=user)
    assert preference.email_message_answered is False
    assert preference.email_decided is True


def test_a_fleet_manager_keeps_every_client_choice(client, acme):
    client.force_login(_member(acme, "fleet_manager"))

    html = client.get("/account/").content.decode()

    assert all(f'name="{name}"' in html for name in (*REQUEST_CHOICES, "email_message_answered"))
