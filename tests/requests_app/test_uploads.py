"""Uploads through the API: only PDF, DOC, DOCX and ZIP by content; every bad kind is rejected."""

from __future__ import annotations

import io
import zipfile

import pytest

from backend.documents.uploads import OLE2_MAGIC
from backend.requests_app.models import RequestAttachment
from tests.requests_app.helpers import PDF_BYTES, docx_bytes, upload
from tests.uploads_attack.corpus import word_doc

pytestmark = pytest.mark.django_db


def zip_with(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def encrypted_zip() -> bytes:
    data = bytearray(zip_with({"tajne.txt": b"x"}, compression=zipfile.ZIP_STORED))
    # Set the "encrypted" flag bit in the local header and the central directory entry.
    data[6] |= 0x1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    return bytes(data)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PDF_BYTES, "skan.pdf"),
        (docx_bytes(), "pismo.docx"),
        (word_doc(), "stary.doc"),
        (zip_with({"faktura.pdf": PDF_BYTES}), "paczka.zip"),
    ],
)
def test_allowed_kinds_are_stored_under_random_names(content, name, api_as, client_user):
    # when
    response = upload(api_as(client_user), content, name)

    # then
    assert response.status_code == 201, response.json()
    attachment = RequestAttachment.objects.get(pk=response.json()["id"])
    assert attachment.original_name == name
    assert name not in attachment.file.name
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 this is a program", "faktura.pdf"),  # a program dressed as a PDF
        (b"just text", "notatka.txt"),
        (b"\x89PNG\r\n\x1a\n", "zdjecie.png"),
        (b"", "pusty.pdf"),
        (b"%PDF-1.4 truncated", "uciety.pdf"),  # no %%EOF
        (b"PK\x03\x04garbage", "zepsuty.zip"),
        (zip_with({"../../etc/passwd": b"root"}), "wyjscie.zip"),  # path traversal
        (zip_with({"/absolute.txt": b"x"}), "absolutna.zip"),
        (zip_with({"bomba.txt": b"\0" * 5_000_000}), "bomba.zip"),  # compression ratio far over the limit
        (encrypted_zip(), "szyfrowany.zip"),
        (OLE2_MAGIC + b"\x00" * 512, "stary.doc"),  # an OLE2 header without a Word document behind it
    ],
)
def test_bad_uploads_are_rejected_with_a_field_error(content, name, api_as, client_user):
    # when
    response = upload(api_as(client_user), content, name)

    # then
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["file"]
    assert RequestAttachment.objects.count() == 0


def test_too_large_file_is_rejected(api_as, client_user, settings):
    # given
    settings.UPLOAD_MAX_BYTES = 1024

    # when
    response = upload(api_as(client_user), PDF_BYTES + b" " * 2048 + b"%%EOF", "duzy.pdf")

    # then
    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_attachment_download_is_checked(api_as, client_user, other_client_user, bok_staff):
    # given
    attachment_id = upload(api_as(client_user)).json()["id"]
    url = f"/api/requests/attachments/{attachment_id}/download/"

    # when / then
    mine = api_as(client_user).get(url)
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF_BYTES
    assert mine["Content-Disposition"] == 'attachment; filename="skan.pdf"'
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert api_as(other_client_user).get(url).status_code == 404
    assert api_as(bok_staff).get(url).status_code == 404  # not in a request yet: the uploader's alone


def test_staff_upload_needs_a_request(api_as, bok_staff):
    response = upload(api_as(bok_staff))
    assert response.status_code == 400
    assert "request" in response.json()["fields"]
