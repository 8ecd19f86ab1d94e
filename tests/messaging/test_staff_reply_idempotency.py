"""POST /api/staff/messages/{id}/reply/ takes an Idempotency-Key as the client's message and comment do: the
same key again answers 200 with the first reply and sends nothing more (no second reply, no second e-mail
to the client); the key with another text or other files is 409 `idempotency_key_reused`. That 409 says
what it means whatever differed ("…for a different message"), not "…with another text" after another
category; a page's form says it in the words of a form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.core.models import OutboxEvent
from backend.messaging.models import Message, MessageAttachment, MessageThread
from backend.messaging.staff_writes import set_final_answer

pytestmark = pytest.mark.django_db

KEY = "reply-20"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REUSED_PL = "Ten klucz Idempotency-Key został już użyty dla innej wiadomości."
REUSED_EN = "This Idempotency-Key was already used for a different message."


@pytest.fixture
def staff(api_as, bok_staff):
    return api_as(bok_staff)


def reply(staff, thread, body: dict, key: str = KEY):
    return staff.post(
        f"/api/staff/messages/{thread.pk}/reply/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def upload(staff, thread, content: bytes = PDF) -> int:
    file = SimpleUploadedFile("korekta.pdf", content, content_type="application/pdf")
    response = staff.post(
        "/api/messages/attachments/", {"file": file, "thread": thread.pk}, format="multipart"
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def answered_events() -> int:
    return OutboxEvent.objects.filter(kind=OutboxEvent.Kind.MESSAGE_ANSWERED).count()


def test_the_same_key_twice_sends_one_reply_and_answers_it_again(staff, thread):
    first = reply(staff, thread, {"body": "Sprawdzamy."})
    again = reply(staff, thread, {"body": "Sprawdzamy."})

    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert again.json()["messages"] == first.json()["messages"]
    assert Message.objects.filter(thread=thread, is_from_staff=True).count() == 1
    assert answered_events() == 1  # the client hears of it once


def test_the_same_key_with_another_text_is_409_and_sends_nothing(staff, thread):
    assert reply(staff, thread, {"body": "Sprawdzamy."}).status_code == 201

    response = reply(staff, thread, {"body": "Inna odpowiedź."})

    assert response.status_code == 409
    assert response.json() == {"code": "idempotency_key_reused", "message": REUSED_PL, "fields": {}}
    assert not Message.objects.filter(body="Inna odpowiedź.").exists()
    assert answered_events() == 1


def test_the_same_key_with_other_files_is_409_and_the_file_stays_unused(staff, thread):
    first_file = upload(staff, thread)
    assert reply(staff, thread, {"body": "Korekta.", "attachment_ids": [first_file]}).status_code == 201
    new_file = upload(staff, thread, PDF + b"% another\n")

    assert reply(staff, thread, {"body": "Korekta.", "attachment_ids": [new_file]}).status_code == 409
    assert reply(staff, thread, {"body": "Korekta."}).status_code == 409
    assert MessageAttachment.objects.get(pk=new_file).message_id is None
    # the same files again: the first reply
    assert reply(staff, thread, {"body": "Korekta.", "attachment_ids": [first_file]}).status_code == 200


def test_a_retry_after_the_thread_closed_still_answers_the_reply_it_sent(staff, thread, bok_staff):
    first = reply(staff, thread, {"body": "Sprawdzamy."})
    set_final_answer(user=bok_staff, thread=thread, body="Koniec.")

    again = reply(staff, thread, {"body": "Sprawdzamy."})

    assert again.status_code == 200, again.content
    assert again.json()["messages"] == first.json()["messages"]


def test_a_key_longer_than_the_column_is_400_and_without_a_key_each_post_is_a_reply(staff, thread):
    too_long = reply(staff, thread, {"body": "x"}, key="k" * 129)
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()["fields"]

    for _ in range(2):
        assert (
            staff.post(f"/api/staff/messages/{thread.pk}/reply/", {"body": "y"}, format="json").status_code
            == 201
        )
    assert Message.objects.filter(body="y").count() == 2


def test_a_thread_key_reused_with_another_category_says_a_different_message_in_both_languages(
    api_as, client_user, acme_contract
):
    api = api_as(client_user)
    body = {"subject": "Faktura", "category": "invoices", "contract_id": acme_contract.pk, "body": "Korekta."}
    assert api.post("/api/messages/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201

    response = api.post(
        "/api/messages/", {**body, "category": "insurance"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )

    assert response.status_code == 409
    assert response.json()["message"] == REUSED_PL
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    english = api.post(
        "/api/messages/", {**body, "category": "insurance"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    assert english.json()["message"] == REUSED_EN
    assert MessageThread.objects.count() == 1


def test_a_page_form_sent_again_with_another_category_says_it_in_words_of_a_form(
    client, client_user, acme, acme_contract
):
    client.force_login(client_user)
    form = {
        "subject": "Faktura",
        "category": "invoices",
        "contract_id": acme_contract.pk,
        "body": "Korekta.",
        "idempotency_key": "0b6f2a52-4a61-4c4e-9d1e-3c0f1f8d7f20",
        "acting_for": acme.pk,
    }
    assert client.post(reverse("message-new"), form).status_code == 302

    again = client.post(reverse("message-new"), {**form, "category": "insurance"})

    assert again.status_code == 409
    html = again.content.decode()
    assert "Ten formularz został już wysłany z inną treścią. Sprawdź go i wyślij ponownie." in html
    assert "innym tekstem" not in html and "Idempotency-Key" not in html
