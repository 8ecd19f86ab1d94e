"""The internal notes and the assignee lists, polished after a walker's report (session 29).

After adding a note the page lands at it (#note-<id>, its entry focusable), not at its top ~2,000 px above;
the task page's and the thread page's notes say the same words; each note field and message text counts its
characters against the server's own limit; oneself is offered once in the task list's filter and marked
"(ja)" alike in the task page's and the thread page's "Przypisz do". The focus, the scroll and the counter
at work: tests/browser/test_notes_landing29.py.
"""

from __future__ import annotations

import re

import pytest

from backend.messaging.inputs import (
    CommentInputSerializer,
    FinalAnswerInputSerializer,
    InternalNoteInputSerializer,
    NewThreadInputSerializer,
)
from backend.messaging.models import InternalNote
from backend.requests_app.inputs import MessageInputSerializer
from backend.requests_app.internal_notes import MAX_NOTE_LENGTH
from backend.requests_app.models import RequestEvent
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db

TITLE = "Notatki wewnętrzne (niewidoczne dla klienta)"
HINT = "Notatki wewnętrzne widzą tylko pracownicy; klient ich nie widzi ani nie dostaje o nich powiadomienia."
LABEL = "Nowa notatka wewnętrzna"
BUTTON = "Dodaj notatkę wewnętrzną"
ADDED = "Notatka wewnętrzna została dodana. Klient jej nie widzi."


