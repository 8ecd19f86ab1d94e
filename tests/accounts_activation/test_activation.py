from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from backend.accounts.activation_code import issue_activation_code
from backend.core.models import AuditLog, OutboxEvent
from notifications.tasks import create_notifications
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "Zielony-Parasol-2026"


def issue_invoice_event(client_company, *, first: bool) -> None:
    event = OutboxEvent.objects.create(
        kind=OutboxEvent.Kind.INVOICE_ISSUED,
        client=client_company,
        subject_type="invoices.invoice",
        subject_id=1,
        payload={"first_for_client": first, "invoice_id": 1},
    )
    create_notifications.delay(event.pk)


def link_path(message, name: str) -> str:
    match = re.search(r"https?://[^/\s]+(/" + name + r"/[^\s\"<]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_first_invoice_sends_each_user_a_welcome_with_an_activation_link(acme, client_user):
    # given
    colleague = UserFactory(email="ewa@acme.pl", language="en")
    MembershipFactory(user=colleague, client=acme, is_default=True)

    # when
    issue_invoice_event(acme, first=True)

    # then
    assert sorted(message.to[0] for message in mail.outbox) == sorted([client_user.email, colleague.email])
    polish = next(message for message in mail.outbox if message.to == [client_user.email])
    english = next(message for message in mail.outbox if message.to == [colleague.email])
    assert "aktywuj swoje konto" in polish.subject
    assert "activate your account" in english.subject
    assert acme.name in polish.body
    assert "/login/" in polish.body
    assert "/activate/" in polish.alternatives[0].content


def test_second_invoice_sends_nothing(acme, client_user):
    # when
    issue_invoice_event(acme, first=False)

    # then
    assert mail.outbox == []


def test_activation_link_sets_the_password_once(client, acme, client_user):
    # given
    issue_invoice_event(acme, first=True)
    path = link_path(mail.outbox[0], "activate")
    code = issue_activation_code(client_user)  # the second channel: handed over by a person

    # when: a weak password is refused by the validators, a good one is set
    form_url = client.get(path)["Location"]
    weak = client.post(
        form_url, {"new_password1": "12345", "new_password2": "12345", "activation_code": code}
    )
    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "activation_code": code}
    )

    # then
    assert weak.status_code == 200
    assert 'aria-invalid="true"' in weak.content.decode()
    assert done.status_code == 302
    client_user.refresh_from_db()
    assert client_user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(client_user.pk)
    assert AuditLog.objects.filter(action="account_activated", user=client_user).exists()

    # when: the link is used again
    client.logout()
    again = client.get(path)

    # then
    assert again.status_code == 200
    body = again.content.decode()
    assert 'id="link-invalid"' in body
    assert reverse("password_reset") in body
    assert AuditLog.objects.filter(action="activation_link_invalid", success=False).exists()


def test_activation_link_expires_after_seven_days(client, acme, client_user):
    # given
    issue_invoice_event(acme, first=True)
    path = link_path(mail.outbox[0], "activate")

    # when
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        on_day_six = client.get(path)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        on_day_eight = client.get(path)

    # then
    assert on_day_six.status_code == 302
    assert on_day_eight.status_code == 200
    assert 'id="link-invalid"' in on_day_eight.content.decode()


def test_forgot_password_sends_a_reset_link_that_sets_a_new_password(
    client, client_user, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": client_user.email.upper()})

    # then
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    path = link_path(mail.outbox[0], "password-reset")
    form_url = client.get(path)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client_user.refresh_from_db()
    assert client_user.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(action="password_reset", user=client_user).exists()


def test_forgot_password_for_an_unknown_address_reveals_nothing(client, db):
    # when
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.pl"})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_sent")
    assert mail.outbox == []


def test_issuing_invoices_welcomes_the_client_after_the_first_only(
    acme, client_user, django_capture_on_commit_callbacks
):
    from datetime import date
    from decimal import Decimal

    from backend.invoices.services import InvoiceLineInput, issue_invoice

    # given
    lines = [InvoiceLineInput(description="Rata leasingowa 1/36", unit_net=Decimal("1000.00"))]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        issue_invoice(client=acme, lines=lines, issue_date=date(2026, 11, 2), due_date=date(2026, 11, 16))
    after_first = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        issue_invoice(client=acme, lines=lines, issue_date=date(2026, 12, 2), due_date=date(2026, 12, 16))

    # then
    assert after_first == 1
    assert len(mail.outbox) == 1
    assert "/activate/" in mail.outbox[0].body
