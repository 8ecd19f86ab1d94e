"""Reset links live one hour and log nobody in; activation links keep 7 days; neither works for the other."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from backend.accounts.activation import activation_url, password_reset_url
from backend.accounts.activation_code import issue_activation_code
from backend.core.models import AuditLog

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zielony-Parasol-2026"


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def ask_for_reset(client, user, capture) -> str:
    with capture(execute=True):
        client.post(reverse("password_reset"), {"email": user.email})
    match = re.search(r"https?://[^/\s]+(/password-reset/[^\s\"<]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_a_reset_link_works_within_the_hour_and_not_after(
    client, client_user, django_capture_on_commit_callbacks
):
    # given
    path = ask_for_reset(client, client_user, django_capture_on_commit_callbacks)

    # when (a zoned destination: Django's token generator reads naive local time, which time-machine
    # only moves in step with the clock when the destination carries the ZoneInfo)
    with time_machine.travel(timezone.localtime() + timedelta(minutes=59)):
        within = client.get(path)
    with time_machine.travel(timezone.localtime() + timedelta(minutes=61)):
        after = client.get(path)

    # then
    assert within.status_code == 302  # on to the form (token kept in the session)
    assert after.status_code == 200
    assert 'id="link-invalid"' in after.content.decode()
    assert "ważne godzinę" in after.content.decode()


def test_the_reset_email_says_one_hour(client, client_user, django_capture_on_commit_callbacks):
    # when
    ask_for_reset(client, client_user, django_capture_on_commit_callbacks)

    # then
    assert "wygasa po godzinie" in mail.outbox[-1].body
    assert "7 dni" not in mail.outbox[-1].body


def test_an_activation_link_still_works_on_day_six_and_not_on_day_eight(client, client_user):
    # given
    path = path_of(activation_url(client_user))

    # when
    with time_machine.travel(timezone.localtime() + timedelta(days=6)):
        on_day_six = client.get(path)
    with time_machine.travel(timezone.localtime() + timedelta(days=8)):
        on_day_eight = client.get(path)

    # then
    assert on_day_six.status_code == 302
    assert on_day_eight.status_code == 200
    assert 'id="link-invalid"' in on_day_eight.content.decode()


def test_a_links_token_does_not_work_in_the_other_kind_of_link(client, client_user):
    # given: the token of each kind of link, put into the other kind's address
    activation_token = path_of(activation_url(client_user)).rstrip("/").split("/")[-1]
    reset_token = path_of(password_reset_url(client_user)).rstrip("/").split("/")[-1]
    uid = path_of(activation_url(client_user)).rstrip("/").split("/")[-2]

    # when
    reset_with_activation_token = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": activation_token})
    )
    activation_with_reset_token = client.get(
        reverse("account_activate", kwargs={"uidb64": uid, "token": reset_token})
    )

    # then
    assert 'id="link-invalid"' in reset_with_activation_token.content.decode()
    assert 'id="link-invalid"' in activation_with_reset_token.content.decode()


def test_setting_a_password_from_a_reset_link_logs_nobody_in(
    client, client_user, django_capture_on_commit_callbacks
):
    # given
    path = ask_for_reset(client, client_user, django_capture_on_commit_callbacks)
    form_url = client.get(path)["Location"]

    # when
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # then: the password is set, no session is made; the login page says what to do
    assert done.status_code == 302
    assert done["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    client_user.refresh_from_db()
    assert client_user.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(action="password_reset", user=client_user).exists()
    assert not AuditLog.objects.filter(action="login", user=client_user).exists()
    login_page = client.get(done["Location"])
    assert "Hasło zostało zmienione. Zaloguj się nowym hasłem." in login_page.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still anonymous: sent to log in

    # when: she logs in with the new password
    logged_in = client.post(reverse("login"), {"username": client_user.email, "password": NEW_PASSWORD})

    # then
    assert logged_in.status_code == 302
    assert client.session[SESSION_KEY] == str(client_user.pk)


def test_activation_still_logs_the_new_user_in(client, client_user):
    # given
    form_url = client.get(path_of(activation_url(client_user)))["Location"]
    code = issue_activation_code(client_user)

    # when
    client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "activation_code": code}
    )

    # then
    assert client.session[SESSION_KEY] == str(client_user.pk)