def options(html: str, select_id: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option of the select `select_id`."""
    select = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return [
        (value, text.strip(), " selected" in attrs)
        for value, attrs, text in re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)', select)
    ]


def textarea(html: str, textarea_id: str) -> str:
    return re.search(rf'<textarea id="{textarea_id}"[^>]*>', html).group(0)


# --------------------------------------------------------------------------------------------------
# 1. Back at the new note


def test_the_task_pages_note_lands_at_its_focusable_entry_in_the_history(bok_staff, open_request):
    browser = browsing_as(bok_staff)

    response = browser.post(f"/staff/tasks/{open_request.pk}/note/", {"note": "Klient oddzwoni jutro."})

    note = RequestEvent.objects.get(request=open_request, kind=RequestEvent.Kind.INTERNAL_NOTE)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/tasks/{open_request.pk}/#note-{note.pk}"
    page = browser.get(f"/staff/tasks/{open_request.pk}/").content.decode()
    entry = re.search(rf'<li [^>]*id="note-{note.pk}"[^>]*>', page).group(0)
    assert "kind-internal_note" in entry and 'tabindex="-1"' in entry
    assert ADDED in visible_text(page)  # the message, said beside the note by forms.js


def test_the_thread_pages_note_lands_at_it_in_the_notes_card(bok_staff, thread):
    browser = browsing_as(bok_staff)

    response = browser.post(f"/staff/messages/{thread.pk}/note/", {"note": "Oddzwonić po 15:00."})

    note = InternalNote.objects.get(thread=thread)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/messages/{thread.pk}/#note-{note.pk}"
    page = browser.get(f"/staff/messages/{thread.pk}/").content.decode()
    notes_card = page.split('id="notes"', 1)[1].split("</section>", 1)[0]
    assert f'id="note-{note.pk}" tabindex="-1"' in notes_card
    assert ADDED in visible_text(page)  # the same words as the task page's


def test_a_reply_still_opens_the_thread_page_on_its_message(bok_staff, thread):
    response = browsing_as(bok_staff).post(f"/staff/messages/{thread.pk}/reply/", {"body": "Dzień dobry."})

    assert response["Location"] == f"/staff/messages/{thread.pk}/"


# --------------------------------------------------------------------------------------------------
# 2. The character counter, at the server's own limits


def test_the_note_and_message_fields_count_against_the_servers_limits(bok_staff, open_request, thread):
    browser = browsing_as(bok_staff)
    task_page = browser.get(f"/staff/tasks/{open_request.pk}/").content.decode()
    thread_page = browser.get(f"/staff/messages/{thread.pk}/").content.decode()

    fields = [
        (task_page, "note-note", MAX_NOTE_LENGTH),
        (task_page, "comment-message", MessageInputSerializer().fields["message"].max_length),
        (thread_page, "id_note", InternalNoteInputSerializer().fields["body"].max_length),
        (thread_page, "id_body", CommentInputSerializer().fields["body"].max_length),
        (thread_page, "id_final_answer", FinalAnswerInputSerializer().fields["body"].max_length),
    ]
    for html, field_id, limit in fields:
        tag = textarea(html, field_id)
        assert f'data-counter="{limit}"' in tag, field_id
        described = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
        assert f"{field_id}-counter" in described, field_id
        # without the script: the limit, said once, beside the field; a polite region for near the limit
        counter = re.search(rf'<span class="char-counter" id="{field_id}-counter"[^>]*>([^<]*)</span>', html)
        assert counter.group(1) == f"Najwyżej {limit} znaków.", field_id
        assert f'id="{field_id}-counter-said" aria-live="polite"' in html, field_id
    # the task page's note keeps no maxlength: over the limit is said by the counter and the server
    assert "maxlength" not in textarea(task_page, "note-note")


def test_the_clients_message_and_comment_count_too(client_user, thread):
    browser = browsing_as(client_user)
    new = browser.get("/messages/new/").content.decode()
    detail = browser.get(f"/messages/{thread.pk}/").content.decode()

    for html, limit in (
        (new, NewThreadInputSerializer().fields["body"].max_length),
        (detail, CommentInputSerializer().fields["body"].max_length),
    ):
        tag = textarea(html, "id_body")
        assert f'maxlength="{limit}" data-counter="{limit}"' in tag
        assert 'aria-describedby="id_body-counter"' in tag
        assert re.search(
            r'<span class="char-counter" id="id_body-counter"[^>]*>Najwyżej \d+ znaków\.</span>', html
        )


# --------------------------------------------------------------------------------------------------
# 3. One wording for internal notes


def test_the_task_and_thread_pages_word_internal_notes_alike(bok_staff, open_request, thread):
    browser = browsing_as(bok_staff)
    task_page = browser.get(f"/staff/tasks/{open_request.pk}/").content.decode()
    thread_page = browser.get(f"/staff/messages/{thread.pk}/").content.decode()

    task_notes = task_page.split('id="internal-note"', 1)[1].split("</details>", 1)[0]
    thread_notes = thread_page.split('id="notes"', 1)[1].split("</section>", 1)[0]
    for part in (task_notes, thread_notes):
        text = " ".join(visible_text(part).split())
        assert TITLE in text and HINT in text and LABEL in text and BUTTON in text


def test_the_wording_is_english_in_english(bok_staff, open_request, thread):
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    browser = browsing_as(bok_staff)
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in (f"/staff/tasks/{open_request.pk}/", f"/staff/messages/{thread.pk}/"):
        text = " ".join(visible_text(browser.get(url).content.decode()).split())
        assert "Internal notes (not visible to the client)" in text, url
        assert "Only staff see internal notes; the client neither sees them nor is told of them." in text, url
        assert "New internal note" in text and "Add the internal note" in text, url
        assert "At most 2000 characters." in text or "At most 5000 characters." in text, url


# --------------------------------------------------------------------------------------------------
# 4 and 5. Oneself once, and marked alike


def test_the_task_lists_filter_offers_oneself_once_as_ja_first(bok_staff, second_staff):
    browser = browsing_as(bok_staff)

    listed = options(browser.get("/staff/tasks/").content.decode(), "flt-assignee")

    assert [text for _value, text, _selected in listed] == [
        "Ktokolwiek",
        "Ja",
        "Nikt (nieprzejęte)",
        "Piotr Zając",
    ]
    # a link filtering on one's own id shows "Ja" chosen, not "Ktokolwiek"
    own = options(browser.get(f"/staff/tasks/?assignee={bok_staff.pk}").content.decode(), "flt-assignee")
    assert [value for value, _text, selected in own if selected] == ["me"]


def test_the_task_and_thread_pages_mark_oneself_the_same_way(bok_staff, second_staff, open_request, thread):
    browser = browsing_as(bok_staff)

    task_list = options(browser.get(f"/staff/tasks/{open_request.pk}/").content.decode(), "assign-to")
    thread_list = options(browser.get(f"/staff/messages/{thread.pk}/").content.decode(), "id_assignee")

    own = (str(bok_staff.pk), "Barbara Obsługa (ja)")
    assert own in [(value, text) for value, text, _selected in task_list]
    assert own in [(value, text) for value, text, _selected in thread_list]
    assert (str(second_staff.pk), "Piotr Zając") in [(value, text) for value, text, _selected in thread_list]


def test_the_thread_page_leaves_its_holder_out_as_the_task_page_does(bok_staff, second_staff, thread):
    """Session 30: a pre-selected holder made "Assign" with no choice a no-op reported as done."""
    from backend.messaging.staff_writes import assign_thread

    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)

    listed = options(
        browsing_as(bok_staff).get(f"/staff/messages/{thread.pk}/").content.decode(), "id_assignee"
    )

    assert [(text, selected) for _value, text, selected in listed] == [
        ("Wybierz pracownika", False),
        ("Piotr Zając", False),
    ]
