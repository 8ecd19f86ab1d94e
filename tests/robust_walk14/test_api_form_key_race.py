"""On PostgreSQL: the same message form posted by several threads at once with one key makes one thread.

No row exists to lock before a new thread: the unique key refuses all inserts but the first, and each of
those posts answers the first one's thread (backend/messaging/client_writes.start_thread). Runs in the
PostgreSQL + Redis phase of scripts/test.sh (it matches tests/*/test_api*.py); on SQLite, whose writers
queue anyway (test_concurrent_form_posts.py), it is skipped.
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from django.db import connections

from backend.messaging.client_writes import start_thread
from backend.messaging.models import Message, MessageThread
from tests.factories import ClientFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import browsing_as

pytestmark = [
    pytest.mark.scaled,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (DATABASE_URL)"),
]

THREADS = 4


def posted_at_once(user, path: str, form: dict) -> list[tuple[int, str]]:
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, str]] = []
    errors: list[Exception] = []

    def post() -> None:
        try:
            page = browsing_as(user)
            barrier.wait(timeout=30)
            response = page.post(path, form)
            answers.append((response.status_code, response.get("Location", "")))
        except Exception as error:  # inspected below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return answers


def test_a_new_message_posted_at_once_makes_one_thread(transactional_db):
    company = ClientFactory()
    user = UserFactory()
    MembershipFactory(user=user, client=company)
    form = {
        "subject": "Pytanie o polisę",
        "category": "insurance",
        "body": "Proszę o kopię polisy.",
        "acting_for": company.pk,
        "idempotency_key": str(uuid.uuid4()),
    }

    answers = posted_at_once(user, "/messages/new/", form)

    thread = MessageThread.objects.get(client=company)
    assert answers == [(302, f"/messages/{thread.pk}/")] * THREADS
    assert thread.messages.count() == 1


def test_a_comment_posted_at_once_is_added_once(transactional_db):
    company = ClientFactory()
    user = UserFactory()
    MembershipFactory(user=user, client=company)
    thread = start_thread(
        user=user, client=company, subject="Faktura", category="invoices", body="Treść.", contract=None
    )
    form = {"body": "Dziękuję.", "acting_for": company.pk, "idempotency_key": str(uuid.uuid4())}

    answers = posted_at_once(user, f"/messages/{thread.pk}/comment/", form)

    assert {status for status, _location in answers} == {302}
    assert Message.objects.filter(thread=thread, body="Dziękuję.").count() == 1
