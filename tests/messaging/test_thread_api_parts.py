"""A thread's API answers a part of it, as its pages do (#20: a 466-message thread was hundreds of KB in every
answer): the detail its newest 30 messages with `earlier`, the address of the ones before (`before`,
`limit`); a comment's or a staff reply's answer the message it wrote, not the whole thread again."""

from __future__ import annotations

import pytest

from backend.messaging.models import Message
from tests.threads19.test_long_thread_pages import lengthen

pytestmark = pytest.mark.django_db

THREADS = "/api/messages/"
INBOX = "/api/staff/messages/"
# The fields the detail answered before it was a part: kept, the cursor's added.
HEADER = {
    "id",
    "subject",
    "category",
    "category_label",
    "status",
    "status_label",
    "contract_id",
    "contract_number",
    "created_at",
    "last_message_at",
    "has_final_answer",
    "final_answer",
    "final_answer_at",
    "messages",
}


@pytest.fixture
def long_thread(thread, client_user, bok_staff):
    thread.ids = lengthen(thread, client_user, bok_staff, 79)  # 80 messages
    return thread


def ids_of(body: dict) -> list[int]:
    return [message["id"] for message in body["messages"]]


@pytest.mark.parametrize("who", ["client", "staff"])
def test_the_detail_answers_the_newest_30_and_walks_back_by_its_earlier_link(
    who, api_as, client_user, bok_staff, long_thread
):
    # given
    api, url = {
        "client": (api_as(client_user), f"{THREADS}{long_thread.pk}/"),
        "staff": (api_as(bok_staff), f"{INBOX}{long_thread.pk}/"),
    }[who]
    ids = long_thread.ids

    # when
    newest = api.get(url).json()

    # then: the newest 30, oldest first, and the address of the 50 before them
    assert HEADER | {"message_count", "earlier_count", "earlier"} <= set(newest)
    assert ids_of(newest) == ids[-30:]
    assert (newest["message_count"], newest["earlier_count"]) == (80, 50)
    assert newest["earlier"] == f"http://testserver{url}?before={ids[50]}"

    # when: the client follows `earlier` until it is null
    middle = api.get(newest["earlier"]).json()
    oldest = api.get(middle["earlier"]).json()

    # then: every message once, in order
    assert ids_of(middle) == ids[20:50] and middle["earlier_count"] == 20
    assert ids_of(oldest) == ids[:20] and oldest["earlier_count"] == 0
    assert oldest["earlier"] is None
    assert ids_of(oldest) + ids_of(middle) + ids_of(newest) == ids


