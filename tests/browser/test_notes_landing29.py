"""Adding an internal note lands where the user's eyes should be, and its field counts the characters
(session 29, a walker's report): the task page reloaded at its top while the new note was ~2,000 px down
in the history; the 2,000-character limit showed only after sending.

After the post the page opens at the new note (#note-<id>): in view, with the keyboard on it, so a screen
reader reads it, and the confirmation shown and said beside it (a polite status), on the task page and on
the thread page's notes card alike (there on a phone, where the card is below the whole conversation).
The counter says "123 / 2000" as one types, says when the text is over, and its polite region speaks only
near the limit once typing pauses, not at every key.
"""

from __future__ import annotations

import pytest

from backend.messaging.models import InternalNote
from backend.messaging.staff_writes import add_internal_note as add_thread_note
from backend.requests_app.internal_notes import add_internal_note
from backend.requests_app.models import RequestEvent
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
EARLIER = "Rozmowa z klientem o fakturach i terminach.\n" * 6
IN_VIEW = """(el) => { const box = el.getBoundingClientRect();
  return box.top >= 0 && box.top < window.innerHeight && box.bottom > 0; }"""


def landed(page, element_id: str) -> dict:
    """Where the page opened: the address, the focused element, whether the note and the status beside it
    are in view, and the status's text once filled."""
    page.wait_for_function("() => document.querySelector('[data-testid=landed-said]')?.textContent")
    note = page.locator(f"#{element_id}")
    said = note.locator("[data-testid=landed-said]")
    return {
        "hash": page.evaluate("() => window.location.hash"),
        "focused": page.evaluate("() => document.activeElement.id"),
        "note_in_view": note.evaluate(IN_VIEW),
        "said_in_view": said.evaluate(IN_VIEW),
        "said_role": said.get_attribute("role"),
        "said": said.inner_text(),
        "message": page.locator(".messages .message").first.inner_text(),
        "scrolled": page.evaluate("() => window.scrollY"),
    }


def test_the_task_page_opens_at_the_note_just_added_far_down_the_history(page, bok_staff, open_request):
    for number in range(12):  # a history of a few screens
        add_internal_note(staff=bok_staff, portal_request=open_request, text=f"{number}. {EARLIER}")
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{open_request.pk}/")

    page.click("#internal-note summary")
    page.fill("#note-note", "Klient oddzwoni jutro o 10:00.")
    with page.expect_navigation():
        page.click("#form-note button[type=submit]")

    note = RequestEvent.objects.filter(request=open_request, kind=RequestEvent.Kind.INTERNAL_NOTE).latest(
        "pk"
    )
    where = landed(page, f"note-{note.pk}")
    assert where["hash"] == f"#note-{note.pk}"
    assert where["focused"] == f"note-{note.pk}"
    assert where["note_in_view"] and where["said_in_view"]
    assert where["scrolled"] > 1500  # far below the page's top, where the old page stayed
    assert where["said_role"] == "status" and where["said"] == where["message"]
    assert "Klient oddzwoni jutro" in page.locator(f"#note-{note.pk}").inner_text()
    # the status box takes no room while it is still empty (it is filled a moment after it is put in the
    # page, to be heard as news): no empty green bar under the note before then
    empty_height = page.evaluate(
        """() => { const p = document.createElement("p"); p.className = "alert success landed-said";
        document.getElementById("main").appendChild(p); return p.getBoundingClientRect().height; }"""
    )
    assert empty_height == 0


def test_the_thread_page_opens_at_the_note_just_added_on_a_phone(page, bok_staff, thread):
    for number in range(4):
        add_thread_note(user=bok_staff, thread=thread, body=f"{number}. {EARLIER}")
    page.set_viewport_size(PHONE)
    log_in(page, bok_staff)
    page.goto(f"/staff/messages/{thread.pk}/")

    page.fill("#id_note", "Oddzwonić po 15:00.")
    with page.expect_navigation():
        page.click("[data-testid=note-form] button[type=submit]")

    note = InternalNote.objects.filter(thread=thread).latest("pk")
    where = landed(page, f"note-{note.pk}")
    assert (where["hash"], where["focused"]) == (f"#note-{note.pk}", f"note-{note.pk}")
    assert where["note_in_view"] and where["said_in_view"] and where["scrolled"] > 500
    assert where["said_role"] == "status" and where["said"] == where["message"]
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_note_field_counts_its_characters_and_speaks_only_near_the_limit(page, bok_staff, open_request):
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{open_request.pk}/")
    page.click("#internal-note summary")
    field, counter, said = (
        page.locator("#note-note"),
        page.locator("#note-note-counter"),
        page.locator("#note-note-counter-said"),
    )
    # every change of the region, to count what a screen reader would be told
    page.evaluate(
        """() => { window.__said = []; new MutationObserver(() => window.__said.push(
             document.getElementById('note-note-counter-said').textContent))
           .observe(document.getElementById('note-note-counter-said'), {childList: true, characterData: true, subtree: true}); }"""
    )

    assert counter.inner_text() == "0 / 2000"
    field.press_sequentially("Ala ma kota")
    assert counter.inner_text() == "11 / 2000"
    page.wait_for_timeout(1300)
    assert (
        said.inner_text() == "" and page.evaluate("() => window.__said.filter(Boolean)") == []
    )  # far from it

    # near the limit: typed on, then a pause, said once
    field.fill("x" * 1890)
    field.press_sequentially("abcdefghij")
    assert counter.inner_text() == "1900 / 2000"
    assert page.evaluate("() => window.__said.filter(Boolean)") == []  # not while typing
    page.wait_for_timeout(1300)
    assert page.evaluate("() => window.__said.filter(Boolean)").__len__() == 1
    assert "100" in said.inner_text()

    # over it: the counter says so, in the error style, and so does the region after the pause
    field.fill("x" * 2010)
    assert "2010 / 2000" in counter.inner_text() and "10" in counter.inner_text().split("2000", 1)[1]
    assert "over" in counter.get_attribute("class")
    page.wait_for_timeout(1300)
    assert "10" in said.inner_text() and said.inner_text() != ""
    # a line break counts one, as the server counts it
    field.fill("a\nb")
    assert counter.inner_text() == "3 / 2000"


def test_without_the_script_the_field_says_its_limit_once(browser, live_server, bok_staff, open_request):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{open_request.pk}/")
    page.click("#internal-note summary")

    assert page.locator("#note-note-counter").inner_text() in (
        "At most 2000 characters.",
        "Najwyżej 2000 znaków.",
    )
    context.close()
