"""A version move audits the timers' due times from what the instance saved, not by reading its state again.

Every step saves its waiting timers' due times on the instance (ProcessInstance.timer_dues) and the move's
own engine result holds the new ones: the audit's timers_before / timers_after come from those. Only an
instance saved before timer_dues existed (null) has its state read, as before.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest
from backend.requests_app.version_moves import migrate_instance
from tests.workflows_versions.helpers import EARLIER_REMINDER_XML, ask_client, deploy_v2
from workflows import engine
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db


def instance_of(request: dict) -> ProcessInstance:
    return PortalRequest.objects.get(pk=request["id"]).process_instance


def reads_of_the_state(monkeypatch) -> list[dict]:
    """Record every state engine.timer_due_times reads from here on."""
    read: list[dict] = []
    original = engine.timer_due_times

    def recording(process, state):
        read.append(state)
        return original(process, state)

    monkeypatch.setattr(engine, "timer_due_times", recording)
    return read


def test_a_move_audits_the_saved_due_times_without_reading_the_state_again(
    api_as, analyst, client_user, bok_staff, acme_contract, monkeypatch
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given a request waiting for the client since T0, and on day 3 a version reminding on day 10
        request = ask_client(api_as, client_user, bok_staff, acme_contract)
        t0 = timezone.now()
        traveller.shift(timedelta(days=3))
        v2 = deploy_v2(analyst, EARLIER_REMINDER_XML)
        old_state = instance_of(request).state
        read = reads_of_the_state(monkeypatch)

        # when it moves
        migrate_instance(instance_id=instance_of(request).pk, to_version=v2, by=analyst)

    # then the audit has the due times before and after, as it always had
    audit = AuditLog.objects.get(action="workflow.migrate_instance")
    assert audit.detail["timers_before"] == {
        "reminder_timer": (t0 + timedelta(days=14)).isoformat(),
        "cancel_timer": (t0 + timedelta(days=30)).isoformat(),
    }
    assert audit.detail["timers_after"] == {
        "reminder_timer": (t0 + timedelta(days=10)).isoformat(),
        "cancel_timer": (t0 + timedelta(days=30)).isoformat(),
    }
    # and they are the instance's saved due times, after as before
    assert audit.detail["timers_after"] == instance_of(request).timer_dues
    # and no state was read again for them: neither the old one nor the move's result
    assert old_state not in read
    assert read == []


def test_an_instance_saved_before_timer_dues_existed_has_its_state_read(
    api_as, analyst, client_user, bok_staff, acme_contract, monkeypatch
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given a waiting request whose instance was saved before timer_dues existed
        request = ask_client(api_as, client_user, bok_staff, acme_contract)
        t0 = timezone.now()
        ProcessInstance.objects.filter(pk=instance_of(request).pk).update(timer_dues=None)
        traveller.shift(timedelta(days=5))
        v2 = deploy_v2(analyst)
        read = reads_of_the_state(monkeypatch)

        # when it moves
        migrate_instance(instance_id=instance_of(request).pk, to_version=v2, by=analyst)

    # then its due times before the move are read from its state, and the audit is the same as ever
    assert len(read) == 1
    audit = AuditLog.objects.get(action="workflow.migrate_instance")
    expected = {
        "reminder_timer": (t0 + timedelta(days=14)).isoformat(),
        "cancel_timer": (t0 + timedelta(days=30)).isoformat(),
    }
    assert audit.detail["timers_before"] == audit.detail["timers_after"] == expected
    # and the move saved them on the instance
    assert instance_of(request).timer_dues == expected
