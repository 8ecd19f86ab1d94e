"""Remember this device for 30 days; the bank's single sign-on skips the second factor; production."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from backend.accounts.second_factor import REMEMBER_COOKIE, VERIFIED_SESSION_KEY, check_code
from backend.core.models import AuditLog
from backend.core.safety import DEMO_TOTP_KEY_HEX
from tests.second_factor_helpers import code_for, enrol

pytestmark = pytest.mark.django_db


def log_in(client, user, password):
    return client.post(reverse("login"), {"username": user.email, "password": password})


def log_in_remembering(client, user, password):
    log_in(client, user, password)
    response = client.post(reverse("second_factor_verify"), {"code": code_for(enrol(user)), "remember": "on"})
    client.logout()  # the test client drops every cookie on logout; a browser keeps this one
    client.cookies[REMEMBER_COOKIE] = response.cookies[REMEMBER_COOKIE].value
    return response


def test_the_remember_cookie_is_signed_http_only_and_lives_30_days(client, bok_staff, password):
    response = log_in_remembering(client, bok_staff, password)

    cookie = response.cookies[REMEMBER_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["max-age"] == 30 * 24 * 3600


def test_a_remembered_device_skips_the_code_until_day_30(client, bok_staff, password):
    # given
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in_remembering(client, bok_staff, password)

    # when: day 29
    with time_machine.travel(start + timedelta(days=29), tick=False):
        day_29 = log_in(client, bok_staff, password)
        assert client.session[VERIFIED_SESSION_KEY] == "remembered_device"
        cookie = client.cookies[REMEMBER_COOKIE].value
        client.logout()
        client.cookies[REMEMBER_COOKIE] = cookie

    # when: day 31
    with time_machine.travel(start + timedelta(days=31), tick=False):
        day_31 = log_in(client, bok_staff, password)

    # then
    assert day_29["Location"] != reverse("second_factor_verify")
    assert day_31["Location"] == reverse("second_factor_verify")
    assert AuditLog.objects.filter(action="login", detail__method="password+remembered_device").count() == 1


def test_a_tampered_cookie_does_not_count(client, bok_staff, password):
    log_in_remembering(client, bok_staff, password)
    client.cookies[REMEMBER_COOKIE] = client.cookies[REMEMBER_COOKIE].value[:-2] + "xx"

    assert log_in(client, bok_staff, password)["Location"] == reverse("second_factor_verify")


def test_a_remembered_device_still_needs_the_password(client, bok_staff, password):
    log_in_remembering(client, bok_staff, password)

    response = log_in(client, bok_staff, "wrong-password")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_forgetting_devices_and_changing_the_password_revoke_the_cookie(client, bok_staff, password):
    # given
    log_in_remembering(client, bok_staff, password)
    log_in(client, bok_staff, password)
    assert client.session[VERIFIED_SESSION_KEY] == "remembered_device"
    cookie = client.cookies[REMEMBER_COOKIE].value

    # when: "forget remembered devices", then the old cookie is presented again
    client.post(reverse("second_factor_forget"))
    client.logout()
    client.cookies[REMEMBER_COOKIE] = cookie
    after_forget = log_in(client, bok_staff, password)

    # then
    assert after_forget["Location"] == reverse("second_factor_verify")

    # when: a new cookie, then a password change
    fresh = client.post(
        reverse("second_factor_verify"), {"code": code_for(enrol(bok_staff)), "remember": "on"}
    )
    client.logout()
    client.cookies[REMEMBER_COOKIE] = fresh.cookies[REMEMBER_COOKIE].value
    bok_staff.set_password("Nowe-Haslo-Zimowe-2026")
    bok_staff.save()

    # then
    assert log_in(client, bok_staff, "Nowe-Haslo-Zimowe-2026")["Location"] == reverse("second_factor_verify")


def test_another_users_cookie_does_not_count(client, bok_staff, second_staff, password):
    log_in_remembering(client, bok_staff, password)
    enrol(second_staff)

    assert log_in(client, second_staff, password)["Location"] == reverse("second_factor_verify")


@pytest.fixture
def admin_client_user(client_user):
    from backend.sso.services import link_bank_customer

    client_user.memberships.update(is_admin=True)
    enrol(client_user)
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    return client_user


def test_the_bank_hand_off_skips_the_second_factor(client, admin_client_user, acme_contract, sign):
    # when: a client administrator with an app comes from the bank
    handed_over = client.post(reverse("sso_bank"), {"assertion": sign(contract=acme_contract.number)})
    response = client.get(handed_over["Location"])

    # then: straight in, marked strong and audited as such
    assert response.status_code == 302
    assert client.session[VERIFIED_SESSION_KEY] == "bank_sso"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert AuditLog.objects.filter(action="second_factor_skipped_bank_sso", user=admin_client_user).exists()


def test_the_same_user_by_password_is_asked_for_the_code(client, admin_client_user, password):
    assert log_in(client, admin_client_user, password)["Location"] == reverse("second_factor_verify")


def test_production_never_accepts_the_demo_key(settings, bok_staff):
    # given: a device that carries the published demo key
    device = enrol(bok_staff, key=DEMO_TOTP_KEY_HEX)
    code = code_for(device)

    # when / then
    settings.PRODUCTION = True
    assert check_code(bok_staff, code) is None
    settings.PRODUCTION = False
    assert check_code(bok_staff, code_for(device)) == "totp"


def test_the_deploy_check_names_a_demo_key_in_production(settings, bok_staff):
    from backend.core.safety import check_demo_totp_keys

    enrol(bok_staff, key=DEMO_TOTP_KEY_HEX)

    assert check_demo_totp_keys(databases=["default"]) == []
    settings.PRODUCTION = True
    assert [error.id for error in check_demo_totp_keys(databases=["default"])] == ["core.E106"]
