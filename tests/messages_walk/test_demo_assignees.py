"""The demo's threads with a staff answer are assigned, as messaging.staff_writes makes them: whoever answers
an unassigned thread takes it (they showed "nieprzypisany" though bok had answered)."""

from __future__ import annotations

from datetime import date

import pytest

from backend.accounts.models import User
from backend.demo.seed import seed_demo
from backend.messaging.models import MessageThread

pytestmark = pytest.mark.django_db


def test_seeded_threads_answered_by_staff_are_assigned_to_who_answered_first():
    seed_demo(clients=3, seed=1, today=date(2026, 6, 15))
    staff = User.objects.get(email="bok@leasing.example")
    threads = MessageThread.objects.all()
    assert threads.exists()
    for thread in threads:
        first_answer = thread.messages.filter(is_from_staff=True).order_by("created_at").first()
        if first_answer is None:
            assert thread.assignee is None and thread.assigned_at is None, thread.subject
        else:
            assert (thread.assignee, thread.assigned_at) == (staff, first_answer.created_at), thread.subject
    assert threads.filter(subject="Polisa na kolejny rok", assignee=staff).exists()
    assert threads.filter(subject="Korekta adresu na fakturze", assignee=staff).exists()
