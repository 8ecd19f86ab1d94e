"""Users in the Django admin: created without a password (activation link and one-time code), the role
and the admin flags agree, each change of access is audited; a locked account shows and is unlocked by an
audited action; the login page no longer says that letter case matters in the e-mail."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client as PageClient

from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.core.models import AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


# The page's inline of client memberships (clients/admin.py), left empty.
NO_MEMBERSHIPS = {
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


def add_form(**fields) -> dict:
    data = {"email": "nowy@leasing.example", "role": "staff", "language": "pl", "send_activation": "on"}
    return {key: value for key, value in {**data, **NO_MEMBERSHIPS, **fields}.items() if value != ""}


def test_a_user_is_added_without_a_password_and_gets_the_activation_code(
    browser, admin, django_capture_on_commit_callbacks
):
    # when the administrator fills in only who it is (no password fields on the page)
    form_page = browser.get(f"{USERS}add/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{USERS}add/", add_form(email="Nowy@Leasing.example"))

    # then the user exists with no usable password, and the page after saving shows the one-time code
    assert 'name="password1"' not in form_page and "Wyślij teraz link aktywacyjny" in form_page
    assert response.status_code == 200
    user = User.objects.get(email="nowy@leasing.example")
    assert not user.has_usable_password()
    assert (
        "Kody aktywacyjne" in response.content.decode()
        and "nowy@leasing.example" in response.content.decode()
    )
    assert [message.to for message in mail.outbox] == [["nowy@leasing.example"]]
    # and the audit log says who created whom, with the access given
    created = AuditLog.objects.get(action=AuditAction.USER_CREATED)
    assert (created.user, created.username) == (admin, "nowy@leasing.example")
    assert created.detail["after"]["role"] == "staff" and created.detail["after"]["is_superuser"] is False


def test_without_sending_the_link_the_user_list_follows(browser):
    response = browser.post(f"{USERS}add/", add_form(send_activation=""))

    assert response.status_code == 302
    assert not User.objects.get(email="nowy@leasing.example").has_usable_password()


def test_the_role_decides_superuser_and_a_client_never_gets_admin_access(browser):
    # an administrator gets admin site access and superuser, as create_superuser gives them
    browser.post(
        f"{USERS}add/", add_form(email="druga.admin@leasing.example", role="admin", send_activation="")
    )
    second_admin = User.objects.get(email="druga.admin@leasing.example")
    assert (second_admin.is_staff, second_admin.is_superuser) == (True, True)

    # a client user with admin site access is refused, naming the field
    refused = browser.post(f"{USERS}add/", add_form(email="klient@firma.pl", role="client", is_staff="on"))
    assert refused.status_code == 200
    assert "Użytkownik klienta nie może mieć dostępu do panelu administracyjnego." in refused.content.decode()
    assert not User.objects.filter(email="klient@firma.pl").exists()


def change_form(user: User, **fields) -> dict:
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **NO_MEMBERSHIPS,
        **fields,
    }
    return {key: value for key, value in data.items() if value != ""}


def test_a_change_of_role_and_access_is_audited_and_superuser_follows_the_role(browser, admin, bok_staff):
    # given a superuser flag a staff member should never have had
    User.objects.filter(pk=bok_staff.pk).update(is_superuser=True)
    bok_staff.refresh_from_db()
    page = browser.get(f"{USERS}{bok_staff.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page  # shown, not ticked: it follows the role

    # when the administrator gives admin site access and a group
    group = Group.objects.create(name="Obsługa reklamacji")
    response = browser.post(
        f"{USERS}{bok_staff.pk}/change/", change_form(bok_staff, is_staff="on", groups=[group.pk])
    )

    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    bok_staff.refresh_from_db()
    assert (bok_staff.is_staff, bok_staff.is_superuser) == (True, False)
    changed = AuditLog.objects.get(action=AuditAction.USER_ACCESS_CHANGED)
    assert (changed.user, changed.username) == (admin, bok_staff.email)
    assert changed.detail["before"] == {"groups": [], "is_staff": False, "is_superuser": True}
    assert changed.detail["after"] == {
        "groups": ["Obsługa reklamacji"],
        "is_staff": True,
        "is_superuser": False,
    }


def test_only_a_superuser_sets_roles_and_admin_flags(bok_staff, second_staff):
    # given a staff member with admin site access and the permission to change users
    User.objects.filter(pk=bok_staff.pk).update(is_staff=True)
    bok_staff.refresh_from_db()
    bok_staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    browser = PageClient()
    browser.force_login(bok_staff)

    # when they post the role of administrator for a colleague
    browser.post(f"{USERS}{second_staff.pk}/change/", change_form(second_staff, role="admin", is_staff="on"))

    # then the role and the flags stay
    second_staff.refresh_from_db()
    assert (second_staff.role, second_staff.is_staff, second_staff.is_superuser) == ("staff", False, False)

    # nor can they add an administrator
    bok_staff.user_permissions.add(Permission.objects.get(codename="add_user"))
    refused = browser.post(f"{USERS}add/", add_form(email="nowy.admin@leasing.example", role="admin"))
    assert "Tylko superużytkownik może dodać administratora" in refused.content.decode()
    assert not User.objects.filter(email="nowy.admin@leasing.example").exists()


def fail_logins(email: str, times: int) -> None:
    browser = PageClient()
    for _ in range(times):
        browser.post("/login/", {"username": email, "password": "zle-haslo"})


def test_a_lock_out_is_logged_once_shown_on_the_user_and_unlocked_by_an_audited_action(
    browser, admin, client_user
):
    # given five wrong passwords (and a sixth while locked)
    fail_logins(client_user.email, 6)

    # then one lock-out row, and the user list and page show the lock
    assert AuditLog.objects.filter(action=AuditAction.ACCOUNT_LOCKED, username=client_user.email).count() == 1
    locked_list = browser.get(USERS, {"locked": "yes"}).content.decode()
    assert client_user.email in locked_list
    assert admin.email not in locked_list
    page = browser.get(f"{USERS}{client_user.pk}/change/").content.decode()
    assert "Zablokowane: nieudane logowania" in page

    # when the administrator unlocks the account with the action
    response = browser.post(USERS, {"action": "unlock", "_selected_action": [client_user.pk]}, follow=True)

    # then the account is no longer locked, the user can log in, and it is audited
    assert "Odblokowano: anna.kowalska@acme.pl" in response.content.decode()
    assert not AccessAttempt.objects.filter(username=client_user.email).exists()
    unlocked = AuditLog.objects.get(action=AuditAction.ACCOUNT_UNLOCKED)
    assert (unlocked.user, unlocked.username) == (admin, client_user.email)
    assert unlocked.detail["before"]["locked"] is True
    login = PageClient().post("/login/", {"username": client_user.email, "password": PASSWORD})
    assert login.status_code == 302


def test_deleting_the_axes_row_is_an_audited_unlock(browser, admin, client_user):
    fail_logins(client_user.email, 5)
    attempt = AccessAttempt.objects.get(username=client_user.email)

    page = browser.get("/admin/axes/accessattempt/").content.decode()
    browser.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert "Clean up expired attempts" not in page and "Locked Out" not in page and "User Agent" not in page
    assert "Usuń wygasłe próby" in page and "Przeglądarka" in page
    unlocked = AuditLog.objects.get(action=AuditAction.ACCOUNT_UNLOCKED)
    assert (unlocked.user, unlocked.username, unlocked.detail["via"]) == (
        admin,
        client_user.email,
        "access_attempts",
    )


def test_the_login_page_does_not_say_that_letter_case_matters_in_the_e_mail(client_user):
    page = PageClient().post("/login/", {"username": client_user.email, "password": "zle"}).content.decode()

    assert "Wielkość liter ma znaczenie tylko w haśle." in page
    assert "Uwaga: wielkość liter ma znaczenie" not in page
    # the e-mail is indeed matched whatever its case
    ok = PageClient().post("/login/", {"username": client_user.email.upper(), "password": PASSWORD})
    assert ok.status_code == 302
