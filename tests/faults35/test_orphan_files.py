"""An upload written inside a larger transaction that later rolls back left its file on the disk, with no row
to download or delete it by (Django has no on_rollback). Beat's nightly sweep deletes such files once a day
old; files rows name, and files younger than that (their transaction may still be open), stay."""

from __future__ import annotations

import os
import time
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from backend.config.celery import app
from backend.documents import tasks
from backend.documents.models import Document
from backend.documents.orphan_files import delete_orphan_files
from backend.documents.uploads import store_bytes
from backend.requests_app.models import RequestAttachment
from backend.requests_app.services import upload_attachment
from tests.faults34.conftest import stored_files

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class StepFailed(Exception):
    """The rest of the step failed after the upload (a workflow error, a refused message)."""


def _upload(user, client) -> RequestAttachment:
    return upload_attachment(user=user, client=client, uploaded=SimpleUploadedFile("umowa.pdf", PDF))


def _age_everything(hours: float) -> None:
    """Every stored file written `hours` ago."""
    then = time.time() - hours * 3600
    for path in settings.MEDIA_ROOT.rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


def _rolled_back_upload(user, client) -> str:
    """An upload whose row is written, then the transaction around it rolls back: return its file's name."""
    with pytest.raises(StepFailed), transaction.atomic():
        attachment = _upload(user, client)
        raise StepFailed
    assert not RequestAttachment.objects.filter(pk=attachment.pk).exists()
    return attachment.file.name


def test_the_file_of_an_upload_rolled_back_with_its_step_goes_with_the_nightly_sweep(client_user, acme):
    kept = _upload(client_user, acme)
    orphan = _rolled_back_upload(client_user, acme)
    assert stored_files(settings.MEDIA_ROOT) == sorted([kept.file.name, orphan])  # the leak
    _age_everything(hours=25)

    deleted = tasks.delete_orphan_files_task()

    assert deleted == 1
    assert stored_files(settings.MEDIA_ROOT) == [kept.file.name]  # the committed upload's file stays
    assert RequestAttachment.objects.get(pk=kept.pk).file.read() == PDF


def test_a_document_stored_by_a_step_that_rolled_back_goes_the_issued_one_stays(acme):
    """A permit's PDF is stored inside the deciding step (store_bytes): the step failing later left it."""

    def issue(title: str) -> Document:
        path = store_bytes(PDF, folder="documents/permits", extension="pdf")
        return Document.objects.create(
            client=acme,
            kind=Document.Kind.DECISION,
            title=title,
            file=path,
            original_name="zgoda.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            issued_on=date(2026, 12, 1),
        )

    issued = issue("Zgoda")
    with pytest.raises(StepFailed), transaction.atomic():
        rolled_back = issue("Zgoda wycofana").file.name
        raise StepFailed
    _age_everything(hours=30)

    assert delete_orphan_files() == 1
    assert stored_files(settings.MEDIA_ROOT) == [issued.file.name]
    assert rolled_back != issued.file.name


def test_a_file_younger_than_a_day_stays_its_transaction_may_still_be_open(client_user, acme):
    orphan = _rolled_back_upload(client_user, acme)
    _age_everything(hours=23)

    assert delete_orphan_files() == 0
    assert stored_files(settings.MEDIA_ROOT) == [orphan]


def test_files_outside_the_swept_folders_are_not_touched(client_user, acme):
    (settings.MEDIA_ROOT / "pdf-store").mkdir(parents=True)
    (settings.MEDIA_ROOT / "pdf-store" / "cached.pdf").write_bytes(PDF)
    (settings.MEDIA_ROOT / "exports" / "accounting").mkdir(parents=True)
    (settings.MEDIA_ROOT / "exports" / "accounting" / "old.zip").write_bytes(b"PK")
    _age_everything(hours=48)

    assert delete_orphan_files() == 0
    assert stored_files(settings.MEDIA_ROOT) == ["exports/accounting/old.zip", "pdf-store/cached.pdf"]


def test_beat_sweeps_the_orphan_files_nightly():
    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"] == "documents.delete_orphan_files"]
    assert entry["schedule"].hour == {4}
