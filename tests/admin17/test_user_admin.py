"""Users in the Django admin: nobody takes away their own administrator role, deactivates or deletes
themselves, and one active administrator always stays; deactivating asks why (in the audit entry);
the dates are read-only; the activation action skips activated accounts, naming them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.core.models import AuditLog
from tests.admin17.conftest import user_form
from tests.factories import UserFactory
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"
LAST_ADMIN = "Portal musi mieć co najmniej jednego aktywnego administratora."
OWN_ADMIN = "Nie możesz odebrać sobie roli administratora, usunąć swojego konta ani dezaktywować siebie."


def test_the_administrator_cannot_demote_or_deactivate_themselves(browser, admin):
    UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True)  # another administrator exists

    demoted = browser.post(f"{USERS}{admin.pk}/change/", user_form(browser, admin, role="staff"))
    deactivated = browser.post(
        f"{USERS}{admin.pk}/change/", user_form(browser, admin, is_active="", deactivation_reason="urlop")
    )

    for answer in (demoted, deactivated):
        assert answer.status_code == 200 and OWN_ADMIN in answer.content.decode()
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (User.Role.ADMIN, True)
    assert not AuditLog.objects.filter(action=AuditAction.USER_ACCESS_CHANGED).exists()


def test_the_last_active_administrator_is_not_deactivated_by_anyone(admin, bok_staff):
    # a staff member with the admin's "change user" permission (is_active is not superuser-only)
    bok_staff.is_staff = True
    bok_staff.save()
    bok_staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    staff_browser = browsing_as(bok_staff)

    answer = staff_browser.post(
        f"{USERS}{admin.pk}/change/", user_form(staff_browser, admin, is_active="", deactivation_reason="x")
    )

    assert answer.status_code == 200 and LAST_ADMIN in answer.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_deleting_oneself_or_the_last_administrator_is_refused(browser, admin, bok_staff):
    one = browser.post(f"{USERS}{admin.pk}/delete/", {"post": "yes"}, follow=True)
    bulk = browser.post(
        USERS,
        {"action": "delete_selected", "_selected_action": [admin.pk, bok_staff.pk], "post": "yes"},
        follow=True,
    )

    for answer in (one, bulk):
        assert "Nie możesz usunąć własnego konta." in answer.content.decode()
    assert User.objects.filter(pk__in=[admin.pk, bok_staff.pk]).count() == 2


def test_deactivating_asks_why_and_the_audit_entry_keeps_it(browser, bok_staff):
    without = browser.post(f"{USERS}{bok_staff.pk}/change/", user_form(browser, bok_staff, is_active=""))
    bok_staff.refresh_from_db()
    assert without.status_code == 200 and bok_staff.is_active
    assert "Podaj, dlaczego konto jest dezaktywowane." in without.content.decode()

    done = browser.post(
        f"{USERS}{bok_staff.pk}/change/",
        user_form(browser, bok_staff, is_active="", deactivation_reason="Odejście z firmy"),
    )

    assert done.status_code == 302
    entry = AuditLog.objects.get(action=AuditAction.USER_ACCESS_CHANGED)
    assert entry.detail["after"] == {"is_active": False} and entry.detail["reason"] == "Odejście z firmy"


def test_last_login_and_date_joined_are_read_only(browser, bok_staff):
    page = browser.get(f"{USERS}{bok_staff.pk}/change/").content.decode()
    before = User.objects.get(pk=bok_staff.pk).date_joined

    browser.post(
        f"{USERS}{bok_staff.pk}/change/",
        user_form(browser, bok_staff, date_joined_0="2001-01-01", date_joined_1="10:00:00"),
    )

    assert 'name="last_login_0"' not in page and 'name="date_joined_0"' not in page
    assert User.objects.get(pk=bok_staff.pk).date_joined == before


def test_the_activation_action_skips_activated_accounts_naming_them(browser, client_user):
    invited = UserFactory(email="nowa@firma.pl", role=User.Role.CLIENT)
    invited.set_unusable_password()
    invited.save()

    response = browser.post(
        USERS,
        {"action": "send_activation", "_selected_action": [client_user.pk, invited.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert f"Konto już aktywowane, link nie został wysłany: {client_user.email}" in page
    assert "nowa@firma.pl" in page and "Kody aktywacyjne" in page
    issued = AuditLog.objects.filter(action=AuditAction.ACTIVATION_CODE_ISSUED)
    assert [entry.username for entry in issued] == ["nowa@firma.pl"]
