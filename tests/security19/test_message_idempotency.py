"""An Idempotency-Key on a new thread covers everything posted (subject, category, contract, text, files),
as POST /api/requests/ does: any difference is 409 `idempotency_key_reused`, never the first thread with the
difference dropped. Comments take the key too (a replay: 200 and no second comment), and a message's text
must be a string (a number is the field's 400, not the text "123")."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.messaging.models import Message, MessageAttachment, MessageThread
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

KEY = "msg-19"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def body(acme_contract) -> dict:
    return {"subject": "Faktura", "category": "invoices", "contract_id": acme_contract.pk, "body": "Korekta."}


def upload(api, content: bytes = PDF) -> int:
    file = SimpleUploadedFile("skan.pdf", content, content_type="application/pdf")
    response = api.post("/api/messages/attachments/", {"file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def post(api, data: dict):
    return api.post("/api/messages/", data, format="json", HTTP_IDEMPOTENCY_KEY=KEY)


@pytest.mark.parametrize("changed", ["category", "contract_id"])
def test_the_key_with_another_category_or_contract_is_409(api, acme, body, changed):
    assert post(api, body).status_code == 201
    other = {"category": "insurance", "contract_id": ContractFactory(client=acme).pk}[changed]

    response = post(api, {**body, changed: other})

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "idempotency_key_reused"
    assert MessageThread.objects.count() == 1


def test_the_key_with_another_file_is_409_and_the_file_stays_unused(api, body):
    first_file = upload(api)
    assert post(api, {**body, "attachment_ids": [first_file]}).status_code == 201
    new_file = upload(api, PDF + b"% another\n")

    response = post(api, {**body, "attachment_ids": [new_file]})
    assert response.status_code == 409, response.content
    assert MessageAttachment.objects.get(pk=new_file).message_id is None
    # a file more, or none, is another post too
    assert post(api, {**body, "attachment_ids": [first_file, new_file]}).status_code == 409
    assert post(api, body).status_code == 409


def test_the_same_post_with_its_files_again_answers_the_first_thread(api, body):
    file_id = upload(api)
    first = post(api, {**body, "attachment_ids": [file_id]})
    again = post(api, {**body, "attachment_ids": [file_id]})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Message.objects.count() == 1


def test_a_page_form_sent_again_with_another_category_is_refused(client, client_user, acme, body):
    client.force_login(client_user)
    form = {**body, "idempotency_key": "0b6f2a52-4a61-4c4e-9d1e-3c0f1f8d7f11", "acting_for": acme.pk}
    assert client.post(reverse("message-new"), form).status_code == 302

    again = client.post(reverse("message-new"), {**form, "category": "insurance"})

    assert again.status_code == 409
    assert MessageThread.objects.count() == 1


def test_a_comment_sent_again_with_its_key_is_added_once(api, thread):
    url = f"/api/messages/{thread.pk}/comments/"
    first = api.post(url, {"body": "one"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = api.post(url, {"body": "one"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    other = api.post(url, {"body": "two"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert other.json()["code"] == "idempotency_key_reused"
    assert thread.messages.filter(body="one").count() == 1
    assert not thread.messages.filter(body="two").exists()
    # without a key each post is a comment, as before
    assert api.post(url, {"body": "one"}, format="json").status_code == 201
    assert thread.messages.filter(body="one").count() == 2


@pytest.mark.parametrize("value", [123, 1.5, True, ["a"], {"a": 1}])
def test_a_message_text_that_is_not_a_string_is_refused_at_the_field(api, thread, body, value):
    comment = api.post(f"/api/messages/{thread.pk}/comments/", {"body": value}, format="json")
    new = api.post("/api/messages/", {**body, "body": value}, format="json")
    subject = api.post("/api/messages/", {**body, "subject": value}, format="json")

    for response, field in ((comment, "body"), (new, "body"), (subject, "subject")):
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid" and field in response.json()["fields"]
    assert MessageThread.objects.count() == 1
