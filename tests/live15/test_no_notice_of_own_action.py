"""A client is not told about what they did themselves: no notice (nor e-mail) of their own submission or
reply; the other members of the company still get theirs."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications.models import Notice
from tests.factories import MembershipFactory, UserFactory
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


def test_submitting_and_replying_leave_the_actor_without_notices(
    api_as, acme, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given: a colleague of the same company
    colleague = UserFactory(email="piotr.nowak@acme.pl", first_name="Piotr", last_name="Nowak")
    MembershipFactory(user=colleague, client=acme, is_default=True)
    client_api = api_as(client_user)

    # when: the client submits a request
    body = submission("other_request", data={"subject": "Polisa", "message": "Czy mogę zmienić?"})
    with django_capture_on_commit_callbacks(execute=True):
        request_id = client_api.post("/api/requests/", body, format="json").json()["id"]

    # then: the bell of the one who submitted stays as it was; the colleague hears of it
    assert not Notice.objects.filter(recipient=client_user).exists()
    assert Notice.objects.filter(recipient=colleague, kind="request.stage_changed").count() == 1
    assert client_api.get("/api/notices/unread-count/").json()["unread"] == 0

    # when: staff ask, and the client replies
    with django_capture_on_commit_callbacks(execute=True):
        api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/ask-client/", {"question": "Numer polisy?"}, format="json"
        )
    asked = set(Notice.objects.filter(recipient=client_user).values_list("pk", flat=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_api.post(f"/api/requests/{request_id}/reply/", {"message": "POL-1"}, format="json")

    # then: staff's question was a notice for the client; the client's own reply is not, nor an e-mail
    assert len(asked) == 1
    assert set(Notice.objects.filter(recipient=client_user).values_list("pk", flat=True)) == asked
    assert not [m for m in mail.outbox if client_user.email in m.to]
    assert Notice.objects.filter(recipient=colleague, kind="request.stage_changed").count() == 2
