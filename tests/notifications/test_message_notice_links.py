"""A notice or an e-mail about a new message opens its thread on that message (#20: the notice's payload
dropped `message_id`, so its link opened the thread's newest part, where an answer older than the newest 30
was not shown at all): `?from=<id>#message-<id>`, the part of the thread from it on, scrolled to it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from backend.core.mail import absolute_url
from backend.messaging.client_writes import add_client_comment
from backend.messaging.staff_writes import reply_as_staff
from notifications.models import Notice
from notifications.services import set_notification_preferences
from notifications.texts import subject_path
from tests.logged_in_clients import browsing_as
from tests.threads19.test_long_thread_pages import lengthen, shown

pytestmark = pytest.mark.django_db


def test_the_clients_notice_and_email_about_an_answer_link_to_the_answer(
    api_as, client_user, bok_staff, thread, django_capture_on_commit_callbacks
):
    # given
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply_as_staff(user=bok_staff, thread=thread, body="Korekta wysłana.")

    # then: the notice keeps the message, and every way to it links to its place in the thread
    on_answer = f"/messages/{thread.pk}/?from={answer.pk}#message-{answer.pk}"
    notice = Notice.objects.get(recipient=client_user, kind="message.answered")
    assert notice.payload["message_id"] == answer.pk
    [row] = api_as(client_user).get("/api/notices/").json()["results"]
    assert row["link"] == on_answer
    page = browsing_as(client_user).get("/notices/").content.decode()
    assert f'href="{on_answer}"' in page
    [email] = [sent for sent in mail.outbox if sent.to == [client_user.email]]
    assert absolute_url(on_answer) in email.body
    assert absolute_url(on_answer) in email.alternatives[0][0]


def test_the_staff_email_about_a_client_message_links_to_the_message(
    client_user, bok_staff, thread, django_capture_on_commit_callbacks
):
    # given
    set_notification_preferences(user=bok_staff, email_new_message=True)
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        comment = add_client_comment(user=client_user, thread=thread, body="Jeszcze jedno.")

    # then
    [email] = [sent for sent in mail.outbox if sent.to == [bok_staff.email]]
    assert absolute_url(f"/staff/messages/{thread.pk}/?from={comment.pk}#message-{comment.pk}") in email.body


def test_a_notice_made_before_notices_kept_their_message_still_opens_the_thread(thread):
    assert subject_path("message.answered", thread.pk, {"thread_id": thread.pk}) == f"/messages/{thread.pk}/"
    assert subject_path("message.answered", thread.pk, {"message_id": "7"}) == f"/messages/{thread.pk}/"


def test_the_link_to_an_answer_older_than_the_newest_30_shows_it(client_user, bok_staff, thread):
    # given: 31 messages, an answer, then 49 messages after it
    lengthen(thread, client_user, bok_staff, 30)
    answer = reply_as_staff(user=bok_staff, thread=thread, body="Stara odpowiedź.")
    ids = lengthen(thread, client_user, bok_staff, 49)
    path = subject_path("message.answered", thread.pk, {"thread_id": thread.pk, "message_id": answer.pk})

    # when
    html = browsing_as(client_user).get(path).content.decode()

    # then: the question and the part from the answer on, its item the link's fragment
    assert ids.index(answer.pk) == 31
    assert shown(html) == [ids[0], *ids[31:]]
    assert re.search(rf'<li id="message-{answer.pk}" tabindex="-1"', html)
    assert path.endswith(f"#message-{answer.pk}")
