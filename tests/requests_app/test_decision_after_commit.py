"""The decision document is rendered by the worker after the deciding step commits, exactly once (#18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from backend.core.models import OutboxEvent
from backend.documents.models import Document
from backend.requests_app import tasks
from backend.requests_app.decision_document import request_decision_document
from backend.requests_app.models import PortalRequest, RequestEvent
from notifications.push import STAFF_GROUP, client_group, groups_for_event, message_for_event, request_group
from notifications.recipients import recipients_for
from tests.requests_app.test_flows import docx_text, submit

pytestmark = pytest.mark.django_db


def approve_committed(api, request_id, capture) -> dict:
    with capture(execute=True):
        response = api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_decision_commits_first_and_the_worker_renders_the_document_once(
    queued, api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    # given a request decided with a real worker's settings
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(client_api, "payment_date_change", acme_contract)["id"]
    assert (
        approve_committed(staff_api, request_id, django_capture_on_commit_callbacks)["status"] == "completed"
    )

    # then the step committed without the document; the API and both pages say it is being prepared
    assert PortalRequest.objects.get(pk=request_id).decision_document is None
    assert len(queued) == 1
    detail = client_api.get(f"/api/requests/{request_id}/").json()
    assert (detail["decision_document_status"], detail["decision_document_url"]) == ("preparing", "")
    assert b"Dokument w przygotowaniu" in client_api.get(f"/requests/{request_id}/").content
    assert b'id="decision-document-preparing"' in staff_api.get(f"/staff/tasks/{request_id}/").content

    # when the worker runs the task, and a redelivery runs it again
    first = tasks.render_decision_document(queued[0])
    second = tasks.render_decision_document(queued[0])

    # then one document exists, linked to the request and to its history row
    assert first is not None and second is None
    portal_request = PortalRequest.objects.get(pk=request_id)
    assert portal_request.decision_document_id == first
    assert Document.objects.filter(client=portal_request.client, kind=Document.Kind.ANNEX).count() == 1
    assert "rozpatrzony pozytywnie" in docx_text(portal_request.decision_document)
    row = portal_request.events.get(kind=RequestEvent.Kind.DOCUMENT)
    assert row.data["document_id"] == first and "pending" not in row.data
    detail = client_api.get(f"/api/requests/{request_id}/").json()
    assert detail["decision_document_status"] == "ready"
    assert client_api.get(detail["decision_document_url"]).status_code == 200


def test_a_document_whose_task_was_lost_is_rendered_by_the_redrive(
    queued, api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    # given a decision whose after-commit task never reached the worker, more than a minute ago
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
    approve_committed(api_as(bok_staff), request_id, django_capture_on_commit_callbacks)
    queued.clear()
    RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.DOCUMENT).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )

    # when beat's re-drive runs, the worker renders, and the re-drive runs again
    assert tasks.redrive_decision_documents() == 1
    tasks.render_decision_document(queued[0])
    again = tasks.redrive_decision_documents()

    # then the document is there and nothing is queued twice
    assert PortalRequest.objects.get(pk=request_id).decision_document is not None
    assert again == 0 and len(queued) == 1


def test_a_rolled_back_decision_leaves_no_pending_document_and_queues_nothing(
    queued, api_as, client_user, acme_contract, django_capture_on_commit_callbacks
):
    # given a submitted request
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
    portal_request = PortalRequest.objects.get(pk=request_id)

    # when the step that asked for the document rolls back after asking
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_decision_document(portal_request, outcome="approved")
        raise RuntimeError("a later part of the step failed")

    # then neither the history row nor a task survives
    assert not portal_request.events.filter(kind=RequestEvent.Kind.DOCUMENT).exists()
    assert queued == [] and callbacks == []


def test_the_stored_document_is_announced_once_to_the_requests_pages_and_to_nobodys_mailbox(
    queued, api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    # given a decision whose document the worker has not rendered yet
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(api_as(client_user), "payment_date_change", acme_contract)["id"]
    approve_committed(api_as(bok_staff), request_id, django_capture_on_commit_callbacks)
    ready = OutboxEvent.objects.filter(kind=OutboxEvent.Kind.REQUEST_DOCUMENT_READY)
    assert not ready.exists()  # the step itself announced the decision, not a document

    # when the worker stores it, and a redelivery runs again
    tasks.render_decision_document(queued[0])
    tasks.render_decision_document(queued[0])

    # then one event tells the request's pages (the client's and the task page), ids only, and nobody is
    # sent a notice or an e-mail of it
    [event] = ready
    portal_request = PortalRequest.objects.get(pk=request_id)
    assert event.client_id == portal_request.client_id
    assert event.payload == {
        "request_id": request_id,
        "number": portal_request.number,
        "request_kind": portal_request.kind,
        "actor_id": bok_staff.pk,  # the decider's follow-up: their page keeps its message (staff_live.js)
    }
    assert set(groups_for_event(event)) == {
        client_group(portal_request.client_id),
        request_group(request_id),
        STAFF_GROUP,
    }
    assert "staff_only" not in message_for_event(event)["event"]
    assert recipients_for(event=event) == []
