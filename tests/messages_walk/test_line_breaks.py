"""A textarea's 5,000 characters with line breaks: browsers send each break as CRLF (two characters), the
textarea's maxlength counts one. The server counts and stores "\n", whatever sent it."""

from __future__ import annotations

import pytest

from backend.messaging.models import Message, MessageThread

pytestmark = pytest.mark.django_db

LINE = "x" * 99
# 50 lines of 99 characters and 49 breaks: 4,999 characters as typed, 5,048 as a browser sends them.
TYPED = "\n".join([LINE] * 50)
SENT = TYPED.replace("\n", "\r\n")


def test_a_full_length_comment_with_line_breaks_is_accepted_from_the_page_and_stored_with_lf(
    client, client_user, acme, thread
):
    client.force_login(client_user)
    response = client.post(f"/messages/{thread.pk}/comment/", {"body": SENT, "acting_for": acme.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Message.objects.filter(thread=thread).last().body == TYPED


def test_a_new_message_and_the_api_count_line_breaks_as_one_character(client, api_as, client_user, acme):
    client.force_login(client_user)
    response = client.post(
        "/messages/new/",
        {"subject": "Długa wiadomość", "category": "other", "body": SENT, "acting_for": acme.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    thread = MessageThread.objects.get(subject="Długa wiadomość")
    assert thread.messages.get().body == TYPED
    # the API alike (a lone CR, as some clients send, too)
    api = api_as(client_user)
    answer = api.post(
        f"/api/messages/{thread.pk}/comments/", {"body": TYPED.replace("\n", "\r")}, format="json"
    )
    assert answer.status_code == 201
    assert Message.objects.filter(thread=thread).last().body == TYPED


def test_staff_reply_final_answer_and_note_take_crlf_too(client, bok_staff, thread):
    client.force_login(bok_staff)
    assert client.post(f"/staff/messages/{thread.pk}/note/", {"note": SENT}).status_code == 302
    assert thread.internal_notes.get().body == TYPED
    assert client.post(f"/staff/messages/{thread.pk}/reply/", {"body": SENT}).status_code == 302
    assert (
        client.post(f"/staff/messages/{thread.pk}/final-answer/", {"final_answer": SENT}).status_code == 302
    )
    thread.refresh_from_db()
    assert thread.final_answer == TYPED
    assert not Message.objects.filter(body__contains="\r").exists()


def test_more_than_5000_characters_is_still_refused(client, client_user, acme, thread):
    client.force_login(client_user)
    too_long = TYPED + "\r\n" + "y" * 2  # 5,002 as typed
    response = client.post(f"/messages/{thread.pk}/comment/", {"body": too_long, "acting_for": acme.pk})
    assert response.status_code == 400
