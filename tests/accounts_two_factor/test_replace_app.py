"""Konto → Bezpieczeństwo: moving to another phone and switching the second step off need the current code
(the app's or a recovery code), like new recovery codes; the session alone is not enough."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.second_factor import regenerate_recovery_codes
from backend.core.models import AuditLog
from tests.second_factor_helpers import code_for, code_of, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def recovery_codes(client, client_user) -> list[str]:
    """client_user logged in (second factor met) with an app and recovery codes."""
    enrol(client_user)
    client.force_login(client_user)
    return regenerate_recovery_codes(client_user)


def test_another_phone_asks_for_the_current_code_before_showing_a_new_key(
    client, client_user, recovery_codes
):
    old_device = TOTPDevice.objects.get(user=client_user, confirmed=True)

    # when: the session opens "Move to another phone" and posts a wrong code
    first = client.get(reverse("second_factor_setup"))
    wrong = client.post(reverse("second_factor_setup"), {"code": "000000"})

    # then: no new key is shown, the wrong code is marked next to the field and counted; the old app stays
    assert first.status_code == 200
    assert 'id="confirm-current-code"' in first.content.decode()
    assert "second-factor-qr" not in first.content.decode()
    assert wrong.status_code == 400
    body = wrong.content.decode()
    assert "Kod jest nieprawidłowy." in body.split('id="err_code"')[1]
    assert "second-factor-qr" not in body
    assert AuditLog.objects.get(action="second_factor_failed").detail["purpose"] == "replace_app"
    assert not TOTPDevice.objects.filter(user=client_user, confirmed=False).exists()
    assert TOTPDevice.objects.filter(user=client_user, confirmed=True).get() == old_device


def test_the_current_code_leads_to_the_new_apps_key_and_the_new_app_replaces_the_old(
    client, client_user, recovery_codes
):
    confirmed = client.post(reverse("second_factor_setup"), {"code": code_of(client_user)})
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("second_factor_setup")

    page = client.get(reverse("second_factor_setup")).content.decode()
    assert "second-factor-qr" in page and 'id="replacing-note"' in page
    new_device = TOTPDevice.objects.get(user=client_user, confirmed=False)
    done = client.post(reverse("second_factor_setup"), {"code": code_for(new_device)})

    assert done.status_code == 200
    assert list(TOTPDevice.objects.filter(user=client_user, confirmed=True)) == [new_device]
    # a second replacement needs the (new) current code again
    assert 'id="confirm-current-code"' in client.get(reverse("second_factor_setup")).content.decode()


def test_a_lost_phone_is_replaced_with_a_recovery_code_used_up(client, client_user, recovery_codes):
    used = recovery_codes[0]

    assert client.post(reverse("second_factor_setup"), {"code": used}).status_code == 302
    assert "second-factor-qr" in client.get(reverse("second_factor_setup")).content.decode()

    client.session.flush()
    client.force_login(client_user)
    again = client.post(reverse("second_factor_setup"), {"code": used})
    assert again.status_code == 400  # used up


def test_switching_off_needs_the_current_code(client, client_user, recovery_codes):
    page = client.get(reverse("account-security")).content.decode()
    assert 'name="off-code"' in page

    refused = client.post(reverse("second_factor_disable"), {"off-code": "000000"})

    assert refused.status_code == 400
    assert "Kod jest nieprawidłowy." in refused.content.decode().split('id="err_off_code"')[1]
    assert TOTPDevice.objects.filter(user=client_user, confirmed=True).exists()
    assert AuditLog.objects.get(action="second_factor_failed").detail["purpose"] == "disable"

    switched_off = client.post(reverse("second_factor_disable"), {"off-code": recovery_codes[1]})
    assert switched_off.status_code == 302
    assert not TOTPDevice.objects.filter(user=client_user).exists()
