"""A full or read-only file store: an upload says so (503, beside the form's field) and leaves no partial file,
the dashboard and /readyz name the storage, a decision document waits with its failure recorded, and all of it
heals once the disk takes files again. It was a 500 "unexpected error", an empty file left on the disk and
nothing that named the storage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.models import User
from backend.core.health import forget_readiness
from backend.messaging.models import MessageAttachment
from backend.requests_app import tasks
from backend.requests_app.models import DocumentRender, PortalRequest, RequestAttachment, RequestEvent
from tests.factories import UserFactory
from tests.faults34.conftest import stored_files
from tests.logged_in_clients import answering_errors_as, browsing_as
from tests.requests_app.test_flows import submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
REFUSED = (
    "Plik „skan.pdf” nie został zapisany: magazyn plików portalu jest niedostępny. Spróbuj ponownie później."
)


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf")


def test_an_upload_to_a_full_disk_is_a_503_naming_the_file_and_leaves_nothing(client_user, acme, disk_full):
    api = answering_errors_as(APIClient, client_user)

    response = api.post(reverse("requests-attachments"), {"file": _pdf()}, format="multipart")

    assert response.status_code == 503
    assert response.json() == {
        "code": "storage_unavailable",
        "message": REFUSED,
        "fields": {"file": [REFUSED]},
    }
    assert not RequestAttachment.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []  # not even the empty file the failed close() left

    # when: the disk is freed, the same upload goes in
    disk_full["full"] = False
    again = api.post(reverse("requests-attachments"), {"file": _pdf()}, format="multipart")
    assert again.status_code == 201
    assert len(stored_files(settings.MEDIA_ROOT)) == 1


def test_a_message_form_on_a_full_disk_comes_back_with_the_text_and_the_reason(client_user, acme, disk_full):
    browser = answering_errors_as(Client, client_user)

    response = browser.post(
        reverse("message-new"), {"subject": "Skany", "body": "W załączeniu", "attachments": [_pdf()]}
    )

    assert response.status_code == 400  # the form again with its errors, not the error page
    page = response.content.decode()
    assert REFUSED in page and "W załączeniu" in page
    assert not MessageAttachment.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.fixture
def media_root_is_a_file(settings, tmp_path):
    blocker = tmp_path / "media-blocked"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker
    forget_readiness()
    yield blocker
    forget_readiness()


def test_readyz_and_the_dashboard_name_a_file_storage_that_takes_no_file(media_root_is_a_file):
    ready = Client().get("/readyz")

    assert ready.status_code == 200  # pages still answer: reported, not out of service
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["checks"]["file_storage"] == {
        "status": "error",
        "message": "file storage unavailable (FileExistsError)",
    }
    admin = browsing_as(UserFactory(role=User.Role.ADMIN, is_staff=True))
    dashboard = admin.get(reverse("staff-home")).content.decode()
    tile = dashboard[dashboard.index('data-testid="op-check-file_storage"') :]
    tile = tile[: tile.index("</li>")]
    assert "Niedostępne" in tile or "Niedostępny" in tile
    assert "Magazyn plików (załączniki i dokumenty)" in tile
    assert "załączniki są odrzucane" in tile


def test_readyz_says_the_file_storage_works(db):
    forget_readiness()
    assert Client().get("/readyz").json()["checks"]["file_storage"] == {
        "status": "ok",
        "message": "file storage writable",
    }


def test_a_decision_document_on_a_full_disk_waits_recorded_and_renders_once_the_disk_is_freed(
    queued, api_as, client_user, bok_staff, acme_contract, disk_full, django_capture_on_commit_callbacks
):
    # given: an approved request whose document the worker is to render on a full disk
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(client_api, "payment_date_change", acme_contract)["id"]
    with django_capture_on_commit_callbacks(execute=True):
        staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    (event_id,) = queued

    # when: the worker renders it
    assert tasks.render_decision_documents([event_id]) == 0

    # then: nothing half-written: no file, no document, the failure recorded for staff and the dashboard
    assert stored_files(settings.MEDIA_ROOT) == []
    assert PortalRequest.objects.get(pk=request_id).decision_document_id is None
    render = DocumentRender.objects.get(pk=event_id)
    assert render.attempts == 1 and render.last_error.startswith("FileStorageError: ")
    assert client_api.get(f"/api/requests/{request_id}/").json()["decision_document_status"] == "preparing"

    # when: the disk is freed and beat's re-drive comes after the back-off
    disk_full["full"] = False
    DocumentRender.objects.filter(pk=event_id).update(next_retry_at=timezone.now())
    RequestEvent.objects.filter(pk=event_id).update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.redrive_decision_documents() == 1
    tasks.render_decision_documents([queued[-1]])

    # then: one document, the request's own
    assert PortalRequest.objects.get(pk=request_id).decision_document is not None
    assert len(stored_files(settings.MEDIA_ROOT)) == 1
    assert client_api.get(f"/api/requests/{request_id}/").json()["decision_document_status"] == "ready"


@pytest.mark.parametrize(
    "model, url", [(RequestAttachment, "requests-attachments"), (MessageAttachment, "message-attachments")]
)
def test_an_upload_whose_row_cannot_be_written_leaves_no_file(client_user, acme, model, url, monkeypatch):
    """The database locked past its timeout while the upload's row is written: a 503, and the file it had
    stored is gone again (it stayed on the disk without a row; no sweep ever found it)."""
    api = answering_errors_as(APIClient, client_user)
    monkeypatch.setattr(type(model.objects), "create", lambda *args, **kwargs: _locked())

    response = api.post(reverse(url), {"file": _pdf()}, format="multipart")

    assert response.status_code == 503
    assert stored_files(settings.MEDIA_ROOT) == []


def _locked():
    raise OperationalError("database is locked")
