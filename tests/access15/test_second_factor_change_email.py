"""Every change a user makes to their own second factor (a new app, another phone, switching it off, new
recovery codes) is e-mailed to them at once, in their language: what changed, when, and what to do if it
was not them. Each e-mail is a delivery, like every account e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.second_factor import regenerate_recovery_codes
from notifications.models import Delivery
from tests.second_factor_helpers import code_for, code_of, enrol

pytestmark = pytest.mark.django_db
IF_NOT_YOU = "Jeśli to nie Ty, od razu zmień hasło i zadzwoń do naszego Biura Obsługi Klienta"


@pytest.fixture
def recovery_codes(client, client_user) -> list[str]:
    """client_user logged in (second factor met) with an app and recovery codes; no e-mail yet."""
    enrol(client_user)
    client.force_login(client_user)
    codes = regenerate_recovery_codes(client_user)
    mail.outbox.clear()
    return codes


def the_email_to(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    assert Delivery.objects.filter(recipient=user, template="second_factor_changed").count() == 1
    return message


def test_switching_off_is_emailed(client, client_user, recovery_codes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("second_factor_disable"), {"off-code": recovery_codes[0]})

    assert response.status_code == 302
    message = the_email_to(client_user)
    assert message.subject == "Zmiana logowania dwuetapowego na Twoim koncie"
    assert "logowanie dwuetapowe zostało wyłączone" in message.body
    assert IF_NOT_YOU in message.body
    assert "/account/security/" in message.body


def test_new_recovery_codes_are_emailed(
    client, client_user, recovery_codes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("second_factor_regenerate"), {"code": code_of(client_user)})

    assert response.status_code == 200
    assert "wygenerowano nowe kody zapasowe" in the_email_to(client_user).body


def test_another_phone_is_emailed_in_the_users_language(
    client, client_user, recovery_codes, django_capture_on_commit_callbacks
):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    assert client.post(reverse("second_factor_setup"), {"code": code_of(client_user)}).status_code == 302
    client.get(reverse("second_factor_setup"))
    new_device = TOTPDevice.objects.get(user=client_user, confirmed=False)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("second_factor_setup"), {"code": code_for(new_device)})

    assert done.status_code == 200
    message = the_email_to(client_user)
    assert message.subject == "Two-step login of your account has changed"
    assert "the authenticator app of your Client Portal account was replaced by a new one" in message.body
    assert "If it was not you, change your password at once" in message.body


def test_a_wrong_code_changes_nothing_and_sends_nothing(
    client, client_user, recovery_codes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("second_factor_disable"), {"off-code": "000000"})

    assert mail.outbox == []
