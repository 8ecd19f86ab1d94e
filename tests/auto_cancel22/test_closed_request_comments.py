"""A request that has ended takes no more comments from the client: the API refuses with 409
`request_closed`, and the page shows why it is closed and how to go on instead of the comment form."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from backend.requests_app.models import RequestEvent, RequestStatus
from backend.requests_app.timers import sweep_due_timers
from tests.robust_walk14.test_waiting_emails import asked_request

pytestmark = pytest.mark.django_db


def auto_cancelled(api_as, client_user, bok_staff, capture) -> int:
    """A request staff asked about that was left without a reply for 30 days (its day-30 timer fired)."""
    request_id = asked_request(api_as, client_user, bok_staff, capture)
    later = timezone.now() + timedelta(days=30, minutes=1)
    with time_machine.travel(later, tick=False), capture(execute=True):
        sweep_due_timers()
        sweep_due_timers()  # the reminder's and then the cancel's
    comments = api_as(client_user).get(f"/api/requests/{request_id}/").json()
    assert comments["status"] == RequestStatus.CANCELLED
    return request_id


def test_the_api_refuses_a_comment_on_an_auto_cancelled_request(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given a request cancelled by the process for want of a reply
    request_id = auto_cancelled(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)

    # when the client comments on it late
    response = api_as(client_user).post(
        f"/api/requests/{request_id}/comments/", {"message": "Numer polisy: 123"}, format="json"
    )

    # then the comment is refused in the error shape, and nothing is saved
    assert response.status_code == 409
    assert response.json()["code"] == "request_closed"
    assert not RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.COMMENT).exists()


def test_the_api_refuses_a_comment_on_a_withdrawn_request(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    assert api_as(client_user).post(f"/api/requests/{request_id}/cancel/").status_code == 200

    response = api_as(client_user).post(
        f"/api/requests/{request_id}/comments/", {"message": "Jednak tak"}, format="json"
    )

    assert response.status_code == 409 and response.json()["code"] == "request_closed"


def test_staff_may_still_write_to_the_client_on_a_closed_request(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    request_id = asked_request(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    assert api_as(client_user).post(f"/api/requests/{request_id}/cancel/").status_code == 200

    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/comments/", {"message": "Przyjęliśmy wycofanie."}, format="json"
    )

    assert response.status_code == 201


def test_the_page_says_why_the_request_is_closed_and_offers_a_new_one(
    api_as, client, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given an auto-cancelled request
    asked_on = timezone.localdate()
    request_id = auto_cancelled(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    cancelled_on = timezone.localdate(
        RequestEvent.objects.filter(request_id=request_id, status_to=RequestStatus.CANCELLED).get().created_at
    )
    client.force_login(client_user)

    # when the client opens it
    page = client.get(f"/requests/{request_id}/").content.decode()

    # then no comment form, but why it ended, and a new request of the same kind or a message
    assert 'id="comment-dialog"' not in page and 'id="open-comment"' not in page
    assert 'data-ending="auto_cancelled"' in page
    assert (
        f"Wniosek został anulowany automatycznie {cancelled_on:%d.%m.%Y}: pytanie leasingodawcy z"
        f" {asked_on:%d.%m.%Y} pozostało bez odpowiedzi." in page
    )
    assert 'href="/requests/new/?kind=other_request"' in page
    assert 'data-testid="write-message"' in page


def test_a_late_comment_posted_from_an_open_page_is_refused_and_its_text_kept(
    api_as, client, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given a page opened while the request waited; the request was auto-cancelled since
    request_id = auto_cancelled(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)
    client.force_login(client_user)

    # when its comment form is posted
    response = client.post(f"/requests/{request_id}/comment/", {"message": "Numer polisy: 123"})

    # then it is refused with the reason, the text shown to copy, and not saved
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ten wniosek jest zamknięty" in body
    assert "Numer polisy: 123</textarea>" in body
    assert "Komentarz został dodany" not in body
    assert not RequestEvent.objects.filter(request_id=request_id, kind=RequestEvent.Kind.COMMENT).exists()
