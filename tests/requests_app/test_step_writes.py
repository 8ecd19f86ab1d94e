"""A step writes each table once: what a new request and a first decision write, and in how many statements
(#18: on PostgreSQL every statement is a round trip)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.core.models import OutboxEvent
from backend.requests_app.models import PortalRequest, RequestEvent
from tests.requests_app.test_flows import valid_body

pytestmark = pytest.mark.django_db


def writes(queries, table: str) -> list[str]:
    """The INSERTs and UPDATEs of `table` a block of statements made."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE")) and f'"{table}"' in q["sql"].split(" SET ")[0][:80]
    ]


def test_a_new_request_is_written_once_with_its_instance_its_history_and_its_events(
    api_as, client_user, acme_contract, queued
):
    api = api_as(client_user)

    with CaptureQueriesContext(connection) as queries:
        response = api.post(
            "/api/requests/", valid_body("payment_date_change", api, acme_contract), format="json"
        )

    assert response.status_code == 201, response.json()
    portal_request = PortalRequest.objects.get(pk=response.json()["id"])
    # the INSERT, then one UPDATE with the instance id, the stage and the status
    request_writes = writes(queries, "requests_app_portalrequest")
    assert [sql.split(" ")[0] for sql in request_writes] == ["INSERT", "UPDATE"]
    assert portal_request.process_instance_id is not None
    assert (portal_request.status, portal_request.stage) == ("in_review", "staff_review")
    # the submitted row before the process starts, its status changes after: the rows the first step's
    # service tasks write (a permit's failed rule) come between them, in order
    assert len(writes(queries, "requests_app_requestevent")) == 2
    assert len(writes(queries, "core_outboxevent")) == 1

    # the same rows as before the writes were merged: created as submitted (no stage yet), then in review
    history = list(
        portal_request.events.order_by("id").values_list("kind", "stage", "status_from", "status_to", "actor")
    )
    assert history == [
        (RequestEvent.Kind.SUBMITTED, "", "", "submitted", client_user.pk),
        (RequestEvent.Kind.STAGE_CHANGED, "staff_review", "submitted", "in_review", client_user.pk),
    ]
    events = list(
        OutboxEvent.objects.filter(subject_id=portal_request.pk, subject_type="requests_app.portalrequest")
        .order_by("id")
        .values_list("kind", "payload")
    )
    assert [kind for kind, _payload in events] == ["request.submitted", "request.stage_changed"]
    submitted_payload, stage_payload = events[0][1], events[1][1]
    assert (submitted_payload["stage"], submitted_payload["status"]) == ("", "submitted")
    assert (stage_payload["stage"], stage_payload["status"]) == ("staff_review", "in_review")
    assert submitted_payload["waiting_for"] == stage_payload["waiting_for"] == "staff"


def test_a_first_decision_claims_the_task_in_the_steps_update(api_as, client_user, bok_staff, acme_contract):
    api = api_as(client_user)
    request_id = api.post(
        "/api/requests/", valid_body("payment_date_change", api, acme_contract), format="json"
    ).json()["id"]

    with CaptureQueriesContext(connection) as queries:
        response = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/ask-client/", {"question": "Prosimy o skan."}, format="json"
        )

    assert response.status_code == 200, response.json()
    assert response.json()["assignee"] == bok_staff.pk
    request_writes = writes(queries, "requests_app_portalrequest")
    assert len(request_writes) == 1 and '"assignee_id"' in request_writes[0]
    portal_request = PortalRequest.objects.get(pk=request_id)
    assert (portal_request.assignee_id, portal_request.status) == (bok_staff.pk, "waiting_for_client")


def test_a_failed_first_decision_leaves_the_task_unclaimed(
    api_as, client_user, bok_staff, acme_contract, monkeypatch
):
    """The claim is part of the step: a step that cannot be applied claims nothing."""
    from backend.contracts.schedule import ScheduleError
    from backend.requests_app import services

    api = api_as(client_user)
    request_id = api.post(
        "/api/requests/", valid_body("payment_date_change", api, acme_contract), format="json"
    ).json()["id"]

    def cannot_apply(**_kwargs):
        raise ScheduleError("The payment day must be between 1 and 28.")

    monkeypatch.setattr(services.workflow_services, "complete_task", cannot_apply)
    response = api_as(bok_staff).post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"]["decision"] == ["The payment day must be between 1 and 28."]
    assert PortalRequest.objects.get(pk=request_id).assignee_id is None
