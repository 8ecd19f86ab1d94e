"""A complaint's e-mail bodies name it a complaint, as their subjects do: the client's (the stage, the
question, customer service's comment and a deadline extension, the decision, in the words agreeing with
"reklamacja", the decision as "uznana"), its contact person's (a colleague, told whose complaint it is, or
someone outside the portal) and the staff's (given to them, overdue, back in review, cancelled). Every
other kind reads "wniosek" / "request" as before. The words come from the request's kind in one place
(notifications/texts.request_words)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.requests_app import outbox
from backend.requests_app.models import PortalRequest
from tests.complaint_helpers import at_day, remind_on_day_14
from tests.complaint_walk_w.test_staff_and_notice_words import CLIENT, staff_walk
from tests.emails17.conftest import html_of
from tests.request_helpers import ask_client, claim
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

OUTSIDE = "jan.nowak@zewnetrzna.pl"


def parts_to(address: str) -> list[list[str]]:
    """The text and HTML part of each e-mail to `address`, in order."""
    return [[message.body, html_of(message)] for message in mail.outbox if address in message.to]


def submit_complaint(api, contact_email: str) -> dict:
    body = submission("complaint", data={"subject": "Błędna faktura", "message": "Opłata spoza umowy."})
    body["contact"]["email"] = contact_email
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def set_language(user, lang: str) -> None:
    user.language = lang
    user.save(update_fields=["language"])


CLIENT_WORDS = {
    "pl": {
        "named": "Wskazano Cię jako osobę kontaktową w reklamacji {n}, złożonej przez: Anna Kowalska.",
        "asked": "Aby rozpatrzyć Twoją reklamację {n}, potrzebujemy od Ciebie dodatkowych informacji. "
        "Otwórz reklamację w Portalu Klienta",
        "moved": "Twoja reklamacja {n} przeszła do etapu: ",
        "named_moved": "Wskazano Cię jako osobę kontaktową w reklamacji {n}, złożonej przez: Anna Kowalska. "
        "Reklamacja przeszła do etapu: ",
        "asked_contact": "Aby ją rozpatrzyć, potrzebujemy od Ciebie dodatkowych informacji. Otwórz reklamację",
        "extended": "Termin odpowiedzi na Twoją reklamację {n} przedłużono do",
        "extended_contact": "Termin odpowiedzi na tę reklamację przedłużono do",
        "history": "w historii reklamacji w Portalu Klienta",
        "decided": "Twoja reklamacja {n} została rozpatrzona: ",
        "decided_contact": "Reklamacja {n}, złożona przez: Anna Kowalska, w której wskazano Cię jako osobę "
        "kontaktową, została rozpatrzona: ",
        "upheld": "uznana",
        "request": r"\bwnios(ek|ku|kiem)\b",
    },
    "en": {
        "named": "You have been named as the contact person of Anna Kowalska's complaint {n}.",
        "asked": "To answer your complaint {n} we need more information from you. Please open the complaint",
        "moved": "Your complaint {n} has moved to the stage: ",
        "named_moved": "You have been named as the contact person of Anna Kowalska's complaint {n}. It has "
        "moved to the stage: ",
        "asked_contact": "To answer it we need more information from you. Please open the complaint",
        "extended": "The answer deadline of your complaint {n} has been extended to",
        "extended_contact": "Its answer deadline has been extended to",
        "history": "in the complaint's history in the Client Portal",
        "decided": "Your complaint {n} has been decided: ",
        "decided_contact": "Anna Kowalska's complaint {n}, in which you are named as the contact person, has "
        "been decided: ",
        "upheld": "upheld",
        "request": r"\brequest\b",
    },
}


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_clients_and_the_contact_persons_emails_name_the_complaint(
    api_as,
    client_user,
    contact_user,
    bok_staff,
    committed,
    django_capture_on_commit_callbacks,
    lang,
):
    words = CLIENT_WORDS[lang]
    set_language(client_user, lang)
    set_language(contact_user, lang)

    # given Anna's complaint naming her colleague Marek as its contact person
    with django_capture_on_commit_callbacks(execute=True):
        with_contact = submit_complaint(api_as(client_user), contact_user.email)
    request_id, number = with_contact["id"], with_contact["number"]
    moved_marek = parts_to(contact_user.email)
    claim(api_as(bok_staff), request_id)
    mail.outbox.clear()

    # when staff ask, extend the answer deadline and uphold the complaint
    committed(lambda: ask_client(api_as(bok_staff), request_id))
    asked_anna, asked_marek = parts_to(client_user.email), parts_to(contact_user.email)
    mail.outbox.clear()
    committed(lambda: api_as(contact_user).post(f"/api/requests/{request_id}/reply/", {"message": "Skan."}))
    moved_anna = parts_to(client_user.email)
    claim(api_as(bok_staff), request_id)
    mail.outbox.clear()
    new_deadline = (timezone.localdate() + timedelta(days=40)).isoformat()
    committed(
        lambda: api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/extend-deadline/",
            {"new_deadline": new_deadline, "extension_reason": "Potrzebna opinia rzeczoznawcy."},
            format="json",
        )
    )
    extended_anna, extended_marek = parts_to(client_user.email), parts_to(contact_user.email)
    mail.outbox.clear()
    committed(
        lambda: api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/approve/", {"answer": "Wystawimy korektę."}, format="json"
        )
    )
    decided_anna, decided_marek = parts_to(client_user.email), parts_to(contact_user.email)

    # then every part of every e-mail names the complaint, never a request
    for part in asked_anna[0]:
        assert words["asked"].format(n=number) in part
    for part in asked_marek[0]:
        assert words["named"].format(n=number) in part and words["asked_contact"] in part
    for part in moved_anna[0]:
        assert words["moved"].format(n=number) in part
    for part in moved_marek[0]:
        assert words["named_moved"].format(n=number) in part
    for part in extended_anna[-1]:
        assert words["extended"].format(n=number) in part and words["history"] in part
    for part in extended_marek[-1]:
        assert words["named"].format(n=number) in part
        assert words["extended_contact"] in part and words["history"] in part
    for part in decided_anna[0]:
        assert words["decided"].format(n=number) in part and words["upheld"] in part
    for part in decided_marek[0]:
        assert words["decided_contact"].format(n=number) in part and words["upheld"] in part
    for mails in (
        asked_anna,
        asked_marek,
        moved_anna,
        moved_marek,
        extended_anna,
        extended_marek,
        decided_anna,
        decided_marek,
    ):
        for part in (part for both in mails for part in both):
            assert not re.search(words["request"], part, re.IGNORECASE)
            assert "{#" not in part  # the shared sentence's template comment stays out of the e-mail


def test_a_contact_person_outside_the_portal_reads_complaint_in_the_question_and_the_reminder(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        # given a complaint naming someone without a portal account as its contact person
        with capture(execute=True):
            submitted = submit_complaint(api_as(client_user), OUTSIDE)
        claim(api_as(bok_staff), submitted["id"])
        mail.outbox.clear()

        # when staff ask and the question waits 14 days
        with capture(execute=True):
            assert ask_client(api_as(bok_staff), submitted["id"]).status_code == 200
        (asked,) = parts_to(OUTSIDE)
        mail.outbox.clear()
        remind_on_day_14(traveller, capture)
        (reminded,) = parts_to(OUTSIDE)

    # then both e-mails name the complaint, never a request
    named = f"Jesteś osobą kontaktową wskazaną w reklamacji {submitted['number']} ({CLIENT})."
    for part in asked:
        assert f"{named} Aby ją rozpatrzyć, potrzebujemy dodatkowych informacji." in part
        assert "aby otworzył reklamację i wysłał odpowiedź" in part
    for part in reminded:
        assert f"{named} Nadal czekamy na informacje, o które prosiliśmy." in part
        assert "aby otworzył reklamację i wysłał odpowiedź" in part
    for part in asked + reminded:
        assert not re.search(CLIENT_WORDS["pl"]["request"], part, re.IGNORECASE)


STAFF_BODIES = {
    (True, "pl"): [
        "Przypisano Ci reklamację {n} klienta {c}; przypisuje: Barbara Obsługa.",
        "Termin obsługi reklamacji {n} klienta {c} minął ",
        "Reklamacja {n} klienta {c}, przypisana do Ciebie, wróciła do rozpatrzenia (etap: ",
        "Przypisana Tobie reklamacja {n} klienta {c} została anulowana (etap: ",
    ],
    (True, "en"): [
        "Barbara Obsługa has assigned to you complaint {n} of {c}.",
        "Complaint {n} of {c} was due by ",
        "Complaint {n} of {c}, assigned to you, is back in review (stage: ",
        "Complaint {n} of {c}, assigned to you, has been cancelled (stage: ",
    ],
    (False, "pl"): [
        "Przypisano Ci wniosek {n} klienta {c} (Inna sprawa); przypisuje: Barbara Obsługa.",
        "Termin obsługi wniosku {n} klienta {c} (Inna sprawa) minął ",
        "Wniosek {n} klienta {c}, przypisany do Ciebie, wrócił do rozpatrzenia (etap: ",
        "Przypisany Tobie wniosek {n} klienta {c} został anulowany (etap: ",
    ],
    (False, "en"): [
        "Barbara Obsługa has assigned to you request {n} of {c} (Other matter).",
        "Request {n} of {c} (Other matter) was due by ",
        "Request {n} of {c}, assigned to you, is back in review (stage: ",
        "Request {n} of {c}, assigned to you, has been cancelled (stage: ",
    ],
}


@pytest.mark.parametrize(("complaint", "lang"), list(STAFF_BODIES))
def test_the_staff_emails_name_a_complaint_in_their_bodies_too(
    api_as, client_user, bok_staff, second_staff, django_capture_on_commit_callbacks, complaint, lang
):
    set_language(second_staff, lang)

    # given a request given to a colleague, overdue, back in review after the reply, then withdrawn
    number, _subjects = staff_walk(
        api_as, client_user, bok_staff, second_staff, django_capture_on_commit_callbacks, complaint=complaint
    )

    # then each of the colleague's e-mails (text and HTML) names it by its kind
    mails = parts_to(second_staff.email)
    assert len(mails) == len(STAFF_BODIES[complaint, lang])
    for parts, expected in zip(mails, STAFF_BODIES[complaint, lang], strict=True):
        for part in parts:
            assert expected.format(n=number, c=CLIENT) in part


@pytest.mark.parametrize(
    ("lang", "named", "untaken"),
    [
        (
            "pl",
            "Termin obsługi reklamacji {n} klienta",
            "Nikt jej jeszcze nie przejął: otrzymujesz tę wiadomość jako zespół Biura Obsługi Klienta.",
        ),
        (
            "en",
            "Complaint {n} of",
            "Nobody has taken it yet: you receive this as the customer service team.",
        ),
    ],
)
def test_the_teams_overdue_email_of_an_untaken_complaint_agrees_with_it(
    api_as, client_user, django_capture_on_commit_callbacks, settings, lang, named, untaken
):
    settings.LANGUAGE_CODE = lang  # the team's e-mail speaks the portal's language
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit_complaint(api_as(client_user), client_user.email)
    mail.outbox.clear()

    # when nobody took the complaint by its due time
    with django_capture_on_commit_callbacks(execute=True):
        outbox.staff_overdue(PortalRequest.objects.get(pk=submitted["id"]))

    # then the team's e-mail names the complaint in words agreeing with "reklamacja"
    (team_mail,) = [message for message in mail.outbox if client_user.email not in message.to]
    for part in (team_mail.body, html_of(team_mail)):
        assert named.format(n=submitted["number"]) in part and untaken in part
