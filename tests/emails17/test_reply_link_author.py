"""#6: a contact person without an account who answers by the e-mail's link is the reply's author: the
history names their address, and the submitter is told of the stage change like of anyone else's."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.requests_app.models import RequestEvent
from tests.emails17.conftest import mails_to
from tests.reply_link.helpers import ask_with_contact, reply_link_path

pytestmark = pytest.mark.django_db

CONTACT = "kontakt.zewnetrzny@acme.pl"  # no portal account


def test_the_submitter_hears_of_the_contact_persons_reply(
    client, api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    # given
    request_id = ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email=CONTACT,
        question="Proszę o numer rachunku.",
    )
    path = reply_link_path(CONTACT)
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path, {"message": "PL61 1090 1014"}).status_code == 200

    # then: the submitter gets the stage change e-mail
    (stage_mail,) = mails_to(client_user.email)
    assert "nowy etap" in stage_mail.subject
    # and the history names the contact person, not the submitter, on the reply and its stage change
    rows = RequestEvent.objects.filter(
        request_id=request_id, kind__in=[RequestEvent.Kind.REPLY, RequestEvent.Kind.STAGE_CHANGED]
    ).order_by("-id")[:2]
    assert {row.actor_id for row in rows} == {None}
    assert {row.author for row in rows} == {RequestEvent.Author.CLIENT}
    history = api_as(bok_staff).get(f"/api/staff/requests/{request_id}/").json()["history"]
    (reply,) = [e for e in history if e["kind"] == "reply"]
    assert reply["actor_name"] == CONTACT
    # the staff page's last two rows (the reply, back in review): the contact person's, not Anna's
    page = api_as(bok_staff).get(f"/staff/tasks/{request_id}/").content.decode()
    history_rows = page.split('id="request-history"')[1].split("</ol>")[0].split('<li class="timeline-item')
    for row in history_rows[-2:]:
        assert CONTACT in row and "Anna Kowalska" not in row