def test_limit_sets_the_size_is_capped_at_100_and_stays_in_the_link(api_as, client_user, thread, bok_staff):
    # given: 120 messages
    ids = lengthen(thread, client_user, bok_staff, 119)
    api = api_as(client_user)

    # when
    five = api.get(f"{THREADS}{thread.pk}/", {"limit": 5}).json()
    many = api.get(f"{THREADS}{thread.pk}/", {"limit": 1000}).json()

    # then
    assert ids_of(five) == ids[-5:]
    assert five["earlier"].endswith(f"?before={ids[-5]}&limit=5")
    assert ids_of(api.get(five["earlier"]).json()) == ids[-10:-5]
    assert ids_of(many) == ids[-100:] and many["earlier_count"] == 20
    assert many["earlier"].endswith(f"?before={ids[20]}&limit=100")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": "²"}, "limit"),
        ({"before": "abc"}, "before"),
        ({"before": -3}, "before"),
        ({"before": "1.5"}, "before"),
        ({"before": str(2**70)}, "before"),
    ],
)
def test_a_malformed_cursor_is_400_naming_it(api_as, client_user, long_thread, query, field):
    response = api_as(client_user).get(f"{THREADS}{long_thread.pk}/", query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {field}


def test_a_cursor_of_another_thread_is_400_not_the_newest_part_again(
    api_as, client_user, bok_staff, long_thread, acme
):
    # given: a message of another thread of the same client
    from backend.messaging.client_writes import start_thread

    other = start_thread(
        user=client_user, client=acme, subject="Inny", category="other", body="x", contract=None
    )
    foreign = other.messages.get().pk

    # when
    for api, url in (
        (api_as(client_user), f"{THREADS}{long_thread.pk}/"),
        (api_as(bok_staff), f"{INBOX}{long_thread.pk}/"),
    ):
        response = api.get(url, {"before": foreign})

        # then
        assert response.status_code == 400
        assert response.json()["fields"] == {"before": ["To nie jest wiadomość z tego wątku."]}


def test_a_comment_answers_the_comment_and_the_header_not_the_thread(api_as, client_user, long_thread):
    # given
    api = api_as(client_user)
    url = f"{THREADS}{long_thread.pk}/comments/"

    # when
    first = api.post(url, {"body": "Jeszcze jedno."}, format="json", HTTP_IDEMPOTENCY_KEY="c-20")
    again = api.post(url, {"body": "Jeszcze jedno."}, format="json", HTTP_IDEMPOTENCY_KEY="c-20")

    # then: the comment alone, and the way to the 80 messages before it
    comment = Message.objects.get(body="Jeszcze jedno.")
    assert (first.status_code, again.status_code) == (201, 200)
    for body in (first.json(), again.json()):
        assert set(body) >= HEADER
        assert body["status"] == "open"
        assert [(m["id"], m["body"]) for m in body["messages"]] == [(comment.pk, "Jeszcze jedno.")]
        assert (body["message_count"], body["earlier_count"]) == (81, 80)
        assert body["earlier"] == f"http://testserver{THREADS}{long_thread.pk}/?before={comment.pk}"
    assert len(first.content) < 2000


def test_a_staff_reply_answers_the_reply_with_its_author(api_as, bok_staff, long_thread):
    # when
    response = api_as(bok_staff).post(
        f"{INBOX}{long_thread.pk}/reply/", {"body": "Sprawdzamy."}, format="json"
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "answered" and body["assignee_id"] == bok_staff.pk
    [reply] = body["messages"]
    assert (reply["body"], reply["is_from_staff"]) == ("Sprawdzamy.", True)
    assert reply["author_name"] == (bok_staff.get_full_name() or bok_staff.email)  # staff read names
    assert (body["message_count"], body["earlier_count"]) == (81, 80)
    assert body["earlier"] == f"http://testserver{INBOX}{long_thread.pk}/?before={reply['id']}"


def test_the_other_staff_writes_answer_the_newest_part(api_as, bok_staff, long_thread):
    staff = api_as(bok_staff)

    note = staff.post(f"{INBOX}{long_thread.pk}/notes/", {"body": "Notatka."}, format="json").json()
    assigned = staff.post(
        f"{INBOX}{long_thread.pk}/assign/", {"assignee_id": bok_staff.pk}, format="json"
    ).json()
    final = staff.post(f"{INBOX}{long_thread.pk}/final-answer/", {"body": "Koniec."}, format="json").json()

    assert ids_of(note) == long_thread.ids[-30:] and note["internal_notes"][0]["body"] == "Notatka."
    assert ids_of(assigned) == long_thread.ids[-30:] and assigned["assignee_id"] == bok_staff.pk
    assert len(final["messages"]) == 30 and final["messages"][-1]["body"] == "Koniec."
    assert (final["message_count"], final["earlier_count"], final["status"]) == (81, 51, "closed")


NOTES = {"notes_before", "notes_limit"}


def test_the_schema_documents_the_cursor_with_an_example():
    from tests.api_docs18.test_published_schema import published_schema

    paths = published_schema()["paths"]
    for path, notes in (("/api/messages/{thread_id}/", set()), ("/api/staff/messages/{thread_id}/", NOTES)):
        get = paths[path]["get"]
        assert {p["name"] for p in get["parameters"] if p["in"] == "query"} == {"before", "limit"} | notes
        assert "`earlier`" in get["description"]
    # staff's internal notes are parted likewise (tests/messaging/test_thread_api_notes.py)
    assert "`internal_notes_earlier`" in paths["/api/staff/messages/{thread_id}/"]["get"]["description"]
    detail = paths["/api/messages/{thread_id}/"]["get"]["responses"]["200"]["content"]["application/json"]
    [example] = detail["examples"].values()
    assert example["value"]["earlier"].endswith("?before=9120&limit=2")
    assert "Idempotency-Key" in {
        p["name"] for p in paths["/api/staff/messages/{thread_id}/reply/"]["post"]["parameters"]
    }
