"""Moving a batch of instances to another version in one action: per instance, audited, clocks kept.

`POST /api/workflows/instances/migrate/` takes the dry run's selection; each instance moves on its own,
so one that cannot move is reported and the others still move.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.requests_app.helpers import contract_free_for, submission
from tests.workflows.test_services import store_untested_version
from workflows.models import ProcessInstance
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
RELABELLED_XML = PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku")
# Only staff_review: an instance waiting at client_reply cannot move here, one at staff_review can.
STAFF_ONLY_XML = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://x">
  <bpmn:process id="payment_date_change" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_staff" name="Staff"><bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="begin"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="staff_review" name="Jedno sprawdzenie">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="payment_date_change/staff_review" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="finish">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="outcome" value="approved" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="begin" targetRef="staff_review" />
    <bpmn:sequenceFlow id="f2" sourceRef="staff_review" targetRef="finish" />
  </bpmn:process>
</bpmn:definitions>
"""
URL = "/api/workflows/instances/migrate/"


def submit(api, contract) -> int:
    contract = contract_free_for("payment_date_change", contract)
    body = submission(
        "payment_date_change", contract=contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def ask_client(api_as, client_user, bok_staff, contract) -> int:
    request_id = submit(api_as(client_user), contract)
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    assert response.status_code == 200, response.json()
    return request_id


def instance_of(request_id: int) -> ProcessInstance:
    return PortalRequest.objects.get(pk=request_id).process_instance


def test_a_batch_moves_what_can_move_and_names_what_cannot(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given one request waiting for the client since T0 and one waiting for staff
        waiting = ask_client(api_as, client_user, bok_staff, acme_contract)
        t0 = timezone.now()
        reviewing = submit(api_as(client_user), acme_contract)
        traveller.shift(timedelta(days=5))
        # and a version 2 without the client's task
        v2 = store_untested_version(STAFF_ONLY_XML)
        waiting_state = instance_of(waiting).state

        # when the analyst moves both (and an id that is no running instance) in one action
        ids = [instance_of(waiting).pk, instance_of(reviewing).pk, 999_999]
        response = api_as(analyst).post(URL, {"version_id": v2.pk, "instance_ids": ids}, format="json")

    # then the answer has one result per instance
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["moved"], body["not_moved"]) == (1, 2)
    results = {row["instance_id"]: row for row in body["results"]}
    assert results[instance_of(reviewing).pk]["moved"] is True
    blocked = results[instance_of(waiting).pk]
    assert blocked["moved"] is False and blocked["element_id"]
    assert "„Oczekuje na odpowiedź klienta”" in blocked["message"]  # client_reply, by its name
    assert (results[999_999]["moved"], results[999_999]["code"]) == (False, "not_movable")
    # and the request that could move runs on version 2, with its history and audit rows
    assert instance_of(reviewing).process_version == v2
    migrated = RequestEvent.objects.filter(kind=RequestEvent.Kind.MIGRATED)
    assert list(migrated.values_list("request_id", flat=True)) == [reviewing]
    assert AuditLog.objects.filter(action="workflow.migrate_instance").count() == 1
    # and the one that could not stayed as it was, its clock untouched
    stayed = instance_of(waiting)
    assert stayed.process_version.number == 1 and stayed.state == waiting_state
    assert stayed.next_timer_due == t0 + timedelta(days=14)


def test_all_instances_of_a_version_move_and_keep_their_clocks(
    api_as, analyst, client_user, bok_staff, acme_contract
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given two requests that began waiting for the client two days apart
        first = ask_client(api_as, client_user, bok_staff, acme_contract)
        first_since = timezone.now()
        traveller.shift(timedelta(days=2))
        second = ask_client(api_as, client_user, bok_staff, acme_contract)
        second_since = timezone.now()
        traveller.shift(timedelta(days=3))
        v1 = instance_of(first).process_version
        v2 = deploy_bpmn_version(xml=RELABELLED_XML, by=analyst)

        # when every running instance of version 1 moves to version 2 on day 5
        response = api_as(analyst).post(URL, {"version_id": v2.pk, "from_version_id": v1.pk}, format="json")

    # then both moved, each reminder still due on day 14 of its own waiting
    assert response.status_code == 200, response.json()
    assert (response.json()["moved"], response.json()["not_moved"]) == (2, 0)
    for request_id, since in [(first, first_since), (second, second_since)]:
        instance = instance_of(request_id)
        assert instance.process_version == v2
        assert instance.next_timer_due == since + timedelta(days=14)
        event = RequestEvent.objects.get(request_id=request_id, kind=RequestEvent.Kind.MIGRATED)
        assert (event.actor, event.data["from_version"], event.data["to_version"]) == (analyst, 1, 2)
    audits = AuditLog.objects.filter(action="workflow.migrate_instance")
    assert sorted(audit.detail["instance_id"] for audit in audits) == sorted(
        [instance_of(first).pk, instance_of(second).pk]
    )


def test_a_batch_needs_a_selection_and_an_analyst(api_as, analyst, bok_staff):
    v1 = get_current_version("payment_date_change")

    unpicked = api_as(analyst).post(URL, {"version_id": v1.pk}, format="json")
    as_staff = api_as(bok_staff).post(URL, {"version_id": v1.pk, "from_version_id": v1.pk}, format="json")

    assert unpicked.status_code == 400
    assert "instance_ids" in unpicked.json()["fields"]
    assert as_staff.status_code == 403
    assert not AuditLog.objects.filter(action="workflow.migrate_instance").exists()
