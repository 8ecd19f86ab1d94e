"""The repair console's actions end to end through the API: each one changes the instance as it says,
writes a row of the request's history and an audit row with before/after; only analysts and admins may."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.requests_app.helpers import contract_free_for, submission
from workflows import engine, service_tasks
from workflows.models import Incident, ProcessInstance
from workflows.services import parsed

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}
WARSAW = ZoneInfo("Europe/Warsaw")


def submit(api, contract) -> int:
    contract = contract_free_for("payment_date_change", contract)  # one open per contract
    response = api.post(
        "/api/requests/", submission("payment_date_change", contract=contract, data=PAYMENT), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def ask_client(api, request_id: int) -> None:
    response = api.post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    assert response.status_code == 200, response.json()


def instance_of(request_id: int) -> ProcessInstance:
    return PortalRequest.objects.get(pk=request_id).process_instance


def repaired(request_id: int, action: str) -> RequestEvent:
    return RequestEvent.objects.get(request_id=request_id, kind="repaired", data__action=action)


def audit(action: str) -> AuditLog:
    return AuditLog.objects.get(action=f"workflow.repair.{action}")


def test_retry_runs_the_failed_timer_step_again_and_resolves_its_incident(
    api_as, client_user, bok_staff, analyst, acme_contract, monkeypatch, settings
):
    # given a reminder that failed until its incident opened
    settings.WORKFLOW_TIMER_MAX_ATTEMPTS = 1
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request_id = submit(api_as(client_user), acme_contract)
        ask_client(api_as(bok_staff), request_id)
        monkeypatch.setitem(service_tasks._registry, "send_client_reminder", lambda params, data: 1 / 0)
        traveller.shift(timedelta(days=14, seconds=1))
        sweep_due_timers()
        ops = api_as(analyst)  # logged in now: a session from 14 days ago has expired
        ops.raise_request_exception = False
        incident = Incident.objects.get()
        assert incident.status == "open"
        url = f"/api/ops/instances/{instance_of(request_id).pk}/retry/"

        # when retried while the cause is still there: the incident answer, counted once more
        failed = ops.post(url, {}, format="json")
        assert failed.status_code == 409
        assert failed.json()["code"] == "workflow_incident"
        incident.refresh_from_db()
        assert (incident.attempts, incident.status) == (2, "open")
        assert not AuditLog.objects.filter(action="workflow.repair.retry").exists()

        # when retried after the fix
        monkeypatch.undo()
        response = ops.post(url, {}, format="json")

    # then the reminder went out, the incident is resolved, and history and audit say so
    assert response.status_code == 200, response.json()
    assert response.json()["incident_state"] == ""
    incident.refresh_from_db()
    assert incident.status == "resolved"
    row = audit("retry")
    assert row.user == analyst
    assert row.detail["before"]["incident_state"] == "open"
    assert row.detail["after"]["incident_state"] == ""
    assert "send_reminder" in row.detail["ran"]
    assert repaired(request_id, "retry").actor == analyst


def test_suspended_instance_refuses_steps_and_is_skipped_by_the_sweep_until_resumed(
    api_as, client_user, bok_staff, analyst, acme_contract
):
    ops = api_as(analyst)
    client_api = api_as(client_user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request_id = submit(client_api, acme_contract)
        ask_client(api_as(bok_staff), request_id)
        instance = instance_of(request_id)

        # when suspended
        response = ops.post(
            f"/api/ops/instances/{instance.pk}/suspend/", {"note": "Awaria systemu KSeF"}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["suspended"] is True

        # then the client's reply is refused with a clear error and the due reminder is not sent
        reply = client_api.post(
            f"/api/requests/{request_id}/reply/", {"message": "Oto dokumenty"}, format="json"
        )
        assert reply.status_code == 409
        assert reply.json()["code"] == "instance_suspended"
        assert "wstrzymany przez administratora" in reply.json()["message"]
        traveller.shift(timedelta(days=14, seconds=1))
        assert sweep_due_timers() == 0
        ops = api_as(analyst)  # logged in now: a session from 14 days ago has expired
        again = {"note": "Awaria systemu KSeF"}
        assert ops.post(f"/api/ops/instances/{instance.pk}/suspend/", again, format="json").status_code == 409

        # when resumed, the sweep sends the reminder
        response = ops.post(f"/api/ops/instances/{instance.pk}/resume/", {}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["suspended"] is False
        assert sweep_due_timers() == 1

    suspend = audit("suspend")
    assert (suspend.detail["before"]["suspended"], suspend.detail["after"]["suspended"]) == (False, True)
    assert suspend.detail["note"] == "Awaria systemu KSeF"
    resume = audit("resume")
    assert (resume.detail["before"]["suspended"], resume.detail["after"]["suspended"]) == (True, False)
    assert repaired(request_id, "suspend").message == "Awaria systemu KSeF"
    assert repaired(request_id, "resume").author == "staff"
    assert PortalRequest.objects.get(pk=request_id).status == "waiting_for_client"


def test_edit_task_data_is_validated_against_the_form_and_audited(
    api_as, client_user, analyst, acme_contract
):
    ops = api_as(analyst)
    request_id = submit(api_as(client_user), acme_contract)
    instance = instance_of(request_id)
    url = f"/api/ops/instances/{instance.pk}/edit-data/"

    # when the data breaks the task's form
    bad = ops.post(url, {"data": {"decision": "maybe"}}, format="json")

    # then it is refused in the error shape and nothing is recorded
    assert bad.status_code == 400
    assert set(bad.json()) == {"code", "message", "fields"}
    assert "decision" in bad.json()["fields"]
    assert not AuditLog.objects.filter(action="workflow.repair.edit_data").exists()

    # when valid
    response = ops.post(
        url, {"data": {"decision": "approve", "comment": "Poprawka"}, "note": "Literówka"}, format="json"
    )

    # then the ready task holds it, the task stays ready, and audit and history name the changed keys
    assert response.status_code == 200, response.json()
    instance.refresh_from_db()
    assert instance.current_task_name == "staff_review"
    data = engine.ready_task_data(parsed(instance.process_version), instance.state)["staff_review"]
    assert (data["decision"], data["comment"]) == ("approve", "Poprawka")
    row = audit("edit_data")
    assert row.detail["changed_keys"] == ["comment", "decision"]
    assert row.detail["data_after"] == {"comment": "Poprawka", "decision": "approve"}
    event = repaired(request_id, "edit_data")
    assert event.message == "Literówka"
    assert event.data["changed_keys"] == ["comment", "decision"]


def test_move_token_back_to_staff_review_moves_the_request_back_too(
    api_as, client_user, bok_staff, analyst, acme_contract
):
    ops = api_as(analyst)
    request_id = submit(api_as(client_user), acme_contract)
    ask_client(api_as(bok_staff), request_id)
    instance = instance_of(request_id)
    url = f"/api/ops/instances/{instance.pk}/move-token/"

    # a task that is not a user task of the process is refused
    bad = ops.post(url, {"task": "apply_change"}, format="json")
    assert bad.status_code == 400
    assert "task" in bad.json()["fields"]

    # when moved back to the staff review
    response = ops.post(url, {"task": "staff_review", "note": "Błędne pytanie"}, format="json")

    # then the instance and the request are back in review; the reminder timer is gone
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["stage"], body["waiting_for"], body["next_timer_due"]) == ("staff_review", "staff", None)
    assert PortalRequest.objects.get(pk=request_id).status == "in_review"
    row = audit("move_token")
    assert (row.detail["before"]["stage"], row.detail["after"]["stage"]) == ("client_reply", "staff_review")
    assert repaired(request_id, "move_token").message == "Błędne pytanie"
    # and the staff can decide again
    approved = api_as(bok_staff).post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()


def test_cancel_needs_a_reason_and_cancels_the_request(api_as, client_user, analyst, acme_contract):
    ops = api_as(analyst)
    request_id = submit(api_as(client_user), acme_contract)
    instance = instance_of(request_id)
    url = f"/api/ops/instances/{instance.pk}/cancel/"

    assert ops.post(url, {"reason": ""}, format="json").status_code == 400

    response = ops.post(url, {"reason": "Duplikat wniosku"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert PortalRequest.objects.get(pk=request_id).status == "cancelled"
    row = audit("cancel")
    assert (row.detail["before"]["status"], row.detail["after"]["status"]) == ("running", "cancelled")
    assert row.detail["note"] == "Duplikat wniosku"
    assert repaired(request_id, "cancel").message == "Duplikat wniosku"
    assert RequestEvent.objects.filter(
        request_id=request_id, kind="stage_changed", status_to="cancelled"
    ).exists()
    assert ops.post(url, {"reason": "Jeszcze raz"}, format="json").status_code == 409
    # the client sees the lessor's cancellation and its reason, not the back office's repair row
    client_view = api_as(client_user).get(f"/api/requests/{request_id}/").json()
    assert (client_view["stage"], client_view["decision_reason"]) == (
        "cancelled_by_lessor",
        "Duplikat wniosku",
    )
    assert "cancelled" in [row.get("status_to") for row in client_view["history"]]
    assert "repaired" not in [row.get("kind") for row in client_view["history"]]


def test_resolve_incident_with_a_note(api_as, client_user, bok_staff, analyst, acme_contract, monkeypatch):
    # given a failed approval (an incident of a raising service task)
    request_id = submit(api_as(client_user), acme_contract)
    monkeypatch.setitem(service_tasks._registry, "generate_decision_document", lambda params, data: 1 / 0)
    staff_api = api_as(bok_staff)
    staff_api.raise_request_exception = False
    assert staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json").status_code == 409
    incident = Incident.objects.get()
    ops = api_as(analyst)
    listed = ops.get("/api/ops/incidents/").json()
    assert [row["id"] for row in listed] == [incident.pk]
    assert listed[0]["request_id"] == request_id

    # a note is required
    assert ops.post(f"/api/ops/incidents/{incident.pk}/resolve/", {}, format="json").status_code == 400

    # when resolved
    response = ops.post(
        f"/api/ops/incidents/{incident.pk}/resolve/", {"note": "Drukarka naprawiona"}, format="json"
    )

    # then
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["resolution_note"]) == (
        "resolved",
        "Drukarka naprawiona",
    )
    assert instance_of(request_id).incident_state == ""
    assert ops.get("/api/ops/incidents/").json() == []
    row = audit("resolve_incident")
    assert (row.detail["before"]["incident_state"], row.detail["after"]["incident_state"]) == ("open", "")
    assert row.detail["incident_id"] == incident.pk
    assert repaired(request_id, "resolve_incident").message == "Drukarka naprawiona"
    again = ops.post(f"/api/ops/incidents/{incident.pk}/resolve/", {"note": "x"}, format="json")
    assert again.status_code == 409
    assert ops.post("/api/ops/incidents/999999/resolve/", {"note": "x"}, format="json").status_code == 404


def test_overdue_and_counts(api_as, client_user, bok_staff, analyst, acme_contract, settings):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5

    def ops():  # logged in at the travelled time: older sessions expire
        return api_as(analyst)

    # Thursday 3 December 2026, 10:00 in Warsaw: staff's due time is Thursday 10 December, 17:00
    thursday = datetime(2026, 12, 3, 10, 0, tzinfo=WARSAW)
    with time_machine.travel(thursday, tick=False) as traveller:
        in_review = submit(api_as(client_user), acme_contract)
        waiting = submit(api_as(client_user), acme_contract)
        ask_client(api_as(bok_staff), waiting)

        # six calendar days on (four working days) nothing is overdue: the SLA counts working days
        traveller.shift(timedelta(days=6))
        assert ops().get("/api/ops/overdue/").json() == []

        # past the stored due time only the request in review is
        traveller.move_to(datetime(2026, 12, 10, 17, 1, tzinfo=WARSAW))
        overdue = ops().get("/api/ops/overdue/").json()
        assert [(row["request_id"], row["sla_days"], row["waiting_days"]) for row in overdue] == [
            (in_review, 5, 7)
        ]

        # past the client's 14 calendar days both are
        traveller.move_to(thursday + timedelta(days=14, minutes=1))
        assert {row["request_id"] for row in ops().get("/api/ops/overdue/").json()} == {in_review, waiting}

    counts = ops().get("/api/ops/counts/").json()
    assert [(row["process_key"], row["stage"], row["count"]) for row in counts] == [
        ("payment_date_change", "client_reply", 1),
        ("payment_date_change", "staff_review", 1),
    ]


OPS_CALLS = [
    ("get", "/api/ops/incidents/"),
    ("get", "/api/ops/overdue/"),
    ("get", "/api/ops/counts/"),
    *[
        ("post", f"/api/ops/instances/{{instance}}/{name}/")
        for name in ("retry", "suspend", "resume", "edit-data", "move-token", "cancel")
    ],
    ("post", "/api/ops/incidents/{incident}/resolve/"),
]


@pytest.mark.parametrize("who", ["client_user", "bok_staff"])
def test_clients_and_staff_are_refused(who, request, api_as, client_user, acme_contract):
    request_id = submit(api_as(client_user), acme_contract)
    instance = instance_of(request_id)
    incident = Incident.objects.create(instance=instance, action="timer", error_class="RuntimeError")
    api = api_as(request.getfixturevalue(who))

    for method, url in OPS_CALLS:
        response = getattr(api, method)(
            url.format(instance=instance.pk, incident=incident.pk), {}, format="json"
        )
        assert response.status_code == 403, url

    instance.refresh_from_db()
    assert (instance.status, instance.suspended) == ("running", False)
    assert not AuditLog.objects.filter(action__startswith="workflow.repair.").exists()


def test_ids_out_of_range_are_not_found(api_as, analyst):
    api = api_as(analyst)
    huge = 10**30
    assert api.post(f"/api/ops/instances/{huge}/suspend/", {}, format="json").status_code == 404
    assert api.post(f"/api/ops/incidents/{huge}/resolve/", {"note": "x"}, format="json").status_code == 404
