"""The Django admin lists second-factor devices without their secrets and cannot add or change them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.models import User
from backend.accounts.second_factor import regenerate_recovery_codes
from tests.second_factor_helpers import TEST_TOTP_KEY, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, password):
    admin = User.objects.create_superuser("root@leasing.example", password)
    client.force_login(admin)
    return client


def test_totp_devices_are_listed_without_key_or_qr_code(superuser_client, client_user):
    # given
    device = enrol(client_user)
    key_base32 = device.config_url.split("secret=", 1)[1].split("&", 1)[0]

    # when
    listing = superuser_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    detail = superuser_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    # then
    assert listing.status_code == 200 and detail.status_code == 200
    for page in (listing, detail):
        body = page.content.decode()
        assert str(client_user) in body
        assert TEST_TOTP_KEY not in body and key_base32 not in body
        assert "otpauth://" not in body and "qrcode" not in body
        assert 'name="key"' not in body


def test_totp_devices_cannot_be_added_changed_or_deleted(superuser_client, client_user):
    # given
    device = enrol(client_user)
    change_url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])

    # when
    add = superuser_client.get(reverse("admin:otp_totp_totpdevice_add"))
    change = superuser_client.post(change_url, {"user": client_user.pk, "name": "x", "key": "00" * 20})
    delete = superuser_client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    # then
    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    device.refresh_from_db()
    assert device.key == TEST_TOTP_KEY and device.name == "test"


def test_recovery_codes_are_not_shown(superuser_client, client_user):
    # given
    codes = regenerate_recovery_codes(client_user)
    device = StaticDevice.objects.get(user=client_user)
    assert StaticToken.objects.filter(device=device).exists()

    # when
    detail = superuser_client.get(reverse("admin:otp_static_staticdevice_change", args=[device.pk]))

    # then
    assert detail.status_code == 200
    body = detail.content.decode()
    assert not any(code in body for code in codes)
    assert TOTPDevice.objects.count() == 0
