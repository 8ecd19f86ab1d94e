"""The session store (backend/accounts/session_store.py): Django's database sessions, read with one
statement; a removed or expired session ends at the next request, in whatever process it was removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


def test_the_portal_uses_this_store_and_it_reads_what_it_wrote():
    assert settings.SESSION_ENGINE == "backend.accounts.session_store"
    written = SessionStore()
    written["active_client_id"] = 7
    written["język"] = "polski"
    written.create()

    read = SessionStore(written.session_key)
    assert read["active_client_id"] == 7 and read["język"] == "polski"
    assert read.session_key == written.session_key


def test_an_unknown_or_expired_key_reads_as_a_new_empty_session():
    expired = SessionStore()
    expired["_auth_user_id"] = "1"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    for key in (expired.session_key, "x" * 32, None):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None


def test_a_session_removed_elsewhere_is_logged_out_at_the_next_request(client_user):
    api = APIClient()
    api.force_login(client_user)
    assert api.get("/api/notices/unread-count/").status_code == 200

    Session.objects.all().delete()  # e.g. a logout, or an administrator's removal, in another process

    assert api.get("/api/notices/unread-count/").status_code in {401, 403}
