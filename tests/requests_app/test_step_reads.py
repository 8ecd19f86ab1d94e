"""A step reads its request once: the service tasks of the step get the request the action locked
(workflows/service_tasks.py `subject`) instead of reading the row again (#18)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.contracts.models import Contract
from tests.requests_app.test_flows import submit

pytestmark = pytest.mark.django_db


def request_reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "requests_app_portalrequest"' in q["sql"]
    ]


@pytest.mark.parametrize("kind", ["payment_date_change", "schedule_change"])
def test_the_approve_step_reads_its_request_once_and_still_applies_the_change(
    kind, api_as, client_user, bok_staff, acme_contract, request
):
    request_id = submit(api_as(client_user), kind, acme_contract)["id"]
    staff_api = api_as(bok_staff)
    # A real worker's set-up: the decision document is rendered after commit, not inside the step.
    request.getfixturevalue("queued")
    before = Contract.objects.get(pk=acme_contract.pk)

    with CaptureQueriesContext(connection) as queries:
        response = staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    assert len(request_reads(queries)) == 1  # the action's locked read; the service tasks reuse it
    contract_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "contracts_contract"' in q["sql"]
    ]
    assert len(contract_reads) == 1  # the change's locked read; the annex's title reuses it
    inserts = [q["sql"].split(" (")[0] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    # the decision's row, the document's row, then approved + completed in one INSERT; their outbox in one
    assert inserts.count('INSERT INTO "requests_app_requestevent"') == 3
    assert inserts.count('INSERT INTO "core_outboxevent"') == 1
    after = Contract.objects.get(pk=acme_contract.pk)
    assert (after.payment_day, after.months) != (before.payment_day, before.months)
    detail = staff_api.get(f"/api/staff/requests/{request_id}/").json()
    assert [e for e in detail["history"] if e["kind"] == "document"]  # the decision document's row


@pytest.mark.parametrize("kind", ["payment_date_change", "schedule_change"])
def test_an_approval_reads_the_contracts_buyout_quotes_once(
    kind, api_as, client_user, bok_staff, acme_contract
):
    # Refused on an agreed buyout (contract_not_open) or on a quote an open early termination request
    # holds (buyout_in_progress): both checks from one read (contracts.selectors.buyout_holds, #18).
    request_id = submit(api_as(client_user), kind, acme_contract)["id"]

    with CaptureQueriesContext(connection) as queries:
        response = api_as(bok_staff).post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")

    assert response.status_code == 200, response.json()
    quote_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "contracts_buyoutquote"' in q["sql"]
    ]
    assert len(quote_reads) == 1


def test_a_service_task_without_the_subject_still_reads_the_request(acme_contract, api_as, client_user):
    from backend.requests_app.effects import send_client_reminder
    from backend.requests_app.models import PortalRequest, RequestEvent

    request_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
    send_client_reminder({}, {"request_id": request_id})  # as a timer's step calls it: no subject
    assert PortalRequest.objects.get(pk=request_id).events.filter(kind=RequestEvent.Kind.REMINDER).exists()


def test_the_reminder_timer_reads_its_request_once(api_as, client_user, bok_staff, acme_contract):
    import time_machine
    from django.utils import timezone

    from backend.requests_app.models import PortalRequest, RequestEvent
    from backend.requests_app.timers import sweep_due_timers

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
        api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/ask-client/", {"question": "Skan?"}, format="json"
        )
        traveller.shift(timedelta(days=14, seconds=1))

        with CaptureQueriesContext(connection) as queries:
            assert sweep_due_timers() == 1

    assert len(request_reads(queries)) == 1  # the sweep's locked read; the reminder task reuses it
    assert (
        PortalRequest.objects.get(pk=request_id).events.filter(kind=RequestEvent.Kind.REMINDER).count() == 1
    )


def test_the_state_a_step_answers_with_is_byte_for_byte_what_drfs_path_gives(
    api_as, client_user, bok_staff, acme_contract, monkeypatch
):
    from backend.core.serializers import FlatReadSerializerMixin
    from backend.requests_app.apis.outputs import RequestStepOutputSerializer
    from backend.requests_app.models import PortalRequest

    assert RequestStepOutputSerializer.flat_read_plan() is not None
    request_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
    staff_api = api_as(bok_staff)
    states = []
    for path, body in (("ask-client/", {"question": "Skan?"}), (None, None)):
        portal_request = PortalRequest.objects.select_related("process_instance").get(pk=request_id)
        for lane in ("Client", "Staff"):
            flat = RequestStepOutputSerializer(portal_request, context={"lane": lane}).data
            with monkeypatch.context() as patch:
                patch.setattr(FlatReadSerializerMixin, "flat_read_plan", classmethod(lambda cls: None))
                drf = RequestStepOutputSerializer(portal_request, context={"lane": lane}).data
            assert json.dumps(flat) == json.dumps(drf)
            states.append((flat["status"], flat["current_task"] is not None))
        if path:
            staff_api.post(f"/api/staff/requests/{request_id}/{path}", body, format="json")
    # each lane sees the ready task only when it is theirs: staff first, then the client
    assert states == [
        ("in_review", False),
        ("in_review", True),
        ("waiting_for_client", True),
        ("waiting_for_client", False),
    ]
