"""Each request action, called as a service (not through HTTP): status, stage, history rows, outbox rows.

Every action that steps the process reads top to bottom (lock, engine facade, lifecycle.apply_step,
history, outbox); these tests pin what each one leaves behind, one transaction per step.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.core.models import AuditLog, OutboxEvent
from backend.requests_app import repair_steps, services, task_hands
from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.timers import fire_request_timers, sweep_due_timers
from backend.requests_app.version_moves import migrate_instance
from tests.requests_app.helpers import contact
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db

KIND = "payment_date_change"
PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


def submit(user, client, contract) -> PortalRequest:
    portal_request, created = services.submit_request(
        user=user,
        client=client,
        kind=KIND,
        contract=contract,
        contact=contact(),
        declarations=list(KIND_DECLARATIONS[KIND]),
        data=PAYMENT,
        attachment_ids=[],
    )
    assert created
    return portal_request


def history(portal_request: PortalRequest) -> list[tuple]:
    rows = RequestEvent.objects.filter(request=portal_request).order_by("created_at", "id")
    return [(e.kind, e.author, e.status_from, e.status_to) for e in rows]


def outbox_since(first_id: int) -> list[tuple]:
    rows = OutboxEvent.objects.filter(pk__gt=first_id).order_by("pk")
    return [(e.kind, e.payload.get("status"), e.payload.get("waiting_for")) for e in rows]


def last_outbox_id() -> int:
    return OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def saved(portal_request: PortalRequest) -> tuple[str, str]:
    row = PortalRequest.objects.get(pk=portal_request.pk)
    return row.status, row.stage


@pytest.fixture
def submitted(client_user, acme, acme_contract, django_capture_on_commit_callbacks) -> PortalRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return submit(client_user, acme, acme_contract)


@pytest.fixture
def asked(submitted, bok_staff, django_capture_on_commit_callbacks) -> PortalRequest:
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_staff_task(
            staff=bok_staff, portal_request=submitted, data={"decision": "ask_client", "question": "Skan?"}
        )
    return submitted


def test_submit_starts_the_process_and_writes_submitted_and_the_first_stage(
    client_user, acme, acme_contract, django_capture_on_commit_callbacks
):
    before = last_outbox_id()
    with django_capture_on_commit_callbacks(execute=True):
        portal_request = submit(client_user, acme, acme_contract)

    assert (portal_request.status, portal_request.stage) == ("in_review", "staff_review")
    assert saved(portal_request) == ("in_review", "staff_review")
    assert portal_request.staff_due_at is not None
    assert history(portal_request) == [
        ("submitted", "client", "", "submitted"),
        ("stage_changed", "client", "submitted", "in_review"),
    ]
    assert outbox_since(before) == [
        (OutboxEvent.Kind.REQUEST_SUBMITTED, "submitted", "staff"),
        (OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "in_review", "staff"),
    ]


def test_staff_question_waits_for_the_client(submitted, bok_staff, django_capture_on_commit_callbacks):
    before = last_outbox_id()
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.complete_staff_task(
            staff=bok_staff, portal_request=submitted, data={"decision": "ask_client", "question": "Skan?"}
        )

    assert (returned.status, returned.stage) == ("waiting_for_client", "client_reply")
    assert saved(submitted) == ("waiting_for_client", "client_reply")
    assert returned.process_instance.waiting_for == "client"
    assert history(submitted)[2:] == [
        ("question", "staff", "", ""),
        ("stage_changed", "staff", "in_review", "waiting_for_client"),
    ]
    assert outbox_since(before) == [
        (OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "waiting_for_client", "client"),
        (OutboxEvent.Kind.REQUEST_WAITING_FOR_CLIENT, "waiting_for_client", "client"),
    ]


def test_client_reply_returns_the_request_to_review(asked, client_user, django_capture_on_commit_callbacks):
    before = last_outbox_id()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_request(
            user=client_user, portal_request=asked, message="W załączeniu.", attachment_ids=[]
        )

    assert saved(asked) == ("in_review", "staff_review")
    assert history(asked)[4:] == [
        ("reply", "client", "", ""),
        ("stage_changed", "client", "waiting_for_client", "in_review"),
    ]
    assert outbox_since(before) == [(OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "in_review", "staff")]


def test_approval_decides_then_the_system_completes(submitted, bok_staff, django_capture_on_commit_callbacks):
    before = last_outbox_id()
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.complete_staff_task(
            staff=bok_staff, portal_request=submitted, data={"decision": "approve"}
        )

    assert saved(submitted) == ("completed", "request_approved")
    assert returned.decided_at is not None and returned.staff_due_at is None
    rows = history(submitted)[2:]
    assert rows[0] == ("decision", "staff", "", "")
    assert ("stage_changed", "staff", "in_review", "approved") in rows
    assert ("stage_changed", "system", "approved", "completed") in rows
    assert outbox_since(before) == [
        (OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "approved", "nobody"),
        (OutboxEvent.Kind.REQUEST_DECIDED, "approved", "nobody"),
        (OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "completed", "nobody"),
    ]


def test_rejection_is_decided_with_its_reason(submitted, bok_staff, django_capture_on_commit_callbacks):
    before = last_outbox_id()
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_staff_task(
            staff=bok_staff, portal_request=submitted, data={"decision": "reject", "reason": "Zaległości."}
        )

    row = PortalRequest.objects.get(pk=submitted.pk)
    assert row.status == "rejected" and row.decision_reason == "Zaległości."
    rows = history(submitted)[2:]
    assert rows[0] == ("decision", "staff", "", "")
    assert ("stage_changed", "staff", "in_review", "rejected") in rows
    assert [kind for kind, *_ in outbox_since(before)] == [
        OutboxEvent.Kind.REQUEST_STAGE_CHANGED,
        OutboxEvent.Kind.REQUEST_DECIDED,
    ]


def test_withdrawal_cancels(asked, client_user, django_capture_on_commit_callbacks):
    before = last_outbox_id()
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.cancel_request(user=client_user, portal_request=asked)

    assert saved(asked)[0] == "cancelled"
    assert returned.process_instance.status == "cancelled"
    assert history(asked)[-1] == ("stage_changed", "client", "waiting_for_client", "cancelled")
    assert outbox_since(before) == [(OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "cancelled", "nobody")]


def test_comment_reads_waiting_for_from_the_instance_row_not_its_engine_state(
    asked, client_user, django_capture_on_commit_callbacks
):
    before = last_outbox_id()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(
            user=client_user, portal_request=asked, message="Dosyłam później.", attachment_ids=[]
        )

    assert saved(asked) == ("waiting_for_client", "client_reply")  # no step
    assert (comment.kind, comment.author, comment.message) == ("comment", "client", "Dosyłam później.")
    [event] = OutboxEvent.objects.filter(pk__gt=before, kind=OutboxEvent.Kind.REQUEST_COMMENT)
    assert (event.payload["waiting_for"], event.payload["event_id"]) == ("client", comment.pk)
    instance_reads = [q["sql"] for q in queries.captured_queries if '"workflows_processinstance"' in q["sql"]]
    assert instance_reads and not any('"state"' in sql for sql in instance_reads)


def test_claim_and_release_write_their_rows_and_a_staff_only_event(submitted, bok_staff):
    before = last_outbox_id()
    task_hands.claim_request(staff=bok_staff, portal_request=submitted)
    task_hands.unclaim_request(staff=bok_staff, portal_request=submitted)

    assert [row[:2] for row in history(submitted)[2:]] == [("claimed", "staff"), ("unclaimed", "staff")]
    # the other staff's pages refresh; no client id: the client is not told (tests/staff_walk14)
    events = OutboxEvent.objects.filter(pk__gt=before).order_by("pk")
    assert [(e.kind, e.client_id) for e in events] == [(OutboxEvent.Kind.REQUEST_ASSIGNED, None)] * 2


def test_timers_remind_on_day_14_and_cancel_on_day_30(
    client_user, acme, acme_contract, bok_staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            portal_request = submit(client_user, acme, acme_contract)
            services.complete_staff_task(
                staff=bok_staff,
                portal_request=portal_request,
                data={"decision": "ask_client", "question": "Skan?"},
            )
        instance_id = portal_request.process_instance_id
        assert fire_request_timers(instance_id=instance_id) is False  # nothing due yet

        traveller.shift(timedelta(days=14, seconds=1))
        before = last_outbox_id()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        assert saved(portal_request) == ("waiting_for_client", "client_reply")
        assert history(portal_request)[-1][:2] == ("reminder", "system")
        assert [kind for kind, *_ in outbox_since(before)] == [OutboxEvent.Kind.REQUEST_REMINDER]

        traveller.shift(timedelta(days=16))
        before = last_outbox_id()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        assert saved(portal_request)[0] == "cancelled"
        assert history(portal_request)[-1] == ("stage_changed", "system", "waiting_for_client", "cancelled")
        assert outbox_since(before) == [(OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "cancelled", "nobody")]


def test_moving_to_another_version_writes_migrated_and_keeps_the_status(submitted, analyst):
    v1 = get_current_version(KIND)
    # the same flow, its review task renamed (a comment alone is no new version: the content is the same)
    renamed = v1.bpmn_xml.replace('name="Weryfikacja przez BOK"', 'name="Weryfikacja BOK"', 1)
    v2 = deploy_bpmn_version(xml=renamed, by=analyst)
    assert v2.pk != v1.pk
    before = last_outbox_id()

    instance = migrate_instance(instance_id=submitted.process_instance_id, to_version=v2, by=analyst)

    assert instance.process_version_id == v2.pk
    assert saved(submitted) == ("in_review", "staff_review")
    migrated = RequestEvent.objects.get(request=submitted, kind="migrated")
    assert (migrated.author, migrated.actor, migrated.data["to_version"]) == ("staff", analyst, v2.number)
    assert outbox_since(before) == []


def test_repair_move_token_back_to_review_follows_with_status_history_and_audit(
    asked, analyst, django_capture_on_commit_callbacks
):
    before = last_outbox_id()
    with django_capture_on_commit_callbacks(execute=True):
        repair_steps.move_token(
            instance_id=asked.process_instance_id, task_spec_name="staff_review", by=analyst, note="Pomyłka."
        )

    assert saved(asked) == ("in_review", "staff_review")
    rows = history(asked)
    assert rows[-2] == ("stage_changed", "staff", "waiting_for_client", "in_review")
    assert rows[-1][:2] == ("repaired", "staff")
    assert outbox_since(before) == [(OutboxEvent.Kind.REQUEST_STAGE_CHANGED, "in_review", "staff")]
    audit = AuditLog.objects.get(action="workflow.repair.move_token")
    assert (audit.detail["before"]["stage"], audit.detail["after"]["stage"]) == (
        "client_reply",
        "staff_review",
    )


def test_repair_cancel_cancels_the_request_with_the_reason(
    asked, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        repair_steps.cancel_instance(instance_id=asked.process_instance_id, reason="Duplikat.", by=analyst)

    assert saved(asked)[0] == "cancelled"
    repaired = RequestEvent.objects.get(request=asked, kind="repaired")
    assert (repaired.message, repaired.data["action"], repaired.data["after"]["status"]) == (
        "Duplikat.",
        "cancel",
        "cancelled",
    )
    assert AuditLog.objects.get(action="workflow.repair.cancel").detail["request_id"] == asked.pk


def test_history_rows_are_written_only_by_history_py():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = {
        str(path.relative_to(root))
        for folder in ("backend", "portal_ui", "notifications", "workflows")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts
        and any(
            call in path.read_text(encoding="utf-8")
            # The ORM's ways, and a new row built to be stored (history.py hands it to insert_rows).
            for call in (
                "RequestEvent.objects.create",
                "RequestEvent.objects.bulk_create",
                "events.create(",
                "insert_rows([RequestEvent(",
            )
        )
    }
    assert writers == {"backend/requests_app/history.py"}


def test_beat_runs_the_timer_sweep_every_minute():
    from backend.config.celery import app
    from backend.requests_app.tasks import sweep_due_timers_task

    entry = app.conf.beat_schedule["requests-sweep-due-timers"]
    assert entry["task"] == sweep_due_timers_task.name
    assert entry["schedule"] == 60.0
    assert sweep_due_timers_task.delay().get() == 0
