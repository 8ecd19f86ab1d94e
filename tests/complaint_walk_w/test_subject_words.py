"""A complaint is called a complaint in every e-mail subject of its wait for the client: the question, the
reminder and the no-reply e-mail (before, the first two said "Wniosek …" and the third "Reklamacja …").
The word comes from the request's kind in one place (notifications/texts.request_noun); other kinds
still say "Wniosek"."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail

from tests.complaint_helpers import asked_complaint, at_day, claimed_complaint, end_the_wait, remind_on_day_14

pytestmark = pytest.mark.django_db


def subjects_of_a_complaint_wait(api_as, client_user, bok_staff, capture) -> tuple[str, list[str]]:
    """A complaint asked about on day 0, reminded on day 14 and never answered (the wait ends by day 25):
    its number and the subjects of the client's e-mails, in order."""
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        submitted = asked_complaint(api_as, client_user, bok_staff, capture)
        remind_on_day_14(traveller, capture)
        end_the_wait(traveller, capture)
    subjects = [m.subject for m in mail.outbox if client_user.email in m.to]
    return submitted["number"], subjects


def test_the_question_reminder_and_no_reply_subjects_all_say_complaint(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    number, subjects = subjects_of_a_complaint_wait(
        api_as, client_user, bok_staff, django_capture_on_commit_callbacks
    )

    question, reminder, no_reply = subjects
    assert question.startswith(f"Reklamacja {number}") and question.endswith(": czekamy na Twoją odpowiedź")
    assert reminder.startswith(f"Przypomnienie: reklamacja {number}")
    assert reminder.endswith(" czeka na Twoją odpowiedź")
    assert no_reply.startswith(f"Reklamacja {number}")
    assert not [s for s in subjects if "wniosek" in s.lower()]


def test_an_english_reader_reads_complaint_throughout(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    number, subjects = subjects_of_a_complaint_wait(
        api_as, client_user, bok_staff, django_capture_on_commit_callbacks
    )

    question, reminder, no_reply = subjects
    assert question.startswith(f"Complaint {number}") and question.endswith(": we are waiting for your reply")
    assert reminder.startswith(f"Reminder: complaint {number}")
    assert no_reply == f"Complaint {number}: no reply came by 2026-12-18"
    assert not [s for s in subjects if "request" in s.lower()]


@pytest.mark.parametrize(
    ("lang", "word", "upheld"), [("pl", "Reklamacja", "uznana"), ("en", "Complaint", "upheld")]
)
def test_the_decision_subject_names_the_complaint_and_agrees_with_it(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks, lang, word, upheld
):
    client_user.language = lang
    client_user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        submitted = claimed_complaint(api_as, client_user, bok_staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approved = api_as(bok_staff).post(
            f"/api/staff/requests/{submitted['id']}/approve/",
            {"answer": "Reklamacja uwzględniona: wystawimy korektę faktury."},
            format="json",
        )
        assert approved.status_code == 200, approved.json()

    subjects = [m.subject for m in mail.outbox if client_user.email in m.to]
    assert subjects == [f"{word} {submitted['number']}: {upheld}"]
