"""The timer sweep fires its due instances in small batches, one transaction each (#18).

A batch locks its requests and instances with one query each and commits once. It is all or nothing:
an instance that fails rolls the batch back and leaves no row and no outbox id behind; it becomes its
incident exactly as when it ran alone, and the rest of the batch fires again without it. Two sweeps at
once still fire each timer once.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.core import services as core_services
from backend.core.models import OutboxEvent
from backend.requests_app import services, timers
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.factories import ContractFactory
from tests.requests_app.test_step_actions import submit
from workflows import service_tasks
from workflows import services as workflow_services
from workflows.models import Incident, ProcessInstance
from workflows.services import deploy_bpmn_version

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def waiting_for_client(client_user, acme, bok_staff, count: int) -> list[PortalRequest]:
    """`count` requests (each on its own contract) whose process waits for the client's reply."""
    waiting = []
    for _ in range(count):
        portal_request = submit(client_user, acme, ContractFactory(client=acme))
        services.complete_staff_task(
            staff=bok_staff,
            portal_request=portal_request,
            data={"decision": "ask_client", "question": "Skan?"},
        )
        waiting.append(portal_request)
    return waiting


def reminders(portal_request: PortalRequest) -> tuple[int, int]:
    """The request's reminder history rows and reminder outbox rows."""
    return (
        RequestEvent.objects.filter(request=portal_request, kind=RequestEvent.Kind.REMINDER).count(),
        OutboxEvent.objects.filter(
            kind=OutboxEvent.Kind.REQUEST_REMINDER, subject_id=portal_request.pk
        ).count(),
    )


def reads_of(queries, table: str) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
    ]


def test_a_failing_instance_rolls_back_alone_and_the_rest_of_its_batch_fires_once(
    client_user, acme, bok_staff, monkeypatch, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):  # their commits are behind them
            first, failing, last = waiting_for_client(client_user, acme, bok_staff, 3)
        failing_version = ProcessInstance.objects.get(pk=failing.process_instance_id).version
        # The failing reminder writes its history row and outbox event, then fails: both must go.
        original = service_tasks._registry["send_client_reminder"]

        def reminder(params, data, subject=None):
            result = original(params, data, subject=subject)
            if data.get("request_id") == failing.pk:
                raise RuntimeError("mail server down")
            return result

        monkeypatch.setitem(service_tasks._registry, "send_client_reminder", reminder)
        heard: list[int] = []
        monkeypatch.setattr(core_services, "_outbox_listeners", [heard.extend])
        outbox_before = OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        traveller.shift(timedelta(days=14, seconds=1))

        # when one sweep meets the three in one batch
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 2

    # then the healthy ones were reminded once each (the redone batch did not remind them twice)
    assert reminders(first) == reminders(last) == (1, 1)
    # and nothing of the failed step survived: no rows, no outbox id handed to the consumers
    assert reminders(failing) == (0, 0)
    committed = list(OutboxEvent.objects.filter(pk__gt=outbox_before).values_list("pk", flat=True))
    assert sorted(heard) == sorted(committed) and len(committed) == 2
    # and the failed one is its incident, retried with back-off, as when it ran alone
    incident = Incident.objects.get()
    assert (incident.instance_id, incident.element_id, incident.attempts, incident.status) == (
        failing.process_instance_id,
        "send_reminder",
        1,
        "retrying",
    )
    instance = ProcessInstance.objects.get(pk=failing.process_instance_id)
    assert (instance.version, instance.incident_state, instance.stage) == (
        failing_version,
        "retrying",
        "client_reply",
    )


