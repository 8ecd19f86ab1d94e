"""Migration that keeps its word: a dry run per instance or batch, and moves that keep the clocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as PageClient
from django.utils import timezone

from backend.core.exceptions import PortalValidationError
from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.timers import sweep_due_timers
from backend.requests_app.version_moves import migrate_instance
from tests.workflows.test_services import MINIMAL_V2, PAYMENT_XML, store_untested_version
from tests.workflows_deploy.test_timer_contract import without
from tests.workflows_versions.helpers import EARLIER_REMINDER_XML, ask_client, deploy_v2
from workflows import versioning
from workflows.models import ProcessInstance, ProcessVersion
from workflows.services import deploy_bpmn_version

pytestmark = pytest.mark.django_db


def instance_of(request: dict) -> ProcessInstance:
    return PortalRequest.objects.get(pk=request["id"]).process_instance


def dues(timers: list[dict]) -> dict:
    return {t["element_id"]: t["due"] for t in timers}


def test_dry_run_shows_the_timers_before_and_after_and_writes_nothing(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given a request waiting for the client since T0, and five days later a version 2
        request = ask_client(api_as, client_user, bok_staff, acme_contract)
        t0 = timezone.now()
        traveller.shift(timedelta(days=5))
        v2 = deploy_v2(analyst)
        instance = instance_of(request)
        state_before = instance.state

        # when
        [row] = versioning.dry_run(to_version=v2, instances=[instance])

        # then the move is possible and keeps the due times counted from T0
        assert row["can_move"] is True, row
        expected = {"reminder_timer": t0 + timedelta(days=14), "cancel_timer": t0 + timedelta(days=30)}
        assert dues(row["timers_before"]) == expected
        assert dues(row["timers_after"]) == expected
        assert row["tasks_added"] == [] and row["tasks_removed"] == [] and row["data_missing"] == []
        instance.refresh_from_db()
        assert instance.state == state_before and instance.process_version.number == 1


def test_dry_run_names_what_blocks_a_move(api_as, analyst, client_user, bok_staff, acme_contract):
    request = ask_client(api_as, client_user, bok_staff, acme_contract)
    v2 = store_untested_version(MINIMAL_V2)

    [row] = versioning.dry_run(to_version=v2, instances=[instance_of(request)])

    assert row["can_move"] is False
    # the first of the elements it has reached, in the flow's order (by id until session 31)
    assert row["element_id"] == "decision_gateway"
    assert "„Oczekuje na odpowiedź klienta”" in row["reason"]  # client_reply, by its name
    assert row["tasks_removed"] == ["client_reply"]


def test_moving_keeps_the_clocks_and_writes_history_and_audit(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given a request waiting for the client since T0
        request = ask_client(api_as, client_user, bok_staff, acme_contract)
        t0 = timezone.now()
        traveller.shift(timedelta(days=5))
        v2 = deploy_v2(analyst)

        # when it moves on day 5
        instance = migrate_instance(instance_id=instance_of(request).pk, to_version=v2, by=analyst)

        # then the reminder is still due on day 14 of waiting, not on day 19
        instance.refresh_from_db()
        assert instance.process_version == v2
        assert instance.next_timer_due == t0 + timedelta(days=14)
        event = RequestEvent.objects.get(request_id=request["id"], kind=RequestEvent.Kind.MIGRATED)
        assert (event.actor, event.data["from_version"], event.data["to_version"]) == (analyst, 1, 2)
        audit = AuditLog.objects.get(action="workflow.migrate_instance")
        assert audit.detail["timers_before"] == audit.detail["timers_after"]
        assert audit.detail["timers_after"]["reminder_timer"] == (t0 + timedelta(days=14)).isoformat()

        # and the reminder fires on day 14, not before
        traveller.shift(timedelta(days=9) - timedelta(minutes=1))
        assert sweep_due_timers() == 0
        traveller.shift(timedelta(minutes=2))
        assert sweep_due_timers() == 1
        assert (
            RequestEvent.objects.filter(request_id=request["id"], kind=RequestEvent.Kind.REMINDER).count()
            == 1
        )


def test_a_changed_timer_counts_from_when_the_request_began_waiting(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request = ask_client(api_as, client_user, bok_staff, acme_contract)
        t0 = timezone.now()
        traveller.shift(timedelta(days=3))
        v2 = deploy_v2(analyst, EARLIER_REMINDER_XML)  # the reminder after 10 days

        instance = migrate_instance(instance_id=instance_of(request).pk, to_version=v2, by=analyst)

        instance.refresh_from_db()
        assert instance.next_timer_due == t0 + timedelta(days=10)


def test_api_dry_run_for_a_filtered_batch(api_as, analyst, client_user, bok_staff, acme_contract):
    first = ask_client(api_as, client_user, bok_staff, acme_contract)
    v2 = deploy_v2(analyst)
    api = api_as(analyst)

    by_filter = api.post(
        "/api/workflows/instances/migrate/dry-run/",
        {"version_id": v2.pk, "from_version_id": instance_of(first).process_version_id},
        format="json",
    )
    by_ids = api.post(
        "/api/workflows/instances/migrate/dry-run/",
        {"version_id": v2.pk, "instance_ids": [instance_of(first).pk]},
        format="json",
    )
    nothing_picked = api.post(
        "/api/workflows/instances/migrate/dry-run/", {"version_id": v2.pk}, format="json"
    )

    assert by_filter.status_code == 200
    assert [(r["instance_id"], r["can_move"]) for r in by_filter.json()] == [(instance_of(first).pk, True)]
    assert by_ids.json() == by_filter.json()
    assert nothing_picked.status_code == 400
    assert instance_of(first).process_version.number == 1


# --------------------------------------------------------------------------------------------------
# A move to a version whose waiting task has a timer the old version lacked


def without_reminder() -> str:
    return without(PAYMENT_XML, "reminder_timer", "send_reminder", "reminder_sent")


def test_a_move_starts_the_timers_the_new_version_adds_to_the_waiting_task(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given a request waiting for the client since T0 on a version without the 14-day reminder
        v2 = deploy_bpmn_version(xml=without_reminder(), by=analyst)
        request = ask_client(api_as, client_user, bok_staff, acme_contract)
        instance = instance_of(request)
        assert instance.process_version == v2
        t0 = timezone.now()
        # and on day 5 a version 3 that reminds on day 14 of waiting
        traveller.shift(timedelta(days=5))
        v3 = deploy_bpmn_version(
            xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst
        )

        # when the analyst reads the dry run
        [row] = versioning.dry_run(to_version=v3, instances=[instance])
        page = PageClient()
        page.force_login(analyst)
        html = page.get(f"/analyst/flows/payment_date_change/migrations/{instance.pk}/").content.decode()

        # then it lists the reminder as added, due on day 14 of waiting (not of the move)
        due = t0 + timedelta(days=14)
        assert row["can_move"] is True, row
        assert dues(row["timers_added"]) == {"reminder_timer": due}
        assert dues(row["timers_after"]) == {"reminder_timer": due, "cancel_timer": t0 + timedelta(days=30)}
        assert "Zadania i zegary dodane / usunięte" in html
        added = html.split('data-testid="dry-run-v3"', 1)[1].split("</tr>", 1)[0]
        assert "+&nbsp;„Po 14 dniach bez odpowiedzi” (zegar, termin " in added  # reminder_timer, by its name
        assert timezone.localtime(due).strftime("%d.%m.%Y") in added

        # and after the move the reminder fires on day 14, the request still waiting for the client
        migrate_instance(instance_id=instance.pk, to_version=v3, by=analyst)
        instance.refresh_from_db()
        assert instance.next_timer_due == due
        traveller.shift(timedelta(days=9) - timedelta(minutes=1))
        assert sweep_due_timers() == 0
        traveller.shift(timedelta(minutes=2))
        assert sweep_due_timers() == 1
        reminders = RequestEvent.objects.filter(request_id=request["id"], kind=RequestEvent.Kind.REMINDER)
        assert reminders.count() == 1
        assert PortalRequest.objects.get(pk=request["id"]).status == "waiting_for_client"


def test_a_move_that_could_not_start_the_new_timers_is_refused_naming_them(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    # given a request waiting at a client_reply that has no timer at all (a version stored before the
    # contract required the cancel timer), and version 1 with both timers on it
    bare = store_untested_version(without(without_reminder(), "cancel_timer", "request_cancelled"))
    # its own checksum: parsed specs are cached by (id, checksum), and ids come back after a rollback
    bare.checksum = "untested: client_reply without timers"
    bare.save(update_fields=["checksum"])
    versioning.make_current(version=bare, action=versioning.Activation.ROLLBACK)
    request = ask_client(api_as, client_user, bok_staff, acme_contract)
    instance = instance_of(request)
    v1 = ProcessVersion.objects.get(process_key="payment_date_change", number=1)

    # when the analyst tries it
    [row] = versioning.dry_run(to_version=v1, instances=[instance])

    # then the dry run says the timers would not start, and the move is refused
    assert row["can_move"] is False, row
    assert row["element_id"] == "reminder_timer", row
    # the timers and the task by their names (reminder_timer, cancel_timer, client_reply)
    assert "„Po 14 dniach bez odpowiedzi”, „Po 30 dniach bez odpowiedzi”" in row["reason"]
    assert "„Oczekuje na odpowiedź klienta”" in row["reason"]
    with pytest.raises(PortalValidationError):
        migrate_instance(instance_id=instance.pk, to_version=v1, by=analyst)
    instance.refresh_from_db()
    assert instance.process_version == bare
