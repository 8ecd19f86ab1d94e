"""A complaint is called a complaint in the staff's e-mail subjects and in the portal's notices too, with the
Polish words agreeing with "reklamacja" (feminine: "została przypisana", "przeszła", "została anulowana"); any
other kind is still a "wniosek" (masculine), as before. The noun and the context of the agreeing words come
from one place (notifications/texts.request_noun, noun_context); a notice keeps its request's kind.

A complaint never cancels itself for want of the client's reply (bpmn/complaint.bpmn: the wait's end gives it
back to staff), so the auto-cancel subject is reached by other kinds alone; its words are checked as texts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from backend.core.models import OutboxEvent
from backend.requests_app import outbox
from backend.requests_app.models import PortalRequest
from notifications.texts import notice_title, request_noun, stage_label
from tests.complaint_helpers import submit_complaint
from tests.factories import MembershipFactory, UserFactory
from tests.request_helpers import ask_client, claim
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

Kind = OutboxEvent.Kind
CLIENT = "ACME Logistyka sp. z o.o."


def submit_other(api) -> dict:
    body = submission("other_request", data={"subject": "Polisa", "message": "Proszę o kopię polisy."})
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def staff_walk(api_as, client_user, bok_staff, second_staff, capture, *, complaint: bool) -> tuple[str, list]:
    """A request given by one staff member to another, past its due time, asked about, answered by the client
    and then withdrawn by them: its number and the subjects of the second staff member's e-mails, in order."""
    with capture(execute=True):
        submitted = (submit_complaint if complaint else submit_other)(api_as(client_user))
    request_id = submitted["id"]
    claim(api_as(bok_staff), request_id)
    mail.outbox.clear()
    with capture(execute=True):
        given = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/assign/",
            {"assignee_id": second_staff.pk, "expected_assignee_id": bok_staff.pk},
            format="json",
        )
        assert given.status_code == 200, given.json()
    with capture(execute=True):  # the overdue sweep's event (backend/requests_app/overdue.py)
        outbox.staff_overdue(PortalRequest.objects.get(pk=request_id))
    with capture(execute=True):
        assert ask_client(api_as(second_staff), request_id).status_code == 200
    with capture(execute=True):
        replied = api_as(client_user).post(f"/api/requests/{request_id}/reply/", {"message": "Skan."})
        assert replied.status_code == 200, replied.json()
    with capture(execute=True):
        assert api_as(client_user).post(f"/api/requests/{request_id}/cancel/").status_code == 200
    return submitted["number"], [m.subject for m in mail.outbox if second_staff.email in m.to]


@pytest.mark.parametrize(
    ("complaint", "lang", "expected"),
    [
        (
            True,
            "pl",
            [
                "Reklamacja {n} klienta {c} została przypisana do Ciebie",
                "Reklamacja {n} klienta {c} jest po terminie obsługi",
                "Reklamacja {n} czeka na Ciebie",
                "Reklamacja {n} klienta {c} została anulowana",
            ],
        ),
        (
            False,
            "pl",
            [
                "Wniosek {n} klienta {c} został przypisany do Ciebie",
                "Wniosek {n} klienta {c} jest po terminie obsługi",
                "Wniosek {n} czeka na Ciebie",
                "Wniosek {n} klienta {c} został anulowany",
            ],
        ),
        (
            True,
            "en",
            [
                "Complaint {n} of {c} has been assigned to you",
                "Complaint {n} of {c} is past its due time",
                "Complaint {n} is waiting for you",
                "Complaint {n} of {c} has been cancelled",
            ],
        ),
        (
            False,
            "en",
            [
                "Request {n} of {c} has been assigned to you",
                "Request {n} of {c} is past its due time",
                "Request {n} is waiting for you",
                "Request {n} of {c} has been cancelled",
            ],
        ),
    ],
)
def test_the_staff_subjects_name_a_complaint_and_agree_with_it(
    api_as,
    client_user,
    bok_staff,
    second_staff,
    django_capture_on_commit_callbacks,
    complaint,
    lang,
    expected,
):
    second_staff.language = lang
    second_staff.save(update_fields=["language"])

    number, subjects = staff_walk(
        api_as, client_user, bok_staff, second_staff, django_capture_on_commit_callbacks, complaint=complaint
    )

    assert subjects == [subject.format(n=number, c=CLIENT) for subject in expected]


