"""A colleague named as a request's contact person is not told it is their request: the "we are waiting
for your reply" e-mail, its day-14 reminder and customer service's comment name whose request it is, as
the stage-change and decision e-mails do; the submitter's e-mails read as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.requests_app.models import PortalRequest
from backend.requests_app.timers import sweep_due_timers
from tests.emails17.conftest import html_of, mails_to

pytestmark = pytest.mark.django_db


def _named(number: str) -> str:
    return f"Wskazano Cię jako osobę kontaktową we wniosku {number}, złożonym przez: Anna Kowalska."


def _one_mail(address: str):
    (message,) = mails_to(address)
    return message


def _both_parts(message) -> list[str]:
    return [message.body, html_of(message)]


def test_the_contact_person_is_told_whose_request_waits_is_reminded_and_commented_on(
    flow, committed, api_as, bok_staff, client_user, contact_user, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given Anna's request naming her colleague Marek as its contact person
        request_id = flow.submit(contact_email=contact_user.email)
        number = PortalRequest.objects.get(pk=request_id).number
        mail.outbox.clear()

        # when staff ask a question
        flow.ask(request_id)

        # then Marek reads whose request it is, Anna reads hers as before (text and HTML)
        for part in _both_parts(_one_mail(contact_user.email)):
            assert _named(number) in part
            assert "Aby kontynuować jego realizację, potrzebujemy od Ciebie dodatkowych informacji." in part
        for part in _both_parts(_one_mail(client_user.email)):
            assert f"Aby kontynuować realizację wniosku {number}, potrzebujemy od Ciebie" in part
            assert "osobę kontaktową" not in part

        # when 14 days pass without a reply (the day-14 reminder)
        mail.outbox.clear()
        traveller.shift(timedelta(days=14, seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1

        # then
        for part in _both_parts(_one_mail(contact_user.email)):
            assert _named(number) in part
            assert f"Nadal czekamy na Twoją odpowiedź w sprawie wniosku {number}." in part
        for part in _both_parts(_one_mail(client_user.email)):
            assert f"Nadal czekamy na Twoją odpowiedź w sprawie wniosku {number}." in part
            assert "osobę kontaktową" not in part

        # when customer service write on the request
        mail.outbox.clear()
        committed(
            lambda: api_as(bok_staff).post(
                f"/api/staff/requests/{request_id}/comments/", {"message": "Sprawdzamy."}, format="json"
            )
        )

        # then
        for part in _both_parts(_one_mail(contact_user.email)):
            assert _named(number) in part
            assert "Biuro Obsługi Klienta dopisało do niego informację." in part
            assert "Twojego wniosku" not in part
        for part in _both_parts(_one_mail(client_user.email)):
            assert f"Biuro Obsługi Klienta dopisało informację do Twojego wniosku {number}." in part
            assert "osobę kontaktową" not in part
