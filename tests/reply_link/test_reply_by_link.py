"""The contact person answers the open question from the e-mail: once, within 7 days, that question only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest, RequestEvent, RequestStatus
from tests.factories import MembershipFactory, UserFactory
from tests.reply_link.helpers import ask_with_contact, reply_link_path

CONTACT = "kontakt.zewnetrzny@acme.pl"  # the contact person has no portal account


@pytest.fixture
def asked(api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks):
    """A request whose contact person has no account, with staff's question open; returns it."""
    request_id = ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email=CONTACT,
        question="Proszę o numer rachunku.",
    )
    return PortalRequest.objects.get(pk=request_id)


def test_the_contact_person_answers_from_the_email_without_logging_in(client, asked, client_user):
    # given: the e-mail to the contact person carries the link; the submitter's e-mails do not
    path = reply_link_path(CONTACT)
    assert not any("/reply/" in m.body for m in mail.outbox if m.to != [CONTACT])

    # when: the link is opened and the answer sent, with no session
    page = client.get(path)
    sent = client.post(path, {"message": "PL61 1090 1014 0000 0712 1981 2874"})

    # then
    assert page.status_code == 200
    assert "Proszę o numer rachunku." in page.content.decode()
    assert sent.status_code == 200
    assert "Dziękujemy" in sent.content.decode()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.IN_REVIEW
    reply = asked.events.get(kind=RequestEvent.Kind.REPLY)
    assert reply.message == "PL61 1090 1014 0000 0712 1981 2874"
    assert reply.data == {"via": "reply_link", "email": CONTACT}
    assert reply.actor is None  # no account of their own: the reply is theirs, named by its address
    assert AuditLog.objects.filter(action="reply_link_used", success=True).count() == 1


def test_the_link_works_once(client, asked):
    path = reply_link_path(CONTACT)
    assert client.post(path, {"message": "Pierwsza odpowiedź"}).status_code == 200

    second = client.post(path, {"message": "Druga odpowiedź"})

    assert second.status_code == 410
    assert asked.events.filter(kind=RequestEvent.Kind.REPLY).count() == 1


def test_an_expired_link_is_refused_and_audited(client, asked):
    # The link works as long as the reply is awaited (the day-30 cancel here), never past 30 days.
    path = reply_link_path(CONTACT)
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        response = client.post(path, {"message": "Za późno"})
    assert response.status_code == 410
    assert "wygasł" in response.content.decode()
    assert AuditLog.objects.filter(action="reply_link_refused", success=False).exists()
    assert not asked.events.filter(kind=RequestEvent.Kind.REPLY).exists()


def test_a_question_answered_in_the_portal_retires_the_link(client, api_as, client_user, asked):
    path = reply_link_path(CONTACT)
    api_as(client_user).post(
        f"/api/requests/{asked.pk}/reply/", {"message": "Już odpowiadam w portalu."}, format="json"
    )

    response = client.get(path)

    assert response.status_code == 410
    assert asked.events.filter(kind=RequestEvent.Kind.REPLY).count() == 1


def test_an_empty_answer_keeps_the_link_usable(client, asked):
    path = reply_link_path(CONTACT)
    empty = client.post(path, {"message": "  "})
    assert empty.status_code == 400
    assert client.post(path, {"message": "Teraz z treścią"}).status_code == 200


@pytest.mark.parametrize("token", ["x", "a" * 200])
def test_unknown_links_are_refused(client, db, token):
    assert client.get(f"/reply/{token}/").status_code == 410


def test_both_histories_name_who_answered_by_link(client, asked, client_user, bok_staff, acme):
    """The submitter's page called the contact person's reply "you", a colleague's page had no name at all,
    and neither said it came through the e-mail's link."""
    colleague = UserFactory(email="kolega@acme.pl")
    MembershipFactory(user=colleague, client=acme)
    client.post(reply_link_path(CONTACT), {"message": "Numer w załączniku."})

    for user in (client_user, colleague):
        client.force_login(user)
        history = client.get(f"/requests/{asked.pk}/").content.decode()
        history = history[history.index('id="request-history"') :]
        reply = history[: history.index("Numer w załączniku.")].rsplit('<li class="timeline-item', 1)[1]
        assert f"{CONTACT} · przez link odpowiedzi z e-maila" in reply
        assert "> · Ty<" not in reply.replace("\n", "")
    client.force_login(bok_staff)
    page = client.get(f"/staff/tasks/{asked.pk}/").content.decode()
    assert f"{CONTACT} · przez link odpowiedzi z e-maila" in page


def test_an_answer_over_the_limit_is_refused_next_to_the_field_with_the_text_kept(client, asked):
    # given: the page says how long an answer may be, and it is what the reply step takes
    path = reply_link_path(CONTACT)
    page = client.get(path).content.decode()
    assert 'maxlength="4000"' in page
    too_long = "Odpowiedź " + "x" * 4490

    # when
    refused = client.post(path, {"message": too_long})

    # then: the field says why, the text is still in it, and the link still works
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'aria-invalid="true"' in body
    assert "Upewnij się, że to pole ma nie więcej niż 4000 znaków." in body.split('id="reply-error"')[1]
    assert too_long in body
    assert client.post(path, {"message": "x" * 4000}).status_code == 200
