"""Stored and downloaded files are named by their detected kind, whatever name the client gave them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.documents.uploads import store_bytes
from backend.messaging.models import MessageAttachment
from backend.requests_app.models import RequestAttachment
from tests.requests_app.helpers import upload
from tests.uploads_attack import corpus as c

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RENAMES = [
    pytest.param(c.PDF, "invoice.exe", "invoice.pdf", "application/pdf", id="pdf-as-exe"),
    pytest.param(c.PDF, "x.html", "x.pdf", "application/pdf", id="pdf-as-html"),
    pytest.param(c.PDF, "faktura", "faktura.pdf", "application/pdf", id="no-extension"),
    pytest.param(
        c.PDF,
        "C:\\Users\\jan\\evil\u202egnp.pdf",
        "evilgnp.pdf",
        "application/pdf",
        id="path-and-rtl-override",
    ),
    pytest.param(c.docx(), "skan.pdf", "skan.docx", DOCX_TYPE, id="docx-as-pdf"),
    pytest.param(c.word_doc(), "pismo.DOC", "pismo.doc", "application/msword", id="doc-upper-case"),
    pytest.param(
        c.zip_of({"faktura.pdf": c.PDF}),
        "paczka.tar.gz",
        "paczka.tar.zip",
        "application/zip",
        id="zip-as-tar-gz",
    ),
]


def assert_served_as(response, *, name: str, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("content", "sent_as", "named", "content_type"), RENAMES)
def test_request_attachment_is_stored_and_served_under_its_detected_kind(
    content, sent_as, named, content_type, api_as, client_user
):
    # when
    response = upload(api_as(client_user), content, sent_as)

    # then
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == named
    attachment = RequestAttachment.objects.get()
    assert attachment.file.name.endswith("." + named.rsplit(".", 1)[1])
    download = api_as(client_user).get(f"/api/requests/attachments/{attachment.pk}/download/")
    assert_served_as(download, name=named, content_type=content_type)
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(("content", "sent_as", "named", "content_type"), RENAMES)
def test_message_attachment_is_stored_and_served_under_its_detected_kind(
    content, sent_as, named, content_type, api_as, client_user
):
    # when
    response = api_as(client_user).post(
        "/api/messages/",
        {
            "subject": "Faktura",
            "category": "other",
            "body": "W załączniku.",
            "attachments": [SimpleUploadedFile(sent_as, content)],
        },
        format="multipart",
    )

    # then
    assert response.status_code == 201, response.content
    [attachment] = MessageAttachment.objects.all()
    assert attachment.original_name == named
    assert attachment.file.name.endswith("." + named.rsplit(".", 1)[1])
    download = api_as(client_user).get(f"/api/messages/attachments/{attachment.pk}/download/")
    assert_served_as(download, name=named, content_type=content_type)


@pytest.mark.parametrize(
    ("original_name", "content_type", "served_as", "served_type"),
    [
        ("invoice.exe", "application/pdf", "invoice.pdf", "application/pdf"),
        ("strona.html", "text/html", "strona.bin", "application/octet-stream"),  # no kind uploads accept
    ],
)
def test_a_file_stored_before_the_check_is_served_under_its_kind(
    original_name, content_type, served_as, served_type, api_as, client_user, acme
):
    # given: a row written before names followed the kind
    attachment = RequestAttachment.objects.create(
        client=acme,
        uploaded_by=client_user,
        file=store_bytes(c.PDF, folder="request_attachments", extension="pdf"),
        original_name=original_name,
        content_type=content_type,
        size=len(c.PDF),
        sha256="0" * 64,
    )

    # when
    response = api_as(client_user).get(f"/api/requests/attachments/{attachment.pk}/download/")

    # then
    assert_served_as(response, name=served_as, content_type=served_type)
