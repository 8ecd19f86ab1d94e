"""The staff inbox API as customer service meets it with a hundred threads: the search finds the client by
name or NIP and words typed without Polish letters; the unanswered queue puts the client waiting longest
first and says since when (SQLite and, in the scaled phase, PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from backend.messaging.client_writes import add_client_comment, start_thread
from backend.messaging.models import Message, MessageThread
from backend.messaging.staff_writes import reply_as_staff
from tests.factories import ClientFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/api/staff/messages/"


def writer_of(company):
    user = UserFactory()
    MembershipFactory(user=user, client=company)
    return user


def new_thread(company, subject, body="Treść"):
    return start_thread(
        user=writer_of(company), client=company, subject=subject, category="other", body=body, contract=None
    )


def ids(api, **params) -> list[int]:
    response = api.get(INBOX, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_search_finds_the_client_by_name_or_nip_and_words_without_polish_letters(api_as, bok_staff):
    # given
    euronet = ClientFactory(name="Euronet Polska sp. z o.o.", nip="8190396033")
    other = ClientFactory(name="Źródlana Woda S.A.")
    invoice = new_thread(euronet, "Faktura", body="Zażółć gęślą jaźń")
    policy = new_thread(euronet, "Polisa")
    spring = new_thread(other, "Pytanie o źródlaną")
    plain = new_thread(other, "Zazolc", body="bez polskich liter")
    api = api_as(bok_staff)

    # then: the client, by name or NIP (digits or as written), in the search and the client filter
    assert set(ids(api, q="Euronet")) == {invoice.pk, policy.pk}
    assert set(ids(api, q="8190396033")) == {invoice.pk, policy.pk}
    assert set(ids(api, q="819-039-60-33")) == {invoice.pk, policy.pk}
    assert set(ids(api, client_name="8190396033")) == {invoice.pk, policy.pk}
    assert set(ids(api, client_name="zrodlana")) == {spring.pk, plain.pk}
    # words typed without Polish letters find both spellings; typed with them, only theirs
    assert set(ids(api, q="zazolc")) == {invoice.pk, plain.pk}
    assert set(ids(api, q="Zażółć")) == {invoice.pk}
    assert set(ids(api, q="zrodlana")) == {spring.pk, plain.pk}  # a subject, a client's name


def test_the_unanswered_queue_lists_the_client_waiting_longest_first_with_since_when(
    api_as, bok_staff, django_assert_max_num_queries
):
    # given: three unanswered threads
    now = timezone.now()
    company = ClientFactory()

    def at(message: Message, days_ago: float) -> None:
        Message.objects.filter(pk=message.pk).update(created_at=now - timedelta(days=days_ago))

    def last(thread: MessageThread) -> Message:
        return thread.messages.order_by("-created_at", "-id").first()

    # answered five days ago, then a new question yesterday: waits since yesterday
    answered = new_thread(company, "Odpowiedziana")
    at(last(answered), 5)
    at(reply_as_staff(user=bok_staff, thread=answered, body="Odpowiedź"), 4)
    at(add_client_comment(user=answered.created_by, thread=answered, body="Nowe pytanie"), 1)
    # asked three days ago and chased this morning: still waits since the question
    chased = new_thread(company, "Ponaglona")
    at(last(chased), 3)
    at(add_client_comment(user=chased.created_by, thread=chased, body="Halo?"), 0.1)
    # asked two days ago
    single = new_thread(company, "Jedna")
    at(last(single), 2)
    for thread, days in ((answered, 1), (chased, 0.1), (single, 2)):
        MessageThread.objects.filter(pk=thread.pk).update(last_message_at=now - timedelta(days=days))
    api = api_as(bok_staff)

    # when
    with django_assert_max_num_queries(8):
        response = api.get(INBOX, {"queue": "unanswered"})

    # then: longest waiting first, each row saying since when
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [chased.pk, single.pk, answered.pk]
    since = {row["id"]: datetime.fromisoformat(row["waiting_since"]) for row in rows}
    assert since == {
        pk: now - timedelta(days=days) for pk, days in ((chased.pk, 3), (single.pk, 2), (answered.pk, 1))
    }
    # an answered thread waits for nobody
    reply_as_staff(user=bok_staff, thread=single, body="Już odpowiadamy")
    row = next(r for r in api.get(INBOX).json()["results"] if r["id"] == single.pk)
    assert row["waiting_since"] is None
