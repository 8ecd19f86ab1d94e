"""One TOTP code posted by several sessions at the same moment logs in one of them, on PostgreSQL where the
requests really run side by side (each thread its own connection): the device row is locked while its
last used step is checked and advanced (backend/accounts/second_factor.py: check_code)."""

from __future__ import annotations

import pytest
from axes.utils import reset as reset_lockout
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.scaled.test_concurrency import race
from tests.second_factor_helpers import code_for, enrol

pytestmark = [pytest.mark.scaled, pytest.mark.django_db(transaction=True)]

SESSIONS = 4
ROUNDS = 3


def test_one_code_posted_by_several_sessions_at_once_logs_in_one(bok_staff, password):
    device = enrol(bok_staff)
    for _round in range(ROUNDS):
        reset_lockout(username=bok_staff.email)  # the losers' wrong codes count toward the lock-out
        sessions = [Client() for _ in range(SESSIONS)]
        for client in sessions:
            client.post(reverse("login"), {"username": bok_staff.email, "password": password})
        code = code_for(device)  # the device forgets the step it last accepted: the code is fresh

        answers = race(
            [lambda c=client: c.post(reverse("second_factor_verify"), {"code": code}) for client in sessions]
        )

        assert not [a for a in answers if isinstance(a, Exception)], answers
        logged_in = [client for client in sessions if SESSION_KEY in client.session]
        assert len(logged_in) == 1, [a.status_code for a in answers]
        assert sorted(a.status_code for a in answers) == [200] * (SESSIONS - 1) + [302]
