"""Two-factor login through the login page: code step, enrolment, recovery codes, lock-out, the gate."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.second_factor import VERIFIED_SESSION_KEY
from backend.core.models import AuditLog
from tests.factories import MembershipFactory
from tests.second_factor_helpers import code_for, code_of, enrol, force_login_unverified

pytestmark = pytest.mark.django_db


def log_in(client, user, password):
    return client.post(reverse("login"), {"username": user.email, "password": password})


def test_staff_with_an_app_is_not_logged_in_until_the_code(client, bok_staff, password):
    # given
    device = enrol(bok_staff)

    # when: the right password
    response = log_in(client, bok_staff, password)

    # then: the code step, nobody logged in yet
    assert response.status_code == 302
    assert response["Location"] == reverse("second_factor_verify")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("staff-home")).status_code == 302
    page = client.get(reverse("second_factor_verify")).content.decode()
    assert "id_code" in page and "id_remember" in page

    # when: the code from the app
    done = client.post(reverse("second_factor_verify"), {"code": code_for(device)})

    # then
    assert done.status_code == 302
    assert client.session[SESSION_KEY] == str(bok_staff.pk)
    assert client.session[VERIFIED_SESSION_KEY] == "totp"
    assert client.get(reverse("staff-home")).status_code == 200
    login_row = AuditLog.objects.get(action="login", user=bok_staff)
    assert login_row.detail["method"] == "password+totp"


def test_a_code_is_accepted_once(client, bok_staff, password):
    device = enrol(bok_staff)
    code = code_for(device)
    log_in(client, bok_staff, password)
    client.post(reverse("second_factor_verify"), {"code": code})
    client.logout()

    # when: the same code again
    log_in(client, bok_staff, password)
    again = client.post(reverse("second_factor_verify"), {"code": code})

    # then
    assert again.status_code == 200
    assert SESSION_KEY not in client.session


def test_staff_without_an_app_must_enrol_before_anything_else(client, bok_staff, password):
    # given: logged in by password, no app yet
    log_in(client, bok_staff, password)

    # when / then: every page leads to enrolment, the API refuses in the error shape
    page = client.get(reverse("staff-home"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("second_factor_setup"))
    api = client.get("/api/notices/unread-count/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    assert set(api.json()) == {"code", "message", "fields"}

    # when: enrolment shows a QR code and a key, the first code confirms it
    setup = client.get(reverse("second_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in setup
    device = TOTPDevice.objects.get(user=bok_staff, confirmed=False)
    totp = TOTP(device.bin_key)
    done = client.post(reverse("second_factor_setup"), {"password": password, "code": f"{totp.token():06d}"})

    # then: ten recovery codes, shown once, downloadable; the session is verified
    body = done.content.decode()
    codes = re.findall(r"<li><code>([0-9a-z]+)</code></li>", body)
    assert len(codes) == 10
    download = client.get(reverse("second_factor_recovery_download"))
    assert all(code in download.content.decode() for code in codes)
    assert client.get(reverse("staff-home")).status_code == 200
    assert AuditLog.objects.filter(action="second_factor_enrolled", user=bok_staff).exists()
    assert client.get(reverse("account-security")).status_code == 200
    assert client.get(reverse("second_factor_recovery_download")).status_code == 302  # shown only once


def test_a_wrong_enrolment_code_does_not_turn_it_on(client, bok_staff, password):
    log_in(client, bok_staff, password)
    client.get(reverse("second_factor_setup"))

    response = client.post(reverse("second_factor_setup"), {"password": password, "code": "000000"})

    assert response.status_code == 200
    assert 'id="err_code"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=bok_staff, confirmed=True).exists()


def test_a_recovery_code_works_once(client, bok_staff, password):
    # given: an enrolled user with recovery codes
    from backend.accounts.second_factor import regenerate_recovery_codes

    enrol(bok_staff)
    codes = regenerate_recovery_codes(bok_staff)

    # when: a recovery code instead of the app's
    log_in(client, bok_staff, password)
    first = client.post(reverse("second_factor_verify"), {"code": codes[0]})

    # then
    assert first.status_code == 302
    assert client.session[VERIFIED_SESSION_KEY] == "recovery_code"
    client.logout()

    # when: the same recovery code again
    log_in(client, bok_staff, password)
    second = client.post(reverse("second_factor_verify"), {"code": codes[0]})

    # then
    assert second.status_code == 200
    assert SESSION_KEY not in client.session
    assert client.post(reverse("second_factor_verify"), {"code": codes[1]}).status_code == 302


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, bok_staff, password):
    # given
    device = enrol(bok_staff)
    log_in(client, bok_staff, password)

    # when: five wrong codes
    answers = [client.post(reverse("second_factor_verify"), {"code": "000000"}) for _ in range(5)]

    # then: locked; the right code and the right password are refused for now
    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert answers[4].status_code == 429
    assert AuditLog.objects.filter(action="second_factor_failed", username=bok_staff.email).count() == 5
    again = log_in(client, bok_staff, password)
    assert again.status_code == 429
    client.post(reverse("second_factor_verify"), {"code": code_for(device)})
    assert SESSION_KEY not in client.session


def test_wrong_passwords_and_codes_add_up(client, bok_staff, password):
    enrol(bok_staff)
    for _ in range(3):
        log_in(client, bok_staff, "wrong-password")
    log_in(client, bok_staff, password)
    client.post(reverse("second_factor_verify"), {"code": "000000"})

    last = client.post(reverse("second_factor_verify"), {"code": "000000"})

    assert last.status_code == 429


def test_the_code_step_without_a_password_leads_to_login(client):
    assert client.get(reverse("second_factor_verify"))["Location"] == reverse("login")


def test_a_client_administrator_must_enrol_other_client_users_need_not(client, acme, client_user, password):
    # given: a plain client user logs in with the password alone
    log_in(client, client_user, password)
    assert client.get(reverse("home")).status_code == 200
    client.logout()

    # when: the user becomes the client's administrator
    membership = client_user.memberships.get()
    membership.is_admin = True
    membership.save()
    log_in(client, client_user, password)

    # then
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor_setup"))


def test_an_optional_user_who_enrolled_is_asked_too_and_may_switch_it_off(client, client_user, password):
    # given
    enrol(client_user)

    # when
    response = log_in(client, client_user, password)
    client.post(reverse("second_factor_verify"), {"code": code_of(client_user)})
    off = client.post(reverse("second_factor_disable"), {"off-code": code_of(client_user)})

    # then
    assert response["Location"] == reverse("second_factor_verify")
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=client_user).exists()
    client.logout()
    assert log_in(client, client_user, password)["Location"] != reverse("second_factor_verify")


def test_staff_cannot_switch_it_off(client, bok_staff):
    enrol(bok_staff)
    client.force_login(bok_staff)

    client.post(reverse("second_factor_disable"))

    assert TOTPDevice.objects.filter(user=bok_staff, confirmed=True).exists()


def test_a_session_that_owes_the_code_cannot_enrol_a_new_app(client, bok_staff):
    # given: logged in without the code (e.g. an old session), an app already enrolled
    enrol(bok_staff)
    force_login_unverified(client, bok_staff)

    # when
    response = client.get(reverse("second_factor_setup"))

    # then
    assert response["Location"] == reverse("second_factor_verify")


def test_the_admin_site_needs_the_second_factor(client, password):
    from backend.accounts.models import User

    admin = User.objects.create_superuser("root@leasing.example", password)
    force_login_unverified(client, admin)

    # when / then: the admin redirects to enrolment; its own login form leads to the portal's
    assert client.get("/admin/")["Location"].startswith(reverse("second_factor_setup"))
    client.logout()
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith(reverse("login"))


def test_a_client_admin_of_a_suspended_membership_is_not_forced(client_user, acme):
    from backend.accounts.second_factor import requires_second_factor

    MembershipFactory(user=client_user, client=__import__("tests.factories").factories.ClientFactory())
    client_user.memberships.update(is_admin=True, status="suspended")

    assert requires_second_factor(client_user) is False