@pytest.mark.parametrize(
    ("complaint", "lang", "expected"),
    [
        (
            True,
            "pl",
            [
                "Reklamacja {n}: czekamy na Twoją odpowiedź.",
                "Reklamacja {n} przeszła do etapu: Weryfikacja przez BOK.",
            ],
        ),
        (
            False,
            "pl",
            [
                "Wniosek {n}: czekamy na Twoją odpowiedź.",
                "Wniosek {n} przeszedł do etapu: Weryfikacja przez BOK.",
            ],
        ),
        (
            True,
            "en",
            [
                "Complaint {n}: we are waiting for your reply.",
                "Complaint {n} moved to the stage: Review by customer service.",
            ],
        ),
        (
            False,
            "en",
            [
                "Request {n}: we are waiting for your reply.",
                "Request {n} moved to the stage: Review by customer service.",
            ],
        ),
    ],
)
def test_a_notice_keeps_its_requests_kind_and_names_it(
    api_as, client_user, bok_staff, acme, django_capture_on_commit_callbacks, complaint, lang, expected
):
    # given a colleague of the client, who hears of the request's steps
    colleague = UserFactory(email="marek.wisniewski@acme.pl", language=lang)
    MembershipFactory(user=colleague, client=acme)
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        submitted = (submit_complaint if complaint else submit_other)(api_as(client_user))
    claim(api_as(bok_staff), submitted["id"])

    # when staff ask the client
    with capture(execute=True):
        assert ask_client(api_as(bok_staff), submitted["id"]).status_code == 200

    # then the colleague's notices (newest first) keep the kind and name the request by it
    notices = api_as(colleague).get("/api/notices/").json()["results"]
    assert {notice["payload"]["request_kind"] for notice in notices} == {
        "complaint" if complaint else "other_request"
    }
    assert [notice["title"] for notice in notices] == [
        title.format(n=submitted["number"]) for title in expected
    ]


NOTICES = [
    (Kind.REQUEST_STAGE_CHANGED, {"stage": "", "status": "in_review"}),
    (Kind.REQUEST_WAITING_FOR_CLIENT, {}),
    (Kind.REQUEST_REMINDER, {}),
    (Kind.REQUEST_DECIDED, {"decision": "approved"}),
    (Kind.REQUEST_DECIDED, {"decision": "rejected"}),
    (Kind.REQUEST_COMMENT, {"deadline_to": "2027-01-23"}),
    (Kind.REQUEST_COMMENT, {}),
]


@pytest.mark.parametrize(
    ("request_kind", "lang", "expected"),
    [
        (
            "complaint",
            "pl",
            [
                "Reklamacja R/1 przeszła do etapu: {stage}.",
                "Reklamacja R/1: czekamy na Twoją odpowiedź.",
                "Przypomnienie: reklamacja R/1 nadal czeka na Twoją odpowiedź.",
                "Reklamacja R/1 została rozpatrzona: uznana.",
                "Reklamacja R/1 została rozpatrzona: nieuznana.",
                "Reklamacja R/1: termin odpowiedzi przedłużono do 23.01.2027.",
                "Reklamacja R/1: Biuro Obsługi Klienta dopisało informację.",
            ],
        ),
        (
            "other_request",
            "pl",
            [
                "Wniosek R/1 przeszedł do etapu: {stage}.",
                "Wniosek R/1: czekamy na Twoją odpowiedź.",
                "Przypomnienie: wniosek R/1 nadal czeka na Twoją odpowiedź.",
                "Wniosek R/1 został rozpatrzony: zatwierdzony.",
                "Wniosek R/1 został rozpatrzony: odrzucony.",
                "Wniosek R/1: termin odpowiedzi przedłużono do 23.01.2027.",
                "Wniosek R/1: Biuro Obsługi Klienta dopisało informację.",
            ],
        ),
        (
            "complaint",
            "en",
            [
                "Complaint R/1 moved to the stage: {stage}.",
                "Complaint R/1: we are waiting for your reply.",
                "Reminder: complaint R/1 is still waiting for your reply.",
                "Complaint R/1 has been decided: upheld.",
                "Complaint R/1 has been decided: rejected.",
                "Complaint R/1: the answer deadline has been extended to 2027-01-23.",
                "Complaint R/1: customer service has written to you.",
            ],
        ),
        (
            "other_request",
            "en",
            [
                "Request R/1 moved to the stage: {stage}.",
                "Request R/1: we are waiting for your reply.",
                "Reminder: request R/1 is still waiting for your reply.",
                "Request R/1 has been decided: approved.",
                "Request R/1 has been decided: rejected.",
                "Request R/1: the answer deadline has been extended to 2027-01-23.",
                "Request R/1: customer service has written to you.",
            ],
        ),
    ],
)
def test_every_request_notice_names_its_kind_in_agreeing_words(request_kind, lang, expected):
    with translation.override(lang):
        stage = stage_label("")  # the neutral label of a stage unknown
        titles = [
            notice_title(kind, {"number": "R/1", "request_kind": request_kind, **payload})
            for kind, payload in NOTICES
        ]

    assert titles == [title.format(stage=stage) for title in expected]


@pytest.mark.parametrize(
    ("kind", "lang", "expected"),
    [
        ("complaint", "pl", "Reklamacja R/1 została anulowana: brak odpowiedzi na nasze pytanie"),
        ("other_request", "pl", "Wniosek R/1 został anulowany: brak odpowiedzi na nasze pytanie"),
        ("complaint", "en", "Complaint R/1 has been cancelled: no reply to our question"),
        ("other_request", "en", "Request R/1 has been cancelled: no reply to our question"),
    ],
)
def test_the_auto_cancel_subject_agrees_with_the_noun(kind, lang, expected):
    # (a complaint never reaches it: see the module's docstring)
    from notifications.texts import noun_context  # the words a subject's template is given

    with translation.override(lang):
        words = {"request_noun": request_noun(kind), "noun_context": noun_context(kind), "request_ref": "R/1"}
        for template in ("auto_cancelled", "auto_cancelled_for_contact"):
            subject = render_to_string(f"notifications/email/{template}.subject.txt", words)
            assert subject.strip() == expected
