"""The staff thread page when a colleague changed the thread meanwhile: nothing typed is lost, no file is
left stored for nothing, and nobody takes a thread from a colleague by clicking on a stale page."""

from __future__ import annotations

import pytest

from backend.messaging.models import Message, MessageAttachment
from backend.messaging.staff_writes import assign_thread, set_final_answer
from tests.staff_workspace.conftest import pdf_file

pytestmark = pytest.mark.django_db

INBOX = "/staff/messages/"


def test_a_reply_to_a_thread_closed_meanwhile_comes_back_with_its_text_and_no_stored_file(
    client, bok_staff, second_staff, thread
):
    # given: bok has the thread open and types a reply with a file; meanwhile a colleague closes it
    client.force_login(bok_staff)
    assert client.get(f"{INBOX}{thread.pk}/").status_code == 200
    set_final_answer(user=second_staff, thread=thread, body="Adres poprawiony, sprawa zamknięta.")

    # when: bok sends the reply
    response = client.post(
        f"{INBOX}{thread.pk}/reply/",
        {"body": "Sprawdzam w rejestrze, odezwę się jutro.", "attachments": [pdf_file("wyciag.pdf")]},
    )

    # then: the page as it is now, saying who closed it, with the typed text ready to keep as a note
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="unsent"' in html
    assert "Sprawdzam w rejestrze, odezwę się jutro.</textarea>" in html
    assert "Piotr Zając" in html  # who gave the final answer
    assert f'action="{INBOX}{thread.pk}/note/"' in html
    # and nothing was sent, nor any file kept for a reply that will never hold it
    assert not Message.objects.filter(thread=thread, body__startswith="Sprawdzam").exists()
    assert not MessageAttachment.objects.exists()


def test_the_unsent_text_becomes_an_internal_note_in_one_click(client, bok_staff, second_staff, thread):
    client.force_login(bok_staff)
    set_final_answer(user=second_staff, thread=thread, body="Zamknięte.")
    client.post(f"{INBOX}{thread.pk}/reply/", {"body": "Moja odpowiedź"})
    # the box's form posts the text as a note
    assert client.post(f"{INBOX}{thread.pk}/note/", {"note": "Moja odpowiedź"}).status_code == 302
    assert thread.internal_notes.get().body == "Moja odpowiedź"


def test_a_final_answer_given_twice_keeps_the_second_text(client, bok_staff, second_staff, thread):
    client.force_login(bok_staff)
    set_final_answer(user=second_staff, thread=thread, body="Pierwsza ostateczna.")
    response = client.post(f"{INBOX}{thread.pk}/final-answer/", {"final_answer": "Druga ostateczna."})
    assert response.status_code == 409
    assert "Druga ostateczna.</textarea>" in response.content.decode()
    thread.refresh_from_db()
    assert thread.final_answer == "Pierwsza ostateczna."


def test_take_this_thread_on_a_stale_page_does_not_take_it_from_a_colleague(
    client, bok_staff, second_staff, thread
):
    # given: bok's page shows the thread unassigned; meanwhile Piotr takes it
    client.force_login(bok_staff)
    page = client.get(f"{INBOX}{thread.pk}/").content.decode()
    assert 'name="expected_assignee_id" value=""' in page
    assign_thread(user=second_staff, thread=thread, assignee=second_staff)

    # when: bok clicks "Take this thread" on the page as it was
    response = client.post(f"{INBOX}{thread.pk}/take-over/", {"expected_assignee_id": ""})

    # then: nothing changes and the page says who has it
    assert response.status_code == 409
    assert "Piotr Zając" in response.content.decode()
    thread.refresh_from_db()
    assert thread.assignee == second_staff
    # a deliberate take-over from the page as it is now still works (absences are covered)
    client.post(f"{INBOX}{thread.pk}/take-over/", {"expected_assignee_id": str(second_staff.pk)})
    thread.refresh_from_db()
    assert thread.assignee == bok_staff


def test_release_on_a_stale_page_does_not_release_a_colleagues_thread(
    client, bok_staff, second_staff, thread
):
    client.force_login(bok_staff)
    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
    assign_thread(user=second_staff, thread=thread, assignee=second_staff)  # took it over meanwhile
    response = client.post(f"{INBOX}{thread.pk}/release/", {"expected_assignee_id": str(bok_staff.pk)})
    assert response.status_code == 409
    thread.refresh_from_db()
    assert thread.assignee == second_staff


def test_the_api_refuses_a_stale_assignment_with_409_and_keeps_the_old_behaviour_without_it(
    api_as, bok_staff, second_staff, thread
):
    api = api_as(bok_staff)
    assign_thread(user=second_staff, thread=thread, assignee=second_staff)
    url = f"/api/staff/messages/{thread.pk}/assign/"
    stale = api.post(url, {"assignee_id": bok_staff.pk, "expected_assignee_id": None}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    thread.refresh_from_db()
    assert thread.assignee == second_staff
    assert api.post(url, {"assignee_id": bok_staff.pk}, format="json").status_code == 200
    thread.refresh_from_db()
    assert thread.assignee == bok_staff
