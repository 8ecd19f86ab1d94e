"""A decision document that cannot be written (its folder is a file): one chain of attempts with back-off,
the failure recorded and shown on the admin dashboard with "Retry now", the pages say "delayed" after a
few failures (staff see why), and the retry renders it once the folder is repaired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from backend.accounts.models import User
from backend.requests_app import tasks
from backend.requests_app.models import DocumentRender, PortalRequest, RequestEvent
from tests.factories import UserFactory
from tests.requests_app.test_flows import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True)


@pytest.fixture
def decisions_folder_is_a_file():
    """MEDIA_ROOT/documents/decisions exists as a file: storing a decision document raises OSError."""
    documents = settings.MEDIA_ROOT / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    blocker = documents / "decisions"
    blocker.write_text("not a folder")
    return blocker


def _back_off_over(event_id: int) -> None:
    DocumentRender.objects.filter(pk=event_id).update(next_retry_at=timezone.now())


def test_a_document_that_cannot_be_written_is_retried_once_at_a_time_shown_and_retried_by_an_admin(
    queued,
    api_as,
    client,
    client_user,
    bok_staff,
    admin_user,
    acme_contract,
    decisions_folder_is_a_file,
    django_capture_on_commit_callbacks,
):
    # given: a decided request, whose document the worker cannot write
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(client_api, "payment_date_change", acme_contract)["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json").status_code == 200
        )
    (event_id,) = queued
    RequestEvent.objects.filter(pk=event_id).update(created_at=timezone.now() - timedelta(minutes=5))

    # when: the worker runs the task, and beat's re-drive runs while its copies pile up
    assert tasks.render_decision_documents(list(queued)) == 0
    redriven = [tasks.redrive_decision_documents() for _ in range(5)]

    # then: the failure is recorded and nothing is started again before its back-off is over
    render = DocumentRender.objects.get(pk=event_id)
    assert render.attempts == 1 and "Error" in render.last_error
    assert redriven == [0] * 5 and queued == [event_id]
    assert client_api.get(f"/api/requests/{request_id}/").json()["decision_document_status"] == "preparing"

    # when: two more attempts fail, each after its back-off (one chain: the re-drive's copies take it once)
    for _ in range(2):
        _back_off_over(event_id)
        assert [tasks.redrive_decision_documents() for _ in range(3)] == [1, 0, 0]
        tasks.render_decision_documents([queued[-1]])

    # then: the pages say the document is delayed; staff see why; the admin dashboard lists it
    assert DocumentRender.objects.get(pk=event_id).attempts == 3
    assert client_api.get(f"/api/requests/{request_id}/").json()["decision_document_status"] == "delayed"
    client.force_login(client_user)
    client_page = client.get(f"/requests/{request_id}/").content.decode()
    assert "Dokument jest opóźniony" in client_page and "Dokument w przygotowaniu" not in client_page
    assert "Error" not in client_page  # the error is for staff only
    client.force_login(bok_staff)
    staff_page = client.get(f"/staff/tasks/{request_id}/").content.decode()
    assert "nie powiodło się 3 razy" in staff_page and 'id="decision-document-error"' in staff_page
    client.force_login(admin_user)
    dashboard = client.get("/staff/").content.decode()
    number = PortalRequest.objects.get(pk=request_id).number
    assert 'data-testid="op-failed-documents"' in dashboard and number in dashboard
    assert f"/staff/documents/{event_id}/retry/" in dashboard

    # when: staff may not retry; the folder is repaired and the administrator retries it
    client.force_login(bok_staff)
    refused = client.post(f"/staff/documents/{event_id}/retry/")
    decisions_folder_is_a_file.unlink()
    client.force_login(admin_user)
    retried = client.post(f"/staff/documents/{event_id}/retry/")
    tasks.render_decision_documents([queued[-1]])

    # then: rendered once; the pages offer the download and the dashboard lists nothing
    assert refused.status_code == 403
    assert retried.status_code == 302
    portal_request = PortalRequest.objects.get(pk=request_id)
    assert portal_request.decision_document is not None
    assert not DocumentRender.objects.filter(pk=event_id).exists()
    assert client_api.get(f"/api/requests/{request_id}/").json()["decision_document_status"] == "ready"
    assert 'data-testid="op-failed-documents"' not in client.get("/staff/").content.decode()
