"""The staff thread's internal notes come a part at a time, as its messages do (thread_parts.py): the newest
30 with `internal_notes_earlier`, the address of the ones before (`notes_before`, `notes_limit`); a thread
with hundreds of notes answered them all in every answer. The staff page shows "Show earlier notes (N)"."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.messaging.models import InternalNote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/api/staff/messages/"


def add_notes(thread, authors: list, count: int) -> list[int]:
    """`count` notes a minute apart up to now, by the authors in turn; their ids in reading order."""
    now = timezone.now()
    InternalNote.objects.bulk_create(
        InternalNote(
            thread=thread,
            author=authors[n % len(authors)],
            body=f"Notatka {n + 1}",
            created_at=now - timedelta(minutes=count - n),
        )
        for n in range(count)
    )
    return list(thread.internal_notes.order_by("created_at", "id").values_list("id", flat=True))


def note_ids(body: dict) -> list[int]:
    return [note["id"] for note in body["internal_notes"]]


@pytest.fixture
def noted_thread(thread, bok_staff):
    colleagues = [bok_staff, *(UserFactory(role="staff") for _ in range(3))]
    thread.note_ids = add_notes(thread, colleagues, 40)
    return thread


def test_forty_notes_answer_the_newest_30_and_a_cursor_to_the_rest(api_as, bok_staff, noted_thread):
    # given
    api = api_as(bok_staff)
    url = f"{INBOX}{noted_thread.pk}/"
    ids = noted_thread.note_ids

    # when
    newest = api.get(url).json()

    # then: the newest 30, oldest first, with the counts and the address of the 10 before them
    assert note_ids(newest) == ids[-30:]
    assert (newest["internal_note_count"], newest["internal_notes_earlier_count"]) == (40, 10)
    assert newest["internal_notes_earlier"] == f"http://testserver{url}?notes_before={ids[10]}"

    # when: the cursor is followed
    rest = api.get(newest["internal_notes_earlier"]).json()

    # then: the other 10, and nothing before them
    assert note_ids(rest) == ids[:10]
    assert rest["internal_notes_earlier_count"] == 0
    assert rest["internal_notes_earlier"] is None
    assert note_ids(rest) + note_ids(newest) == ids


def test_notes_limit_sets_the_size_and_stays_in_the_link(api_as, bok_staff, noted_thread):
    ids = noted_thread.note_ids

    five = api_as(bok_staff).get(f"{INBOX}{noted_thread.pk}/", {"notes_limit": 5}).json()

    assert note_ids(five) == ids[-5:]
    assert five["internal_notes_earlier"].endswith(f"?notes_before={ids[-5]}&notes_limit=5")
    assert note_ids(api_as(bok_staff).get(five["internal_notes_earlier"]).json()) == ids[-10:-5]


def test_a_note_cursor_of_another_thread_is_400(api_as, bok_staff, noted_thread, client_user, acme):
    # given: a note of another thread
    from backend.messaging.client_writes import start_thread

    other = start_thread(
        user=client_user, client=acme, subject="Inny", category="other", body="x", contract=None
    )
    foreign = InternalNote.objects.create(thread=other, author=bok_staff, body="obca").pk

    # when
    response = api_as(bok_staff).get(f"{INBOX}{noted_thread.pk}/", {"notes_before": foreign})

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"notes_before"}


def test_the_notes_cost_the_same_queries_however_many(
    api_as, bok_staff, thread, django_assert_max_num_queries
):
    # given: the queries of a thread with one note
    api = api_as(bok_staff)
    url = f"{INBOX}{thread.pk}/"
    add_notes(thread, [bok_staff], 1)
    api.get(url)  # the session settles
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        api.get(url)

    # when: 40 notes by 40 authors
    add_notes(thread, [UserFactory(role="staff") for _ in range(40)], 40)

    # then: no query per note or per author
    with django_assert_max_num_queries(len(one)):
        body = api.get(url).json()
    assert len(body["internal_notes"]) == 30


def test_the_staff_page_shows_the_newest_notes_and_earlier_ones_on_request(client, bok_staff, noted_thread):
    # given
    client.force_login(bok_staff)
    ids = noted_thread.note_ids

    # when
    page = html.unescape(client.get(f"/staff/messages/{noted_thread.pk}/").content.decode())

    # then: the newest 30 notes and the link to the 10 before
    assert page.count('<li id="note-') == 30
    assert f'id="note-{ids[9]}"' not in page and f'id="note-{ids[10]}"' in page
    assert "Pokaż wcześniejsze notatki (10)" in page
    assert f'href="?notes_from={ids[0]}#note-{ids[0]}"' in page

    # when: the link is followed
    whole = client.get(f"/staff/messages/{noted_thread.pk}/", {"notes_from": ids[0]}).content.decode()

    # then: every note, and no link
    assert whole.count('<li id="note-') == 40
    assert 'data-testid="notes-earlier"' not in whole
