"""The task page says each thing once and says what a step did (pages through Django's client).

A question refused because a colleague took the task meanwhile says who took it once, in the box that
keeps the typed text (the Decision card does not say it again); the approval's two client texts say where
the client reads each. (A step that claims a task nobody held says so: tests/staff_claim28.)
"""

from __future__ import annotations

import re

import pytest

from backend.requests_app import task_hands
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def success_message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_question_refused_after_a_colleagues_claim_says_who_took_it_once(
    bok_staff, second_staff, open_request
):
    # given: Piotr has the task page open; meanwhile Barbara claims the task
    piotr = browsing_as(second_staff)
    task_hands.claim_request(staff=bok_staff, portal_request=open_request)

    # when: Piotr sends his question
    response = piotr.post(f"/staff/tasks/{open_request.pk}/ask/", {"question": "Proszę o skan dowodu."})

    # then: who took it is said once, beside his question kept to send as a comment
    assert response.status_code == 409
    text = visible_text(response.content.decode())
    assert text.count("Nad tym zadaniem pracuje") == 1, text
    assert "Nad tym zadaniem pracuje już Barbara Obsługa (przejęte " in text
    assert "Wyślij klientowi jako komentarz" in text
    html = response.content.decode()
    assert "Proszę o skan dowodu.</textarea>" in html
    assert "data-held-said>Nad tym zadaniem pracuje już Barbara Obsługa" in html  # the live banner's check

    # and the page as it is (no refused text) still says who works on it, in the Decision card
    page = visible_text(piotr.get(f"/staff/tasks/{open_request.pk}/").content.decode())
    assert page.count("Nad tym zadaniem pracuje") == 1
    assert "Nad tym zadaniem pracuje Barbara Obsługa." in page


def test_the_approvals_answer_and_comment_say_where_the_client_reads_each(bok_staff, open_request):
    html = browsing_as(bok_staff).get(f"/staff/tasks/{open_request.pk}/").content.decode()
    form = html[html.index('id="form-approve"') : html.index("</form>", html.index('id="form-approve"'))]

    assert re.search(r'<textarea id="approve-answer"[^>]*aria-describedby="approve-answer-help"', form)
    assert (
        "Klient zobaczy ją na stronie wniosku jako uzasadnienie decyzji i w jego historii; przytacza ją też "
        "dokument decyzji, jeśli zostanie wystawiony."
    ) in form
    assert 'aria-describedby="approve-comment-help"' in form
    assert "Widoczny tylko w historii wniosku, pod odpowiedzią; dokument decyzji go nie zawiera." in form


def test_the_answer_and_the_comment_reach_the_client_as_their_help_texts_say(
    bok_staff, client_user, open_request
):
    staff = browsing_as(bok_staff)
    staff.post(
        f"/staff/tasks/{open_request.pk}/approve/",
        {"answer": "Zgoda na zmianę.", "comment": "Aneks prześlemy pocztą."},
    )
    page = browsing_as(client_user).get(f"/requests/{open_request.pk}/").content.decode()
    reason = re.search(r'<dd id="decision-reason">(.*?)</dd>', page, flags=re.S)
    assert reason is not None and reason.group(1).strip() == "Zgoda na zmianę."  # the answer only
    history = page[page.index('id="request-history"') :]
    assert "Zgoda na zmianę.<br><br>Aneks prześlemy pocztą." in history  # the comment under it
