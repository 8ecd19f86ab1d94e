"""The staff message API's new actions (assign / take over / release, internal notes) and their limits."""

from __future__ import annotations

import pytest

from backend.messaging.staff_writes import add_internal_note, assign_thread

pytestmark = pytest.mark.django_db

INBOX = "/api/staff/messages/"
NOTE_TEXT = "Notatka wewnętrzna: klient ma zaległość"


def test_staff_assign_take_over_and_release_through_the_api(api_as, thread, bok_staff, second_staff):
    api = api_as(bok_staff)
    response = api.post(f"{INBOX}{thread.pk}/assign/", {"assignee_id": second_staff.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["assignee_id"] == second_staff.pk
    assert response.json()["assignee_name"] == "Piotr Zając"
    response = api.post(f"{INBOX}{thread.pk}/assign/", {"assignee_id": bok_staff.pk}, format="json")
    assert response.json()["assignee_id"] == bok_staff.pk
    response = api.post(f"{INBOX}{thread.pk}/assign/", {"assignee_id": None}, format="json")
    assert response.json()["assignee_id"] is None


@pytest.mark.parametrize("value", ["abc", 0, 2**70])
def test_a_malformed_assignee_is_a_400_in_the_error_shape(api_as, thread, bok_staff, value):
    response = api_as(bok_staff).post(f"{INBOX}{thread.pk}/assign/", {"assignee_id": value}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "message", "fields"}
    assert "assignee_id" in response.json()["fields"]


def test_a_client_user_cannot_be_given_a_thread(api_as, thread, bok_staff, client_user):
    response = api_as(bok_staff).post(
        f"{INBOX}{thread.pk}/assign/", {"assignee_id": client_user.pk}, format="json"
    )
    assert response.status_code == 400
    thread.refresh_from_db()
    assert thread.assignee_id is None


def test_staff_add_an_internal_note_and_read_it_back(api_as, thread, bok_staff):
    api = api_as(bok_staff)
    response = api.post(f"{INBOX}{thread.pk}/notes/", {"body": NOTE_TEXT}, format="json")
    assert response.status_code == 201
    notes = response.json()["internal_notes"]
    assert [n["body"] for n in notes] == [NOTE_TEXT]
    assert notes[0]["author_name"] == "Barbara Obsługa"
    assert api.post(f"{INBOX}{thread.pk}/notes/", {"body": ""}, format="json").status_code == 400


def test_the_inbox_api_filters_by_queue_and_assignee(
    api_as, thread, bok_staff, second_staff, client_user, acme
):
    from backend.messaging.client_writes import start_thread

    other = start_thread(
        user=client_user, client=acme, subject="Drugi wątek", category="other", body="x", contract=None
    )
    assign_thread(user=bok_staff, thread=other, assignee=bok_staff)
    api = api_as(bok_staff)
    ids = lambda query: [t["id"] for t in api.get(INBOX + query).json()["results"]]  # noqa: E731
    assert ids("?queue=mine") == [other.pk]
    assert ids("?queue=unassigned") == [thread.pk]
    assert ids("?assignee=me") == [other.pk]
    assert ids("?assignee=none") == [thread.pk]
    assert ids(f"?assignee={bok_staff.pk}") == [other.pk]
    assert api.get(INBOX + "?assignee=kto").status_code == 400
    assert api.get(INBOX + "?queue=wszystko").status_code == 400


@pytest.mark.parametrize("path", ["assign/", "notes/"])
def test_clients_cannot_use_the_staff_actions(api_as, thread, client_user, path):
    response = api_as(client_user).post(
        f"{INBOX}{thread.pk}/{path}", {"body": "x", "assignee_id": None}, format="json"
    )
    assert response.status_code == 403


def test_an_internal_note_never_reaches_the_client_api(api_as, thread, bok_staff, client_user):
    add_internal_note(user=bok_staff, thread=thread, body=NOTE_TEXT)
    api = api_as(client_user)
    detail = api.get(f"/api/messages/{thread.pk}/")
    assert detail.status_code == 200
    assert NOTE_TEXT not in detail.content.decode()
    assert "internal_notes" not in detail.json()
    assert NOTE_TEXT not in api.get("/api/messages/").content.decode()


def test_an_internal_note_never_reaches_the_client_page(client, thread, bok_staff, client_user):
    add_internal_note(user=bok_staff, thread=thread, body=NOTE_TEXT)
    client.force_login(client_user)
    page = client.get(f"/messages/{thread.pk}/")
    assert page.status_code == 200
    assert "Proszę o korektę faktury." in page.content.decode()  # the page does show the thread
    assert NOTE_TEXT not in page.content.decode()
