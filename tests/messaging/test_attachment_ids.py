"""Messages take attachments the way requests do: upload first (POST /api/messages/attachments/), then send
the ids with the message, comment or staff reply; the service binds them under lock (own client, own
user, not yet used). The pages take the same path: a form that fails keeps its stored files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.documents.uploads import check_upload
from backend.messaging.attachments import MAX_ATTACHMENTS, upload_attachment
from backend.messaging.client_writes import add_client_comment, start_thread
from backend.messaging.models import MessageAttachment, MessageThread

pytestmark = pytest.mark.django_db

UPLOAD = "/api/messages/attachments/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_bytes(name: str) -> bytes:
    """A PDF whose content differs by name: a message takes each content once."""
    return PDF + f"% {name}\n".encode()


def pdf_file(name: str = "skan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def upload(api, name: str = "skan.pdf", **query) -> dict:
    suffix = "".join(f"?{key}={value}" for key, value in query.items())
    response = api.post(UPLOAD + suffix, {"file": pdf_file(name)}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def new_message(api, **extra):
    data = {"subject": "Korekta", "category": "other", "body": "W załączniku.", **extra}
    return api.post("/api/messages/", data, format="json")


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def thread(client_user, acme):
    return start_thread(
        user=client_user, client=acme, subject="Pytanie", category="other", body="Treść", contract=None
    )


def assert_refused(response, field: str = "attachment_ids") -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and body["code"] == "invalid"
    assert field in body["fields"]


def test_upload_then_send_the_ids_with_a_new_message(api):
    first, second = upload(api, "faktura.pdf"), upload(api, "umowa.pdf")
    assert MessageAttachment.objects.filter(message__isnull=True).count() == 2

    response = new_message(api, attachment_ids=[first["id"], second["id"]])

    assert response.status_code == 201, response.content
    [message] = response.json()["messages"]
    assert [a["original_name"] for a in message["attachments"]] == ["faktura.pdf", "umowa.pdf"]
    assert not MessageAttachment.objects.filter(message__isnull=True).exists()
    download = api.get(f"/api/messages/attachments/{first['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes("faktura.pdf")


def test_comment_takes_attachment_ids(api, thread):
    uploaded = upload(api)

    response = api.post(
        f"/api/messages/{thread.pk}/comments/", {"body": "Plik", "attachment_ids": [uploaded["id"]]}
    )

    assert response.status_code == 201, response.content
    assert MessageAttachment.objects.get(pk=uploaded["id"]).message.body == "Plik"


def test_staff_upload_for_a_thread_then_reply_with_the_id(api, api_as, bok_staff, thread):
    staff = api_as(bok_staff)
    uploaded = upload(staff, "odpowiedz.pdf", thread=thread.pk)

    response = staff.post(
        f"/api/staff/messages/{thread.pk}/reply/", {"body": "Proszę", "attachment_ids": [uploaded["id"]]}
    )

    assert response.status_code == 201, response.content
    client_view = api.get(f"/api/messages/{thread.pk}/").json()
    assert [a["original_name"] for a in client_view["messages"][-1]["attachments"]] == ["odpowiedz.pdf"]


def test_staff_upload_needs_the_thread(api_as, bok_staff):
    response = api_as(bok_staff).post(UPLOAD, {"file": pdf_file()}, format="multipart")

    assert_refused(response, field="thread")
    assert not MessageAttachment.objects.exists()


def test_an_id_already_used_is_refused_and_nothing_is_sent(api, thread):
    uploaded = upload(api)
    assert new_message(api, attachment_ids=[uploaded["id"]]).status_code == 201

    response = api.post(
        f"/api/messages/{thread.pk}/comments/", {"body": "Znowu", "attachment_ids": [uploaded["id"]]}
    )

    assert_refused(response)
    assert thread.messages.count() == 1


def test_another_clients_upload_is_refused(api, api_as, other_client_user):
    foreign = upload(api_as(other_client_user))

    response = new_message(api, attachment_ids=[foreign["id"]])

    assert_refused(response)
    assert not MessageThread.objects.exists()
    assert MessageAttachment.objects.get(pk=foreign["id"]).message is None


def test_another_users_upload_for_the_same_client_is_refused(api, api_as, bok_staff, thread):
    # staff uploaded it for this very client, but it is theirs to send, not the client's
    staffs = upload(api_as(bok_staff), thread=thread.pk)

    response = api.post(
        f"/api/messages/{thread.pk}/comments/", {"body": "Cudzy", "attachment_ids": [staffs["id"]]}
    )

    assert_refused(response)
    assert thread.messages.count() == 1


def test_more_ids_than_the_limit_are_refused(api):
    ids = [upload(api, f"plik{n}.pdf")["id"] for n in range(MAX_ATTACHMENTS + 1)]

    assert_refused(new_message(api, attachment_ids=ids))
    assert not MessageThread.objects.exists()


def test_an_upload_not_yet_sent_is_not_served(api, api_as, bok_staff):
    uploaded = upload(api)

    assert api.get(f"/api/messages/attachments/{uploaded['id']}/download/").status_code == 404
    staff = api_as(bok_staff)
    assert staff.get(f"/api/staff/messages/attachments/{uploaded['id']}/download/").status_code == 404


def test_service_binds_the_ids_and_the_posted_files_in_one_path(client_user, acme, thread):
    uploaded = upload_attachment(user=client_user, client=acme, uploaded=pdf_file("pierwszy.pdf"))
    posted = check_upload(pdf_file("drugi.pdf"), name="drugi.pdf")

    message = add_client_comment(
        user=client_user, thread=thread, body="Dwa", attachment_ids=[uploaded.pk], files=[posted]
    )

    attachments = list(message.attachments.all())
    assert [a.original_name for a in attachments] == ["pierwszy.pdf", "drugi.pdf"]
    assert {(a.client_id, a.uploaded_by_id) for a in attachments} == {(acme.pk, client_user.pk)}


# --- pages (no JavaScript) --------------------------------------------------------------------------


def test_message_page_sends_a_file(client, client_user):
    client.force_login(client_user)

    response = client.post(
        "/messages/new/",
        {"subject": "Plik", "category": "other", "body": "W załączniku.", "attachments": pdf_file("a.pdf")},
    )

    assert response.status_code == 302
    [attachment] = MessageThread.objects.get().messages.get().attachments.all()
    assert attachment.original_name == "a.pdf" and attachment.uploaded_by == client_user


def test_message_page_with_an_error_keeps_the_stored_file_and_sends_it_next(client, client_user):
    client.force_login(client_user)

    failed = client.post(
        "/messages/new/",
        {"subject": "", "category": "other", "body": "Treść", "attachments": pdf_file("b.pdf")},
    )

    assert failed.status_code == 400
    kept = MessageAttachment.objects.get()
    assert kept.message is None
    assert f'name="attachment_ids" value="{kept.pk}" checked' in failed.content.decode()

    sent = client.post(
        "/messages/new/",
        {"subject": "Plik", "category": "other", "body": "Treść", "attachment_ids": [kept.pk]},
    )

    assert sent.status_code == 302
    assert MessageThread.objects.get().messages.get().attachments.get() == kept


def test_staff_reply_page_with_an_error_keeps_the_stored_file(client, bok_staff, thread):
    client.force_login(bok_staff)

    failed = client.post(
        f"/staff/messages/{thread.pk}/reply/", {"body": "", "attachments": pdf_file("c.pdf")}
    )

    assert failed.status_code == 400
    kept = MessageAttachment.objects.get()
    assert (kept.message, kept.client_id, kept.uploaded_by) == (None, thread.client_id, bok_staff)
    assert f'name="attachment_ids" value="{kept.pk}" checked' in failed.content.decode()

    sent = client.post(f"/staff/messages/{thread.pk}/reply/", {"body": "Proszę", "attachment_ids": [kept.pk]})

    assert sent.status_code == 302
    assert thread.messages.get(is_from_staff=True).attachments.get() == kept


def test_message_page_ignores_another_clients_upload(client, client_user, api_as, other_client_user):
    foreign = upload(api_as(other_client_user))
    client.force_login(client_user)

    response = client.post(
        "/messages/new/",
        {"subject": "Cudzy", "category": "other", "body": "Treść", "attachment_ids": [foreign["id"]]},
    )

    assert response.status_code == 302
    assert not MessageThread.objects.get().messages.get().attachments.exists()
    assert MessageAttachment.objects.get(pk=foreign["id"]).message is None
