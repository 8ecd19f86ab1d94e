"""Activation in two channels: the e-mailed link and a one-time code handed over by a person."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from backend.accounts.activation import activation_url
from backend.accounts.activation_code import issue_activation_code, start_activation
from backend.accounts.models import ActivationCode
from backend.core.models import AuditLog

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zielony-Parasol-2026"


def form_url(client, user) -> str:
    path = re.sub(r"^https?://[^/]+", "", activation_url(user))
    return client.get(path)["Location"]


def activate(client, url, code):
    return client.post(
        url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "activation_code": code}
    )


def test_the_link_and_the_code_together_activate(client, client_user):
    # given
    code = issue_activation_code(client_user)
    url = form_url(client, client_user)

    # when
    response = activate(client, url, code.lower()[:4] + " " + code.lower()[4:])  # typed loosely

    # then
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(client_user.pk)
    client_user.refresh_from_db()
    assert client_user.check_password(NEW_PASSWORD)
    assert ActivationCode.objects.get(user=client_user).used_at is not None


def test_the_link_without_the_code_does_not_activate(client, client_user):
    issue_activation_code(client_user)
    url = form_url(client, client_user)

    missing = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    wrong = activate(client, url, "AAAAAAAA")

    assert missing.status_code == wrong.status_code == 200
    assert 'id="err_activation_code"' in wrong.content.decode()
    client_user.refresh_from_db()
    assert not client_user.check_password(NEW_PASSWORD)
    assert SESSION_KEY not in client.session
    assert (
        AuditLog.objects.filter(action="activation_code_failed", user=client_user, success=False).count() == 1
    )


def test_the_code_without_a_valid_link_does_not_activate(client, client_user):
    code = issue_activation_code(client_user)

    response = client.get(reverse("account_activate", kwargs={"uidb64": "MQ", "token": "bad-token"}))

    assert 'id="link-invalid"' in response.content.decode()
    assert ActivationCode.objects.get(user=client_user).used_at is None
    assert code  # still unused: it works with the real link


def test_a_user_without_an_issued_code_cannot_activate(client, client_user):
    response = activate(client, form_url(client, client_user), "ABCDEFGH")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_five_wrong_codes_void_the_code(client, client_user):
    # given
    code = issue_activation_code(client_user)
    url = form_url(client, client_user)

    # when
    for _ in range(5):
        activate(client, url, "AAAAAAAA")
    late = activate(client, url, code)

    # then: even the right code is refused; a new one works
    assert late.status_code == 200
    assert SESSION_KEY not in client.session
    assert AuditLog.objects.filter(action="activation_code_failed").count() == 6
    assert activate(client, url, issue_activation_code(client_user)).status_code == 302


def test_a_weak_password_does_not_use_the_code_up(client, client_user):
    code = issue_activation_code(client_user)
    url = form_url(client, client_user)

    client.post(url, {"new_password1": "12345", "new_password2": "12345", "activation_code": code})

    assert activate(client, url, code).status_code == 302


def test_only_the_hash_is_stored_and_the_issue_is_audited(client_user, bok_staff):
    code = issue_activation_code(client_user, issued_by=bok_staff)

    record = ActivationCode.objects.get(user=client_user)
    assert len(code) == 8 and code not in record.code_hash
    audit = AuditLog.objects.get(action="activation_code_issued")
    assert audit.user == bok_staff and code not in str(audit.detail)


def test_start_activation_mails_the_link_but_not_the_code(client_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = start_activation(client_user)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "/activate/" in message.body
    assert code not in message.body
    assert message.to == [client_user.email]


def test_the_admin_action_shows_the_codes_once(
    client, client_user, password, django_capture_on_commit_callbacks
):
    from backend.accounts.models import User

    admin = User.objects.create_superuser("root@leasing.example", password)
    client_user.set_unusable_password()  # not activated yet: the action skips activated accounts
    client_user.save(update_fields=["password"])
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_activation", "_selected_action": [client_user.pk]},
        )

    body = response.content.decode()
    shown = re.search(r"<td><code>([A-Z0-9]{8})</code></td>", body).group(1)
    client.logout()
    assert activate(client, form_url(client, client_user), shown).status_code == 302
    assert len(mail.outbox) == 1
