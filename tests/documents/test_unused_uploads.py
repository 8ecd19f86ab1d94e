"""Attachments uploaded for forms that were never sent are deleted, row and file, after
UNUSED_UPLOADS_MAX_AGE_HOURS; attachments of sent requests and messages, and fresh uploads, stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backend.messaging import attachments as message_attachments
from backend.messaging.models import MessageAttachment
from backend.messaging.tasks import delete_unused_attachments as delete_unused_message_attachments
from backend.requests_app import services as request_services
from backend.requests_app.models import RequestAttachment
from backend.requests_app.tasks import delete_unused_attachments as delete_unused_request_attachments
from tests.requests_app.helpers import PDF_BYTES, submission, upload

pytestmark = pytest.mark.django_db


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("skan.pdf", PDF_BYTES, content_type="application/pdf")


def _age(rows, hours: int) -> None:
    type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def test_request_uploads_of_forms_never_sent_go_after_two_days_with_their_files(
    api_as, client_user, acme_contract, django_capture_on_commit_callbacks
):
    # given an upload abandoned three days ago, one from an hour ago, and an old one a sent request holds
    api = api_as(client_user)
    abandoned, fresh, used = (RequestAttachment.objects.get(pk=upload(api).json()["id"]) for _ in range(3))
    body = submission(
        "contract_value_change",
        contract=acme_contract,
        data={"option": "additional_equipment", "net_amount": "130000.00", "currency": "PLN"},
        attachment_ids=[used.pk],
    )
    assert api.post("/api/requests/", body, format="json").status_code == 201
    _age([abandoned, used], hours=72)
    _age([fresh], hours=1)
    assert all(default_storage.exists(row.file.name) for row in (abandoned, fresh, used))

    # when the nightly task runs
    with django_capture_on_commit_callbacks(execute=True):
        deleted = delete_unused_request_attachments.delay().get()

    # then only the abandoned upload is gone, its file too
    assert deleted == 1
    assert set(RequestAttachment.objects.values_list("pk", flat=True)) == {fresh.pk, used.pk}
    assert not default_storage.exists(abandoned.file.name)
    assert default_storage.exists(fresh.file.name) and default_storage.exists(used.file.name)


def test_message_uploads_of_messages_never_sent_go_too(
    client_user, acme, settings, django_capture_on_commit_callbacks
):
    # given a shorter limit, and two unused uploads on each side of it
    settings.UNUSED_UPLOADS_MAX_AGE_HOURS = 6
    old, recent = (
        message_attachments.upload_attachment(user=client_user, client=acme, uploaded=_pdf())
        for _ in range(2)
    )
    _age([old], hours=7)
    _age([recent], hours=5)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        deleted = delete_unused_message_attachments.delay().get()

    # then
    assert deleted == 1
    assert list(MessageAttachment.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not default_storage.exists(old.file.name) and default_storage.exists(recent.file.name)


def test_many_unused_uploads_go_in_several_transactions(
    client_user, acme, monkeypatch, django_capture_on_commit_callbacks
):
    from backend.documents import unused_uploads

    monkeypatch.setattr(unused_uploads, "ROWS_PER_TRANSACTION", 2)
    rows = [
        request_services.upload_attachment(user=client_user, client=acme, uploaded=_pdf()) for _ in range(5)
    ]
    _age(rows, hours=72)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        deleted = delete_unused_request_attachments.delay().get()

    assert deleted == 5 and len(callbacks) == 3
    assert not RequestAttachment.objects.exists()
    assert not any(default_storage.exists(row.file.name) for row in rows)


def test_a_file_that_cannot_be_deleted_is_logged_and_the_rest_go(
    client_user, acme, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    rows = [
        request_services.upload_attachment(user=client_user, client=acme, uploaded=_pdf()) for _ in range(2)
    ]
    _age(rows, hours=72)
    stuck = rows[0].file.name
    real_delete = default_storage.delete

    def delete(name):
        if name == stuck:
            raise PermissionError("read-only")
        real_delete(name)

    monkeypatch.setattr(default_storage, "delete", delete)

    with django_capture_on_commit_callbacks(execute=True):
        delete_unused_request_attachments.delay().get()

    assert not RequestAttachment.objects.exists()
    assert not default_storage.exists(rows[1].file.name)
    assert any(stuck in record.getMessage() for record in caplog.records if record.levelname == "WARNING")
