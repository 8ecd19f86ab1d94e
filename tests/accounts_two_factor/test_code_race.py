"""One TOTP code logs in one session: the device row is locked while its last used step is checked and
advanced (backend/accounts/second_factor.py: check_code), so sessions posting the same code at the same
moment cannot all pass. The threaded race on PostgreSQL is in tests/scaled/test_second_factor_race.py."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts import second_factor as sf
from tests.second_factor_helpers import code_for, enrol

pytestmark = pytest.mark.django_db


def test_the_device_is_read_under_lock_and_a_code_works_once(bok_staff):
    device = enrol(bok_staff)
    code = code_for(device)
    in_transaction: list[bool] = []
    verify_token = TOTPDevice.verify_token
    select_for_update = QuerySet.select_for_update
    locked_models: list[type] = []

    def spy_lock(queryset, *args, **kwargs):
        locked_models.append(queryset.model)
        return select_for_update(queryset, *args, **kwargs)

    def spy_verify(self, token):
        in_transaction.append(connection.in_atomic_block)
        return verify_token(self, token)

    with (
        mock.patch.object(QuerySet, "select_for_update", spy_lock),
        mock.patch.object(TOTPDevice, "verify_token", spy_verify),
    ):
        first = sf.check_code(bok_staff, code)
        second = sf.check_code(bok_staff, code)

    assert (first, second) == ("totp", None)
    # the device was taken with SELECT … FOR UPDATE and checked inside that transaction
    assert locked_models.count(TOTPDevice) == 2
    assert in_transaction == [True, True]


def test_a_second_session_posting_the_same_code_is_refused(bok_staff, password):
    device = enrol(bok_staff)
    sessions = [Client(), Client()]
    for client in sessions:
        client.post(reverse("login"), {"username": bok_staff.email, "password": password})
    code = code_for(device)

    answers = [client.post(reverse("second_factor_verify"), {"code": code}) for client in sessions]

    assert answers[0].status_code == 302 and sessions[0].session[SESSION_KEY] == str(bok_staff.pk)
    assert answers[1].status_code == 200 and SESSION_KEY not in sessions[1].session
    assert "Kod jest nieprawidłowy" in answers[1].content.decode()
