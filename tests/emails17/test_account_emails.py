"""#4, #5, #8, #9: a fresh activation link for an account not activated yet, the "password changed"
notice, customer service's number and headers in every e-mail, the button as the main action."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from backend.accounts.activation_code import issue_activation_code
from backend.accounts.second_factor_reset import reset_client_second_factor
from tests.emails17.conftest import html_of, mails_to
from tests.factories import MembershipFactory, UserFactory
from tests.hardening_low.test_reset_links import ask_for_reset, path_of
from tests.second_factor_helpers import enrol

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_PASSWORD = "Zielony-Parasol-2026"
BUTTON = "background:#ff6200"


def test_a_user_not_activated_yet_gets_a_fresh_activation_link_from_the_forgotten_password_form(
    client, acme, django_capture_on_commit_callbacks
):
    # given: invited, never activated (no password), the first link expired long ago
    user = UserFactory(email="nowy@acme.pl", password=None)
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, client=acme)
    issue_activation_code(user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password_reset"), {"email": "nowy@acme.pl"})
        unknown = client.post(reverse("password_reset"), {"email": "nikt@acme.pl"})

    # then: the same answer for both addresses; the activation e-mail with a working link
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    (message,) = mail.outbox
    assert message.to == ["nowy@acme.pl"] and message.subject == "Aktywuj konto w Portalu Klienta"
    link = re.search(r"https?://\S+/activate/\S+/", message.body).group(0)
    assert link in html_of(message)
    assert client.get(path_of(link)).status_code == 302  # valid: on to the form


def test_a_password_reset_by_link_is_told_once_with_the_time_and_the_number(
    client, client_user, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 12, 1, 9, 15, tzinfo=WARSAW), tick=False):
        # given
        path = ask_for_reset(client, client_user, django_capture_on_commit_callbacks)
        form_path = client.get(path)["Location"]
        mail.outbox.clear()

        # when
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # then
    assert done.status_code == 302
    (notice,) = mail.outbox
    assert notice.to == [client_user.email]
    assert notice.subject == "Hasło do Twojego konta w Portalu Klienta zostało zmienione"
    for text in (notice.body, html_of(notice)):
        assert "Dnia 01.12.2026 09:15 zmieniono hasło" in text
        assert "800 123 456" in text


def test_a_password_changed_on_the_account_page_is_told_once(
    client, client_user, password, django_capture_on_commit_callbacks
):
    # given
    client.force_login(client_user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(
            reverse("password_change"),
            {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

    # then
    assert changed.status_code == 302
    (notice,) = mail.outbox
    assert notice.subject == "Hasło do Twojego konta w Portalu Klienta zostało zmienione"


def test_security_emails_give_the_number_and_every_email_is_auto_submitted_with_reply_to(
    client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given
    enrol(client_user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        reset_client_second_factor(
            staff=bok_staff, user_id=client_user.pk, reason="Zgubiony telefon", identity_checked=True
        )

    # then
    (message,) = mails_to(client_user.email)
    assert "natychmiast zadzwoń do naszego Biura Obsługi Klienta: 800 123 456." in message.body
    assert "800 123 456" in html_of(message)
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.reply_to == ["bok@leasing.example"]
    assert "Auto-Submitted: auto-generated" in message.message().as_string()


def test_an_email_a_preference_switches_off_links_to_the_preferences(flow, client_user, contact_user):
    # when: Marek gets the stage change of Anna's request (switchable: email_stage_changed)
    flow.submit(contact_email=contact_user.email)

    # then
    (message,) = mails_to(contact_user.email)
    assert "ustawieniach powiadomień: http://" in message.body
    assert "/account/#notification-preferences" in message.body
    assert re.search(r'<a href="http[^"]+/account/#notification-preferences">', html_of(message))


def test_the_activation_email_uses_the_button(client, acme, bok_staff, django_capture_on_commit_callbacks):
    # given
    from backend.accounts.activation_code import start_activation

    user = UserFactory(email="aktywacja@acme.pl", password=None)
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, client=acme)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        start_activation(user, issued_by=bok_staff)

    # then
    (message,) = mails_to(user.email)
    html = html_of(message)
    assert re.search(rf'<a href="http[^"]+/activate/[^"]+" style="[^"]*{BUTTON}', html), html