def test_a_batch_locks_its_rows_with_one_query_per_table_and_batches_are_bounded(
    client_user, acme, bok_staff
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        waiting = waiting_for_client(client_user, acme, bok_staff, 5)
        traveller.shift(timedelta(days=14, seconds=1))

        with CaptureQueriesContext(connection) as queries:
            assert sweep_due_timers(batch_size=3) == 5

    # two batches (3 + 2): one locked read of the requests and one of the instances (their state) each
    assert len(reads_of(queries, "requests_app_portalrequest")) == 2
    instance_reads = reads_of(queries, "workflows_processinstance")
    assert len([sql for sql in instance_reads if '"state"' in sql]) == 2
    assert len(instance_reads) == 3  # and the listing of the due ones
    assert all(reminders(portal_request) == (1, 1) for portal_request in waiting)


def test_an_instance_suspended_after_the_listing_is_skipped_and_its_batch_fires(
    client_user, acme, bok_staff, monkeypatch
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        suspended, fired = waiting_for_client(client_user, acme, bok_staff, 2)
        traveller.shift(timedelta(days=14, seconds=1))
        listing = workflow_services.due_timer_instance_ids

        def listed_then_suspended(**kwargs):
            ids = listing(**kwargs)
            ProcessInstance.objects.filter(pk=suspended.process_instance_id).update(suspended=True)
            return ids

        monkeypatch.setattr(workflow_services, "due_timer_instance_ids", listed_then_suspended)

        assert sweep_due_timers() == 1

    assert reminders(suspended) == (0, 0)
    assert reminders(fired) == (1, 1)
    assert not Incident.objects.exists()


def test_a_batch_that_cannot_lock_its_rows_fires_its_instances_one_by_one(
    client_user, acme, bok_staff, monkeypatch
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        waiting = waiting_for_client(client_user, acme, bok_staff, 3)
        traveller.shift(timedelta(days=14, seconds=1))

        def lock_fails(instance_ids):
            raise OperationalError("database is locked")

        monkeypatch.setattr(workflow_services, "lock_instances", lock_fails)

        assert sweep_due_timers() == 3

    assert all(reminders(portal_request) == (1, 1) for portal_request in waiting)
    assert not Incident.objects.exists()


def test_firing_a_locked_instance_needs_the_transaction_that_locked_it(transactional_db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        workflow_services.fire_locked_timers(ProcessInstance(pk=1))


def test_two_sweeps_at_once_fire_each_timer_once(transactional_db, client_user, acme, bok_staff, monkeypatch):
    """Real threads, each with its own connection: both sweeps list the same due instances, then fire."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        waiting = waiting_for_client(client_user, acme, bok_staff, 4)
        traveller.shift(timedelta(days=14, seconds=1))
        listed = threading.Barrier(2)
        listing = workflow_services.due_timer_instance_ids

        def list_then_wait_for_the_other_sweep(**kwargs):
            ids = listing(**kwargs)
            listed.wait(timeout=30)
            return ids

        monkeypatch.setattr(workflow_services, "due_timer_instance_ids", list_then_wait_for_the_other_sweep)
        results: list = [None, None]

        def sweep(index: int) -> None:
            try:
                results[index] = timers.sweep_due_timers(batch_size=2)
            except Exception as error:  # inspected below
                results[index] = error
            finally:
                connections.close_all()

        threads = [threading.Thread(target=sweep, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 4
    assert all(reminders(portal_request) == (1, 1) for portal_request in waiting)
    assert not Incident.objects.exists()


# --------------------------------------------------------------------------------------------------
# A late sweep reminds once; the sweep fires by the clock it is given


def reminder_every_week_three_times(analyst) -> None:
    """The shipped payment day change with its reminder set to the cycle R3/P7D in the editor, deployed."""
    xml = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
    p14d = '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression" xmlns:xsi="{0}">&quot;P14D&quot;</bpmn:timeDuration>'
    cycle = '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression" xmlns:xsi="{0}">&quot;R3/P7D&quot;</bpmn:timeCycle>'
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    assert p14d.format(xsi) in xml
    deploy_bpmn_version(xml=xml.replace(p14d.format(xsi), cycle.format(xsi)), by=analyst)


def test_a_late_sweep_reminds_once_for_the_missed_occurrences_of_a_cycle(
    client_user, acme, bok_staff, analyst, django_capture_on_commit_callbacks
):
    # given the reminder repeating R3/P7D, and two requests asked a week apart
    reminder_every_week_three_times(analyst)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            [three_weeks] = waiting_for_client(client_user, acme, bok_staff, 1)
            traveller.shift(timedelta(days=7))
            [two_weeks] = waiting_for_client(client_user, acme, bok_staff, 1)

        # when beat was down and the sweep runs only on day 22 of the first one's wait
        traveller.shift(timedelta(days=15))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 2

        # then each is reminded once (one history row, one e-mail), not once per missed week
        assert reminders(three_weeks) == reminders(two_weeks) == (1, 1)
        # and the missed ones are consumed: the first one's three are spent, so its next timer is the
        # cancel; the second one's cycle goes on from its third week
        first = ProcessInstance.objects.get(pk=three_weeks.process_instance_id)
        second = ProcessInstance.objects.get(pk=two_weeks.process_instance_id)
        assert first.next_timer_due == timezone.now() + timedelta(days=8)
        assert second.next_timer_due == timezone.now() + timedelta(days=6)

        traveller.shift(timedelta(days=6, seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        assert reminders(three_weeks) == (1, 1)
        assert reminders(two_weeks) == (2, 2)


def test_the_sweep_fires_what_it_lists_by_the_now_it_is_given(
    client_user, acme, bok_staff, django_capture_on_commit_callbacks
):
    # given a request waiting for the client on the real clock
    with django_capture_on_commit_callbacks(execute=True):
        [waiting] = waiting_for_client(client_user, acme, bok_staff, 1)

    # when a sweep is told it is day 14 of the wait (no clock travel)
    with django_capture_on_commit_callbacks(execute=True):
        fired = sweep_due_timers(now=timezone.now() + timedelta(days=14, seconds=1))

    # then the reminder it lists as due is the one it fires
    assert fired == 1
    assert reminders(waiting) == (1, 1)
    # and a sweep on the real clock finds nothing more due
    assert sweep_due_timers() == 0
