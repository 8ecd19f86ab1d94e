"""An auto-cancel is an end the client must hear of: its own e-mail (what happened, since when no answer,
how to submit again), switched with the decisions, not with the stage changes; the outside contact person
asked the question hears of it too."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.requests_app.timers import sweep_due_timers
from notifications.models import NotificationPreference
from tests.reply_link.helpers import ask_with_contact

pytestmark = pytest.mark.django_db

CONTACT = "jan.zewnetrzny@example.com"


def test_the_auto_cancel_has_its_own_e_mail_even_with_stage_change_e_mails_off(
    api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    # given a client who switched stage-change e-mails off, and a request asked about with an outside contact
    prefs, _ = NotificationPreference.objects.get_or_create(user=client_user)
    prefs.email_stage_changed = False
    prefs.save()
    asked_on = timezone.localdate()
    request_id = ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email=CONTACT,
        question="Proszę o numer rachunku.",
    )
    number = api_as(client_user).get(f"/api/requests/{request_id}/").json()["number"]

    # when 30 days pass without a reply
    later = timezone.now() + timedelta(days=30, minutes=1)
    with time_machine.travel(later, tick=False):
        cancelled_on = timezone.localdate()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sweep_due_timers()
            sweep_due_timers()

    # then the client is told what happened, since when, and how to submit again
    (told,) = [m for m in mail.outbox if m.to == [client_user.email] and "anulowany" in m.subject]
    assert told.subject.startswith(f"Wniosek {number}")
    assert "brak odpowiedzi na nasze pytanie" in told.subject
    body = " ".join(told.body.split())
    assert f"anulowany {cancelled_on:%d.%m.%Y}: na nasze pytanie z {asked_on:%d.%m.%Y}" in body
    assert f"/requests/new/?kind=payment_date_change&contract={acme_contract.pk}" in body
    assert "przeszedł do etapu" not in body
    # and the outside contact too, without a portal link
    (contact_mail,) = [m for m in mail.outbox if m.to == [CONTACT]]
    assert "Jesteś osobą kontaktową" in contact_mail.body
    assert "/requests/" not in contact_mail.body
