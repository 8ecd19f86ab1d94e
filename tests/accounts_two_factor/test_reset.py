"""Customer service reset a client user's lost second factor (staff page), an administrator anyone's (Django
admin): the app, recovery codes and remembered browsers go, the reset is audited with its reason, the user
is told by e-mail and, when they must use a second factor, sets it up again at the next login."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.models import SecondFactorSecret, User
from backend.accounts.second_factor import regenerate_recovery_codes, rotate_remember_secret
from backend.core.models import AuditLog
from tests.factories import MembershipFactory, UserFactory
from tests.second_factor_helpers import enrol

pytestmark = pytest.mark.django_db

REASON = "Zgubiony telefon; tożsamość sprawdzona przez oddzwonienie"


@pytest.fixture
def enrolled_admin(acme) -> User:
    """A client administrator (must use a second factor) with the app and recovery codes."""
    user = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin", phone="601 234 567")
    MembershipFactory(user=user, client=acme, is_admin=True)
    enrol(user)
    regenerate_recovery_codes(user)
    rotate_remember_secret(user)  # the secret its remembered browsers are bound to
    return user


def _reset_page(user: User) -> str:
    return reverse("staff-second-factor-reset", args=[user.pk])


def test_staff_reset_a_lost_app_and_the_user_enrols_again_at_the_next_login(
    client, bok_staff, enrolled_admin, password, django_capture_on_commit_callbacks
):
    # given customer service find the user: the list says who has a second factor and links the reset
    client.force_login(bok_staff)
    listing = client.get(reverse("staff-client-users"), {"q": "acme"}).content.decode()
    assert _reset_page(enrolled_admin) in listing
    page = client.get(_reset_page(enrolled_admin))
    assert page.status_code == 200
    assert "ACME" in page.content.decode() and "601 234 567" in page.content.decode()
    old_secret = SecondFactorSecret.objects.get(user=enrolled_admin).remember_secret

    # when they reset it with a reason, having checked who calls
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(_reset_page(enrolled_admin), {"reason": REASON, "identity_checked": "on"})

    # then the app, the recovery codes and the remembered browsers are gone
    assert done.status_code == 302 and done["Location"].startswith(reverse("staff-client-users"))
    assert not TOTPDevice.objects.filter(user=enrolled_admin).exists()
    assert not StaticDevice.objects.filter(user=enrolled_admin).exists()
    assert SecondFactorSecret.objects.get(user=enrolled_admin).remember_secret != old_secret
    # and the audit log names who, whom and why
    audit = AuditLog.objects.get(action="second_factor_reset")
    assert audit.user == bok_staff and audit.username == enrolled_admin.email
    assert audit.detail["subject_user_id"] == enrolled_admin.pk and audit.detail["reason"] == REASON
    # and the user is told, in their language, that they set the app up again at the next login
    (message,) = mail.outbox
    assert message.to == [enrolled_admin.email]
    assert "zresetowało drugi składnik" in message.body and "ponownie skonfigurujesz" in message.body
    assert "/login/" in message.body
    # and the list no longer offers a reset
    listing = client.get(reverse("staff-client-users"), {"q": "acme"}).content.decode()
    assert _reset_page(enrolled_admin) not in listing

    # when the user logs in with their password
    client.logout()
    login = client.post(reverse("login"), {"username": enrolled_admin.email, "password": password})
    # then they are sent to set up the app, not asked for a code of the lost one
    assert login.status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_setup"))


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"reason": "telefon", "identity_checked": "on"}, "reason", "co najmniej 10 znaków"),
        ({"reason": REASON}, "identity_checked", "Potwierdź, że sprawdzono, kto prosi."),
    ],
)
def test_a_reset_without_a_reason_or_identity_check_is_refused_next_to_the_field_keeping_what_was_typed(
    client, bok_staff, enrolled_admin, posted, field, message
):
    client.force_login(bok_staff)

    response = client.post(_reset_page(enrolled_admin), posted)

    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in page and message in page
    assert posted["reason"] in page  # what was typed stays in the form
    assert TOTPDevice.objects.filter(user=enrolled_admin).exists()
    assert not AuditLog.objects.filter(action="second_factor_reset").exists()
    assert mail.outbox == []


def test_a_user_without_a_second_factor_has_nothing_to_reset(client, bok_staff, client_user):
    client.force_login(bok_staff)

    page = client.get(_reset_page(client_user))
    refused = client.post(_reset_page(client_user), {"reason": REASON, "identity_checked": "on"})

    assert 'data-testid="second-factor-reset-form"' not in page.content.decode()
    assert refused.status_code == 400
    assert "nie ma drugiego składnika" in refused.content.decode()
    assert not AuditLog.objects.filter(action="second_factor_reset").exists()


def test_only_customer_service_reset_and_only_client_users(client, enrolled_admin, bok_staff):
    analyst = UserFactory(email="analityk@leasing.example", role=User.Role.ANALYST)
    colleague = UserFactory(email="kolega@leasing.example", role=User.Role.STAFF)
    enrol(colleague)
    form = {"reason": REASON, "identity_checked": "on"}

    # an analyst (back office, but not customer service) is refused
    client.force_login(analyst)
    assert client.post(_reset_page(enrolled_admin), form).status_code == 403
    # the client user themselves cannot open the staff page
    client.force_login(enrolled_admin)
    assert client.post(_reset_page(enrolled_admin), form).status_code in (302, 403)
    # a staff account is not reset from the staff page (the Django admin does it)
    client.force_login(bok_staff)
    assert client.post(_reset_page(colleague), form).status_code == 404

    assert TOTPDevice.objects.filter(user__in=[enrolled_admin, colleague]).count() == 2
    assert not AuditLog.objects.filter(action="second_factor_reset").exists()


def test_an_administrator_resets_a_staff_member_in_the_django_admin_with_a_reason(
    client, django_capture_on_commit_callbacks
):
    # given a superuser and a staff member who lost their phone
    superuser = UserFactory(
        email="root@leasing.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )
    colleague = UserFactory(email="kolega@leasing.example", role=User.Role.STAFF)
    enrol(colleague)
    client.force_login(superuser)
    changelist = reverse("admin:accounts_user_changelist")
    chosen = {"action": "reset_second_factors", "_selected_action": [colleague.pk]}

    # when the action is chosen: a confirmation page asks why
    confirm = client.post(changelist, chosen)
    # and a confirmation without the identity check is refused
    refused = client.post(changelist, {**chosen, "confirm": "yes", "reason": REASON})
    # and one with both resets
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            changelist, {**chosen, "confirm": "yes", "reason": REASON, "identity_checked": "on"}
        )

    # then
    assert confirm.status_code == 200 and 'name="reason"' in confirm.content.decode()
    assert refused.status_code == 200 and "Potwierdź, że sprawdzono, kto prosi." in refused.content.decode()
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    audit = AuditLog.objects.get(action="second_factor_reset")
    assert audit.user == superuser and audit.detail["reason"] == REASON
    assert [message.to for message in mail.outbox] == [[colleague.email]]
