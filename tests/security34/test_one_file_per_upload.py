"""An upload endpoint takes one file a call: a second part named `file` is refused at the field.

It was stored silently as the only file (the last part won), the first dropped without a word.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.messaging.models import MessageAttachment
from backend.requests_app.models import RequestAttachment
from tests.logged_in_clients import api_client_as


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.mark.parametrize(
    ("url_name", "model"),
    [("requests-attachments", RequestAttachment), ("message-attachments", MessageAttachment)],
)
def test_two_files_in_one_upload_are_refused_at_the_field_and_none_is_stored(
    client_user, acme_contract, url_name, model
):
    api = api_client_as(client_user)

    response = api.post(reverse(url_name), {"file": [pdf("a.pdf"), pdf("b.pdf")]}, format="multipart")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "file": [
            "Wyślij jeden plik w jednym przesłaniu: każdy plik przesyła się osobno i dostaje własny identyfikator."
        ]
    }
    assert not model.objects.exists()


@pytest.mark.parametrize("url_name", ["requests-attachments", "message-attachments"])
def test_one_file_is_still_uploaded(client_user, acme_contract, url_name):
    api = api_client_as(client_user)

    response = api.post(reverse(url_name), {"file": pdf("a.pdf")}, format="multipart")

    assert response.status_code == 201, response.json()
