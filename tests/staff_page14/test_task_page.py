"""The staff task page and list as two staff members meet them on one day (pages through Django's client).

A decision a colleague made first comes back with who and how and the typed text kept; the state box is a
live part of its own and the forms carry what to say over them; the approval's comment says the client
reads it; the list remembers its filters for the way back and "Next task"; its caption names the list.
"""

from __future__ import annotations

import re

import pytest

from backend.requests_app import decisions, task_hands
from backend.requests_app.models import RequestEvent, RequestStatus
from tests.logged_in_clients import browsing_as
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def part(html: str, element_id: str) -> str:
    """The element with that id and what follows it up to the next section of the page."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_a_rejection_sent_after_a_colleagues_approval_says_who_approved_and_keeps_the_reason(
    bok_staff, second_staff, open_request
):
    # given: Piotr has the task page open and types a reason; meanwhile Barbara approves
    piotr = browsing_as(second_staff)
    decisions.decide_request(actor=bok_staff, request_id=open_request.pk, decision="approve", answer="Zgoda.")

    # when: Piotr clicks "Odrzuć wniosek"
    response = piotr.post(
        f"/staff/tasks/{open_request.pk}/reject/", {"reason": "Brak podpisu na skanie umowy."}
    )

    # then: the page as it is now, saying who approved and when, with the reason kept to copy
    assert response.status_code == 409
    html = response.content.decode()
    unsent = part(html, "unsent")
    assert "Twój tekst nie został wysłany" in unsent
    assert "Wniosek został już zatwierdzony (Barbara Obsługa, " in unsent
    textarea = re.search(r'<textarea id="unsent-message"[^>]*>([^<]*)</textarea>', unsent)
    assert textarea is not None and "readonly" in textarea.group(0)
    assert textarea.group(1) == "Brak podpisu na skanie umowy."
    assert 'id="form-reject"' not in html  # nothing left to decide
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.COMPLETED
    assert open_request.events.filter(kind=RequestEvent.Kind.DECISION).count() == 1


def test_a_decision_on_a_task_a_colleague_took_keeps_the_text_to_send_as_a_comment(
    bok_staff, second_staff, open_request
):
    # given: Barbara claims the task while Piotr types his approval
    piotr = browsing_as(second_staff)
    task_hands.claim_request(staff=bok_staff, portal_request=open_request)

    # when
    response = piotr.post(
        f"/staff/tasks/{open_request.pk}/approve/",
        {"answer": "Zgoda na zmianę.", "comment": "Aneks prześlemy pocztą."},
    )

    # then: who took it, and both texts in a comment form (the request is still open)
    assert response.status_code == 409
    unsent = part(response.content.decode(), "unsent")
    assert "Nad tym zadaniem pracuje już Barbara Obsługa (przejęte " in unsent
    assert f'action="/staff/tasks/{open_request.pk}/comment/"' in unsent
    assert "Zgoda na zmianę.\n\nAneks prześlemy pocztą.</textarea>" in unsent
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.IN_REVIEW
    assert open_request.assignee == bok_staff

    # and the kept text goes to the client as a comment when Piotr sends it
    sent = piotr.post(
        f"/staff/tasks/{open_request.pk}/comment/", {"message": "Zgoda na zmianę.\n\nAneks prześlemy pocztą."}
    )
    assert sent.status_code == 302
    assert open_request.events.filter(kind=RequestEvent.Kind.COMMENT, actor=second_staff).exists()


def test_the_state_is_a_live_part_of_its_own_and_the_forms_say_who_took_the_request(
    bok_staff, second_staff, open_request
):
    piotr = browsing_as(second_staff)
    page = f"/staff/tasks/{open_request.pk}/"
    html = piotr.get(page).content.decode()
    # the state box updates by itself even while a decision form is typed in (staff_live.js)
    assert 'data-live-regions="task-state task-live request-history request-data"' in html
    assert '<div id="task-state" data-live-always>' in html
    assert 'id="claim"' in part(html, "task-state")
    assert '<div id="task-live" data-held-text="">' in html  # nobody took it: nothing to say

    task_hands.claim_request(staff=bok_staff, portal_request=open_request)
    held = re.search(r'<div id="task-live" data-held-text="([^"]*)">', piotr.get(page).content.decode())
    assert held.group(1).startswith("Nad tym zadaniem pracuje już Barbara Obsługa (przejęte ")

    decisions.decide_request(actor=bok_staff, request_id=open_request.pk, decision="reject", reason="Nie.")
    held = re.search(r'<div id="task-live" data-held-text="([^"]*)">', piotr.get(page).content.decode())
    assert held.group(1).startswith("Wniosek został już odrzucony (Barbara Obsługa, ")


def test_the_approvals_comment_says_the_client_reads_it(bok_staff, open_request):
    html = browsing_as(bok_staff).get(f"/staff/tasks/{open_request.pk}/").content.decode()
    field = part(html, "form-approve")
    assert '<label for="approve-comment">Komentarz dla klienta (opcjonalnie)</label>' in field
    assert 'aria-describedby="approve-comment-help"' in field
    assert "Widoczny tylko w historii wniosku, pod odpowiedzią; dokument decyzji go nie zawiera." in field


def test_the_task_page_leads_back_to_the_filtered_list_and_on_to_the_next_task(bok_staff, client_user, acme):
    # given: three requests; staff open the list filtered and sorted by number
    first, second, third = (submit_other_request(client_user, acme, subject) for subject in ("A", "B", "C"))
    staff = browsing_as(bok_staff)
    listed = "/staff/tasks/?kind=other_request&sort=number"
    assert staff.get(listed).status_code == 200

    # when: they open the second one
    html = staff.get(f"/staff/tasks/{second.pk}/").content.decode()

    # then: "Zadania" returns to that list, as it was
    assert '<a href="/staff/tasks/?kind=other_request&amp;sort=number" id="back-to-tasks">Zadania</a>' in html
    assert 'id="next-task"' not in html  # still to decide here

    # and after the decision the page offers the next one of that list
    response = staff.post(f"/staff/tasks/{second.pk}/approve/", {"answer": "Zgoda."}, follow=True)
    html = response.content.decode()
    assert "Wniosek został zatwierdzony." in html
    assert re.search(
        rf'<a class="button primary" id="next-task" href="/staff/tasks/{third.pk}/">'
        rf"Następne zadanie: {third.number}</a>",
        html,
    )
    # the last one decided leads back to the first of the list still waiting
    staff.post(f"/staff/tasks/{third.pk}/reject/", {"reason": "Nie."})
    html = staff.get(f"/staff/tasks/{third.pk}/").content.decode()
    assert f'id="next-task" href="/staff/tasks/{first.pk}/"' in html


def test_without_a_list_seen_the_next_task_is_the_first_waiting_one(bok_staff, client_user, acme):
    first, second = submit_other_request(client_user, acme, "A"), submit_other_request(client_user, acme, "B")
    staff = browsing_as(bok_staff)
    staff.post(f"/staff/tasks/{second.pk}/approve/", {"answer": "Zgoda."})
    html = staff.get(f"/staff/tasks/{second.pk}/").content.decode()
    assert f'id="next-task" href="/staff/tasks/{first.pk}/"' in html
    # no list was seen: the way back is the closed list, where the decided request is (the open lists are not)
    assert '<a href="/staff/tasks/?scope=closed" id="back-to-tasks">' in html


@pytest.mark.parametrize(
    ("scope", "caption"),
    [
        ("", "Zadania oczekujące na pracownika"),
        ("client", "Wnioski czekające na klienta"),
        ("open", "Otwarte wnioski"),
    ],
)
def test_the_task_tables_caption_names_its_list(bok_staff, client_user, acme, scope, caption):
    asked = submit_other_request(client_user, acme, "A")
    submit_other_request(client_user, acme, "B")
    decisions.decide_request(actor=bok_staff, request_id=asked.pk, decision="ask_client", question="Skan?")
    html = browsing_as(bok_staff).get(f"/staff/tasks/?scope={scope}").content.decode()
    assert f'<caption class="visually-hidden">{caption}</caption>' in html


def test_the_filters_fold_under_a_summary_that_counts_those_on(bok_staff, open_request):
    staff = browsing_as(bok_staff)
    html = staff.get("/staff/tasks/").content.decode()
    assert '<details class="filters-box" open data-fold-narrow>' in html
    assert '<summary id="filters-summary">Filtry</summary>' in html
    html = staff.get("/staff/tasks/?kind=other_request&assignee=none&sort=number").content.decode()
    assert '<summary id="filters-summary">Filtry (2 aktywne)</summary>' in html
