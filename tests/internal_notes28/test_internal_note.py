"""Staff's internal note on a request: one service for the task page and the staff API, kept from the client.

A note is a history row of kind `internal_note`: any back-office user writes one on any request in any status;
the client's page, API, live refresh and e-mails or notices never carry it (its outbox event is staff only:
tests/notes_live29).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from backend.core.exceptions import PortalValidationError
from backend.core.models import OutboxEvent
from backend.requests_app import services, task_hands
from backend.requests_app.internal_notes import MAX_NOTE_LENGTH, add_internal_note
from backend.requests_app.models import RequestEvent, RequestStatus
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db

NOTE = "Dzwoniłam do klienta: fakturę wyśle w poniedziałek."


def notes_of(portal_request) -> list[RequestEvent]:
    return list(RequestEvent.objects.filter(request=portal_request, kind=RequestEvent.Kind.INTERNAL_NOTE))


# --------------------------------------------------------------------------------------------------
# The service


def test_a_note_is_a_staff_history_row_with_no_step_and_a_staff_only_outbox_event(bok_staff, open_request):
    # given
    events_before = OutboxEvent.objects.count()

    # when
    note = add_internal_note(staff=bok_staff, portal_request=open_request, text=f"  {NOTE}\n")

    # then: the staff's row, its text trimmed; the request has not moved; only the colleagues' live event
    assert note.kind == RequestEvent.Kind.INTERNAL_NOTE
    assert (note.author, note.actor, note.message) == (RequestEvent.Author.STAFF, bok_staff, NOTE)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.IN_REVIEW
    assert open_request.assignee_id is None
    new_events = OutboxEvent.objects.order_by("id")[events_before:]
    assert [(e.kind, e.client_id) for e in new_events] == [(OutboxEvent.Kind.REQUEST_INTERNAL_NOTE, None)]


def test_any_staff_member_writes_a_note_on_a_colleagues_task_and_on_a_closed_request(
    bok_staff, second_staff, client_user, open_request
):
    # given: Barbara holds the task; then the client withdraws the request
    task_hands.claim_request(staff=bok_staff, portal_request=open_request)
    add_internal_note(staff=second_staff, portal_request=open_request, text="Klient prosi o kontakt.")
    services.cancel_request(user=client_user, portal_request=open_request)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.CANCELLED

    # when
    add_internal_note(staff=second_staff, portal_request=open_request, text="Klient wycofał: potwierdzone.")

    # then
    assert [n.message for n in notes_of(open_request)] == [
        "Klient prosi o kontakt.",
        "Klient wycofał: potwierdzone.",
    ]
    assert {n.actor for n in notes_of(open_request)} == {second_staff}


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_an_empty_note_is_refused_at_its_field(bok_staff, open_request, text):
    with pytest.raises(PortalValidationError) as refused:
        add_internal_note(staff=bok_staff, portal_request=open_request, text=text)

    assert refused.value.fields == {"note": ["Wpisz treść notatki: nie może być pusta."]}
    assert notes_of(open_request) == []


def test_a_note_over_the_limit_is_refused_saying_the_limit(bok_staff, open_request):
    with pytest.raises(PortalValidationError) as refused:
        add_internal_note(staff=bok_staff, portal_request=open_request, text="x" * (MAX_NOTE_LENGTH + 1))

    assert refused.value.fields["note"] == [
        f"Notatka może mieć najwyżej {MAX_NOTE_LENGTH} znaków (ma {MAX_NOTE_LENGTH + 1})."
    ]
    assert notes_of(open_request) == []


def test_a_client_user_cannot_write_a_note_even_through_the_service(client_user, open_request):
    with pytest.raises(PermissionDenied):
        add_internal_note(staff=client_user, portal_request=open_request, text=NOTE)

    assert notes_of(open_request) == []


# --------------------------------------------------------------------------------------------------
# The staff API


def test_staff_api_writes_the_note_and_the_staff_detail_lists_it(api_as, bok_staff, open_request):
    api = api_as(bok_staff)

    response = api.post(f"/api/staff/requests/{open_request.pk}/notes/", {"note": NOTE}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["message"], body["actor_name"]) == ("internal_note", NOTE, "Barbara Obsługa")
    assert body["kind_label"] == "Notatka wewnętrzna"
    detail = api.get(f"/api/staff/requests/{open_request.pk}/").json()
    assert [e["message"] for e in detail["history"] if e["kind"] == "internal_note"] == [NOTE]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"note": "   "}, "Wpisz treść notatki: nie może być pusta."),
        ({}, "Wpisz treść notatki: nie może być pusta."),
        ({"note": None}, "Wpisz treść notatki: nie może być pusta."),
        ({"note": "x" * (MAX_NOTE_LENGTH + 5)}, f"najwyżej {MAX_NOTE_LENGTH} znaków"),
        ({"note": ["a", "b"]}, ""),
        ({"note": "Zła\u202ekolejność"}, ""),
    ],
)
def test_staff_api_refuses_a_bad_note_with_400_at_the_field(api_as, bok_staff, open_request, body, said):
    response = api_as(bok_staff).post(f"/api/staff/requests/{open_request.pk}/notes/", body, format="json")

    assert response.status_code == 400, response.content
    error = response.json()
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["note"]
    assert said in error["fields"]["note"][0]
    assert notes_of(open_request) == []


def test_staff_api_of_an_unknown_request_is_404(api_as, bok_staff):
    response = api_as(bok_staff).post("/api/staff/requests/999999/notes/", {"note": NOTE}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_clients_are_refused_the_staff_note_api(api_as, client_user, other_client_user, open_request):
    for user in (client_user, other_client_user):
        response = api_as(user).post(
            f"/api/staff/requests/{open_request.pk}/notes/", {"note": NOTE}, format="json"
        )
        assert response.status_code == 403
    assert Client().post(f"/api/staff/requests/{open_request.pk}/notes/", {"note": NOTE}).status_code in (
        401,
        403,
    )
    assert notes_of(open_request) == []


def test_the_note_endpoint_is_in_the_openapi_schema(api_as, bok_staff):
    schema = api_as(bok_staff).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    operation = schema["paths"]["/api/staff/requests/{request_id}/notes/"]["post"]
    assert operation["operationId"] == "staff_requests_internal_note"
    assert "201" in operation["responses"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "note" in schema["components"]["schemas"][body]["properties"]


# --------------------------------------------------------------------------------------------------
# Never the client's


@pytest.fixture
def noted_request(bok_staff, client_user, open_request):
    """The request with a comment to the client and an internal note after it."""
    services.add_comment(
        user=bok_staff, portal_request=open_request, message="Komentarz dla klienta.", attachment_ids=[]
    )
    add_internal_note(staff=bok_staff, portal_request=open_request, text=NOTE)
    return open_request


def test_the_client_api_never_shows_a_note(api_as, client_user, noted_request):
    api = api_as(client_user)

    detail = api.get(f"/api/requests/{noted_request.pk}/")
    comments = api.get(f"/api/requests/{noted_request.pk}/comments/")

    assert detail.status_code == comments.status_code == 200
    for response in (detail, comments):
        content = response.content.decode()
        assert "Komentarz dla klienta." in content  # the history is there, the note is not
        assert NOTE not in content
        assert "internal_note" not in content


def test_the_client_page_never_shows_a_note(client_user, noted_request):
    browser = browsing_as(client_user)

    page = browser.get(f"/requests/{noted_request.pk}/").content.decode()
    status = browser.get(f"/requests/{noted_request.pk}/status/").content.decode()

    assert "Komentarz dla klienta." in page
    for html in (page, status):
        assert NOTE not in html
        assert "Notatka wewnętrzna" not in visible_text(html)


def test_the_staff_page_shows_the_note_marked_internal_with_author_and_time(bok_staff, noted_request):
    html = browsing_as(bok_staff).get(f"/staff/tasks/{noted_request.pk}/").content.decode()

    history = html.split('id="request-history"')[1].split("</ol>")[0]
    row = history.split('<li class="timeline-item')[-1]
    assert "kind-internal_note" in row
    assert NOTE in row
    text = visible_text(row)
    assert "Notatka wewnętrzna" in text
    assert "Niewidoczna dla klienta" in text
    assert "Barbara Obsługa" in text
    assert "<time datetime=" in row
    assert "Notatki wewnętrzne (niewidoczne dla klienta)" in visible_text(html)  # the form's title


# --------------------------------------------------------------------------------------------------
# The task page's form


def test_the_page_form_adds_the_note_and_says_the_client_does_not_see_it(bok_staff, open_request):
    browser = browsing_as(bok_staff)

    response = browser.post(f"/staff/tasks/{open_request.pk}/note/", {"note": NOTE}, follow=True)

    note = notes_of(open_request)[0]
    assert response.redirect_chain[-1][0] == f"/staff/tasks/{open_request.pk}/#note-{note.pk}"  # session 29
    assert "Notatka wewnętrzna została dodana. Klient jej nie widzi." in visible_text(
        response.content.decode()
    )
    assert [n.message for n in notes_of(open_request)] == [NOTE]


def test_the_page_form_keeps_a_refused_note_in_its_field_with_the_reason(bok_staff, open_request):
    browser = browsing_as(bok_staff)
    too_long = "Ustalenia z klienta. " * 100  # over the limit

    empty = browser.post(f"/staff/tasks/{open_request.pk}/note/", {"note": "  "})
    long = browser.post(f"/staff/tasks/{open_request.pk}/note/", {"note": too_long})

    assert empty.status_code == long.status_code == 400
    assert 'id="note-note"' in empty.content.decode() and 'aria-invalid="true"' in empty.content.decode()
    assert "Wpisz treść notatki: nie może być pusta." in visible_text(empty.content.decode())
    html = long.content.decode()
    assert f"najwyżej {MAX_NOTE_LENGTH} znaków" in visible_text(html)
    assert f"{too_long}</textarea>" in html  # nothing typed is lost
    assert '<details class="comment-box note-box" id="internal-note" open>' in html
    assert notes_of(open_request) == []


def test_a_client_user_cannot_post_the_page_form(client_user, open_request):
    response = browsing_as(client_user).post(f"/staff/tasks/{open_request.pk}/note/", {"note": NOTE})

    assert response.status_code in (302, 403)
    assert notes_of(open_request) == []
