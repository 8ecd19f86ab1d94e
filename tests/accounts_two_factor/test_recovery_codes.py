"""Konto → Bezpieczeństwo → "New recovery codes": the session alone is not enough, the current code is."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from backend.accounts.second_factor import regenerate_recovery_codes
from backend.core.models import AuditLog
from tests.second_factor_helpers import code_of, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(client, bok_staff) -> list[str]:
    """bok_staff logged in (second factor met) with an app and recovery codes; returns the codes."""
    enrol(bok_staff)
    client.force_login(bok_staff)
    return regenerate_recovery_codes(bok_staff)


def tokens(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


@pytest.mark.parametrize("code", ["", "000000"])
def test_without_the_current_code_no_new_codes_are_issued(client, bok_staff, enrolled, code):
    # when: the session posts the form, as a page of another site or a taken-over session could
    response = client.post(reverse("second_factor_regenerate"), {"code": code})

    # then: the page says what is missing next to the field, and the old codes still work
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    message = "To pole jest wymagane." if not code else "Kod jest nieprawidłowy."
    assert message in body.split('id="err_code"')[1]
    assert tokens(bok_staff) == set(enrolled)
    assert not AuditLog.objects.filter(action="recovery_codes_regenerated").exists()


def test_a_wrong_code_counts_as_a_failed_second_factor(client, bok_staff, enrolled):
    client.post(reverse("second_factor_regenerate"), {"code": "000000"})

    entry = AuditLog.objects.get(action="second_factor_failed")
    assert entry.detail["purpose"] == "recovery_codes"


def test_the_current_code_issues_new_codes_shown_once(client, bok_staff, enrolled):
    # given: the security page asks for the code
    page = client.get(reverse("account-security")).content.decode()
    assert 'name="code"' in page

    # when
    response = client.post(reverse("second_factor_regenerate"), {"code": code_of(bok_staff)})

    # then
    assert response.status_code == 200
    fresh = tokens(bok_staff)
    assert len(fresh) == 10
    assert fresh.isdisjoint(enrolled)
    assert all(token in response.content.decode() for token in fresh)
    assert AuditLog.objects.filter(action="recovery_codes_regenerated", user=bok_staff).exists()
