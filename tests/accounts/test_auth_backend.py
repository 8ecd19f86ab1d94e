"""The password backend (backend/accounts/auth_backend.py): Django's ModelBackend, the session's user read
by one prepared statement on every request, and still re-checked there every time."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from backend.accounts.auth_backend import PASSWORD_BACKEND, PasswordBackend

pytestmark = pytest.mark.django_db


def test_a_password_login_is_remembered_under_this_backend(client, client_user, password):
    # when
    response = client.post(reverse("login"), {"username": client_user.email, "password": password})

    # then
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == PASSWORD_BACKEND
    assert client.get("/api/notices/unread-count/").status_code == 200


def test_the_users_row_is_read_once_per_request_with_all_its_fields(client_user):
    # when
    with CaptureQueriesContext(connection) as queries:
        user = PasswordBackend().get_user(client_user.pk)

    # then
    assert [q["sql"].count('"accounts_user"') > 0 for q in queries] == [True]
    assert user == client_user
    assert (user.email, user.role, user.is_active, user.password) == (
        client_user.email,
        client_user.role,
        True,
        client_user.password,
    )


def test_a_deactivated_or_removed_user_is_logged_out_at_the_next_request(client_user, other_client_user):
    # given
    apis = {}
    for user in (client_user, other_client_user):
        apis[user.pk] = APIClient()
        apis[user.pk].force_login(user)
        assert apis[user.pk].get("/api/notices/unread-count/").status_code == 200

    # when: one is deactivated, the other deleted (e.g. by an administrator, in another process)
    type(client_user).objects.filter(pk=client_user.pk).update(is_active=False)
    other_id = other_client_user.pk
    other_client_user.delete()

    # then
    assert apis[client_user.pk].get("/api/notices/unread-count/").status_code in {401, 403}
    assert apis[other_id].get("/api/notices/unread-count/").status_code in {401, 403}


def test_a_changed_password_ends_the_other_sessions(client_user):
    # given
    api = APIClient()
    api.force_login(client_user)
    assert api.get("/api/notices/unread-count/").status_code == 200

    # when: the password changes elsewhere (the session's password hash no longer matches)
    client_user.set_password("Inne-haslo-2026!")
    client_user.save()

    # then
    assert api.get("/api/notices/unread-count/").status_code in {401, 403}
