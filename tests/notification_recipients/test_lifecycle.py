"""How many e-mails each person gets for one request: submit → ask → reply → approve through the API."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.core.models import OutboxEvent
from notifications import services, tasks
from notifications.models import Delivery, Notice
from tests.notification_recipients.conftest import mails_per_recipient, subjects_of

pytestmark = pytest.mark.django_db

Kind = OutboxEvent.Kind


def test_lifecycle_mails_the_submitter_and_the_contact_user_only(
    flow, client_user, contact_user, bystanders, bok_staff
):
    # when: Anna submits naming Marek as the contact person, staff ask, Anna replies, staff approve
    request_id = flow.lifecycle(contact_email=contact_user.email)

    # then: Anna hears what she did not do herself (the question, the decision); Marek hears every step
    assert mails_per_recipient() == {
        client_user.email: 2,
        contact_user.email: 4,
        bok_staff.email: 1,  # the reply brought the task back to the staff member who asked
    }
    assert [s.split(": ", 1)[1] for s in subjects_of(client_user.email)] == [
        "czekamy na Twoją odpowiedź",
        "zatwierdzony",
    ]
    # (a stage change's subject names the stage after "nowy etap: ")
    assert [s.split(": ")[1] for s in subjects_of(contact_user.email)] == [
        "nowy etap",
        "czekamy na Twoją odpowiedź",
        "nowy etap",
        "zatwierdzony",
    ]
    # the other three users see the request in the portal: its notices, no e-mail
    for user in bystanders:
        assert Notice.objects.filter(recipient=user, subject_id=request_id).count() == 4
        assert subjects_of(user.email) == []


def test_contact_person_without_an_account_gets_only_the_waiting_for_reply_mail(
    flow, client_user, contact_user, bystanders, bok_staff
):
    # when
    flow.lifecycle(contact_email="Kontakt@Zewnetrzna-Ksiegowosc.pl")

    # then
    assert mails_per_recipient() == {
        client_user.email: 2,
        "kontakt@zewnetrzna-ksiegowosc.pl": 1,
        bok_staff.email: 1,
    }
    (contact_mail,) = [m for m in mail.outbox if m.to == ["kontakt@zewnetrzna-ksiegowosc.pl"]]
    assert "czekamy na Twoją odpowiedź" in contact_mail.subject
    assert "ACME Logistyka" in contact_mail.body
    assert "/requests/" not in contact_mail.body  # no link: the address has no account to open it with
    assert Delivery.objects.filter(recipient__isnull=True).count() == 1


def test_decision_sends_one_mail_not_also_the_new_stage(flow, client_user, contact_user):
    # given
    request_id = flow.submit(contact_email=contact_user.email)
    mail.outbox.clear()

    # when
    flow.approve(request_id)

    # then
    assert mails_per_recipient() == {client_user.email: 1, contact_user.email: 1}
    assert all(message.subject.endswith(": zatwierdzony") for message in mail.outbox)
    assert "zatwierdzony" in mail.outbox[0].body


def test_own_withdrawal_mails_the_withdrawer_nothing(flow, client_user, contact_user, bystanders):
    # given
    request_id = flow.submit(contact_email=contact_user.email)
    mail.outbox.clear()

    # when: Anna withdraws her own request
    flow.cancel(request_id)

    # then: only Marek, the contact person, is told (e-mail and notice); Anna gets no notice of her own act
    assert mails_per_recipient() == {contact_user.email: 1}
    cancelled = Notice.objects.filter(kind=Kind.REQUEST_STAGE_CHANGED, payload__status="cancelled")
    assert not cancelled.filter(recipient=client_user).exists()
    assert cancelled.filter(recipient=contact_user).exists()


def test_withdrawal_by_the_contact_user_mails_the_submitter_only(flow, client_user, contact_user):
    # given
    request_id = flow.submit(contact_email=contact_user.email)
    mail.outbox.clear()

    # when
    flow.cancel(request_id, user=contact_user)

    # then
    assert mails_per_recipient() == {client_user.email: 1}


def test_a_kind_switched_off_sends_no_mail_but_the_notice_still_comes(flow, client_user, contact_user):
    # given
    services.set_notification_preferences(user=contact_user, email_waiting_for_client=False)
    request_id = flow.submit(contact_email=contact_user.email)
    mail.outbox.clear()

    # when
    flow.ask(request_id)

    # then
    assert mails_per_recipient() == {client_user.email: 1}
    assert Notice.objects.filter(recipient=contact_user, kind=Kind.REQUEST_WAITING_FOR_CLIENT).count() == 1


def test_redelivered_tasks_send_nothing_twice(flow, client_user, contact_user, bok_staff):
    # given
    flow.lifecycle(contact_email=contact_user.email)
    sent = mails_per_recipient()
    notices = Notice.objects.count()

    # when: the broker hands out every notification and e-mail task of the lifecycle again
    event_ids = list(OutboxEvent.objects.values_list("id", flat=True))
    tasks.create_notifications_for_events.delay(event_ids)
    for delivery_id in Delivery.objects.values_list("id", flat=True):
        tasks.send_delivery.delay(delivery_id)
    tasks.relay_outbox.delay()

    # then
    assert mails_per_recipient() == sent
    assert sum(sent.values()) == Delivery.objects.filter(status=Delivery.Status.SENT).count() == 7
    assert Notice.objects.count() == notices
