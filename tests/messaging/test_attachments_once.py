"""The messages API takes each file once, as the requests API and every page form do: two uploads of the same
content (by ids, posted as `attachments`, or both) make one attachment, and the 5-file limit counts the files
left after that (5 different files and a copy are taken; 6 different files are refused, nothing sent)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.messaging.attachments import MAX_ATTACHMENTS
from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageAttachment, MessageThread
from tests.messaging.test_attachment_ids import assert_refused, new_message, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def thread(client_user, acme):
    return start_thread(
        user=client_user, client=acme, subject="Pytanie", category="other", body="Treść", contract=None
    )


def posted(name: str, content_of: str | None = None) -> SimpleUploadedFile:
    """A file posted with the message; `content_of`: another name's content (a copy under a new name)."""
    return SimpleUploadedFile(name, pdf_bytes(content_of or name), content_type="application/pdf")


def names_of(response) -> list[str]:
    return [a["original_name"] for a in response.json()["messages"][-1]["attachments"]]


def test_two_uploads_of_one_content_make_one_attachment(api):
    first = upload(api, "skan.pdf")
    again = api.post(
        "/api/messages/attachments/", {"file": posted("skan-kopia.pdf", "skan.pdf")}, format="multipart"
    ).json()

    response = new_message(api, attachment_ids=[first["id"], again["id"]])

    assert response.status_code == 201, response.content
    assert names_of(response) == ["skan.pdf"]
    assert MessageAttachment.objects.get(pk=again["id"]).message is None  # left with the unused uploads


def test_five_files_and_a_copy_by_ids_are_taken_as_five(api):
    ids = [upload(api, f"plik{n}.pdf")["id"] for n in range(MAX_ATTACHMENTS)]
    copy = api.post(
        "/api/messages/attachments/", {"file": posted("kopia.pdf", "plik0.pdf")}, format="multipart"
    ).json()

    response = new_message(api, attachment_ids=[*ids, copy["id"]])

    assert response.status_code == 201, response.content
    assert names_of(response) == [f"plik{n}.pdf" for n in range(MAX_ATTACHMENTS)]


def test_six_different_files_by_ids_are_refused(api):
    ids = [upload(api, f"plik{n}.pdf")["id"] for n in range(MAX_ATTACHMENTS + 1)]

    assert_refused(new_message(api, attachment_ids=ids))
    assert not MessageThread.objects.exists()
    assert not MessageAttachment.objects.filter(message__isnull=False).exists()


def test_five_files_and_a_copy_posted_are_taken_as_five(api, thread):
    files = [posted(f"plik{n}.pdf") for n in range(MAX_ATTACHMENTS)] + [posted("kopia.pdf", "plik3.pdf")]

    response = api.post(
        f"/api/messages/{thread.pk}/comments/", {"body": "Pliki", "attachments": files}, format="multipart"
    )

    assert response.status_code == 201, response.content
    assert names_of(response) == [f"plik{n}.pdf" for n in range(MAX_ATTACHMENTS)]
    assert MessageAttachment.objects.count() == MAX_ATTACHMENTS  # the copy is not stored


def test_six_different_files_posted_are_refused(api, thread):
    files = [posted(f"plik{n}.pdf") for n in range(MAX_ATTACHMENTS + 1)]

    response = api.post(
        f"/api/messages/{thread.pk}/comments/", {"body": "Pliki", "attachments": files}, format="multipart"
    )

    assert_refused(response, field="attachments")
    assert thread.messages.count() == 1 and not MessageAttachment.objects.exists()


def test_an_upload_posted_again_with_its_id_is_taken_once(api, thread):
    kept = upload(api, "umowa.pdf")
    ids = [upload(api, f"plik{n}.pdf")["id"] for n in range(MAX_ATTACHMENTS - 1)]

    response = api.post(
        f"/api/messages/{thread.pk}/comments/",
        {"body": "Jeszcze raz", "attachment_ids": [kept["id"], *ids], "attachments": [posted("umowa.pdf")]},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert names_of(response) == ["umowa.pdf", *(f"plik{n}.pdf" for n in range(MAX_ATTACHMENTS - 1))]
    assert MessageAttachment.objects.count() == MAX_ATTACHMENTS  # the posted copy is not stored


def test_six_different_files_by_ids_and_posted_are_refused(api, thread):
    ids = [upload(api, f"plik{n}.pdf")["id"] for n in range(MAX_ATTACHMENTS)]

    response = api.post(
        f"/api/messages/{thread.pk}/comments/",
        {"body": "Za dużo", "attachment_ids": ids, "attachments": [posted("szosty.pdf")]},
        format="multipart",
    )

    assert_refused(response)
    assert thread.messages.count() == 1
    assert MessageAttachment.objects.count() == MAX_ATTACHMENTS  # the sixth is not stored


def test_a_retry_with_a_copy_answers_the_first_message(api, thread):
    first = upload(api, "skan.pdf")
    copy = api.post(
        "/api/messages/attachments/", {"file": posted("kopia.pdf", "skan.pdf")}, format="multipart"
    ).json()
    body = {"body": "Skan", "attachment_ids": [first["id"], copy["id"]]}
    headers = {"HTTP_IDEMPOTENCY_KEY": "3f1c2a8e-0b7d-4c39-9a51-2d6e8f4b7c10"}

    sent = api.post(f"/api/messages/{thread.pk}/comments/", body, format="json", **headers)
    again = api.post(f"/api/messages/{thread.pk}/comments/", body, format="json", **headers)

    assert (sent.status_code, again.status_code) == (201, 200), again.content
    assert thread.messages.count() == 2
