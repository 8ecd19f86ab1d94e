"""The forgot-password form: at most 5 e-mails per account and 20 posts per IP address an hour.

Over a limit the visitor sees the same neutral confirmation (nothing tells whether the account exists),
no e-mail is sent and the refusal is audited. The counts live in the database (the audit log), so every
web process sees the same numbers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from backend.core.models import AuditLog

pytestmark = pytest.mark.django_db


def ask(client, email: str, capture, ip: str = "203.0.113.7"):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_the_sixth_request_for_an_account_within_the_hour_sends_nothing(
    client, client_user, django_capture_on_commit_callbacks
):
    # given: five requests from five addresses, each sent
    for number in range(5):
        response = ask(
            client, client_user.email, django_capture_on_commit_callbacks, ip=f"198.51.100.{number}"
        )
        assert response["Location"] == reverse("password_reset_sent")
    assert len(mail.outbox) == 5

    # when: a sixth, from yet another address and in other letter case
    cache.clear()  # nothing in a per-process cache carries the count
    sixth = ask(client, client_user.email.upper(), django_capture_on_commit_callbacks, ip="198.51.100.99")

    # then: the same neutral answer, no e-mail, an audit row
    assert sixth.status_code == 302
    assert sixth["Location"] == reverse("password_reset_sent")
    assert len(mail.outbox) == 5
    throttled = AuditLog.objects.get(action="password_reset_throttled")
    assert throttled.detail == {"limit": "account"}
    assert throttled.success is False
    assert throttled.ip_address == "198.51.100.99"

    # when: an hour later
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        later = ask(client, client_user.email, django_capture_on_commit_callbacks)

    # then
    assert later["Location"] == reverse("password_reset_sent")
    assert len(mail.outbox) == 6


def test_an_unknown_address_over_the_limit_gets_the_same_answer(
    client, db, django_capture_on_commit_callbacks
):
    # when
    answers = [
        ask(client, "nobody@nowhere.pl", django_capture_on_commit_callbacks, ip=f"198.51.100.{n}")
        for n in range(7)
    ]

    # then
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_sent"))}
    assert mail.outbox == []
    assert AuditLog.objects.filter(action="password_reset_throttled").count() == 2
    assert client.get(reverse("password_reset_sent")).status_code == 200


def test_one_ip_address_may_post_the_form_twenty_times_an_hour(
    client, client_user, django_capture_on_commit_callbacks
):
    # given: twenty posts from one address for twenty different (unknown) accounts
    for number in range(20):
        ask(client, f"nobody{number}@nowhere.pl", django_capture_on_commit_callbacks, ip="203.0.113.7")

    # when: the 21st asks for a real account from that address, and another address asks too
    blocked = ask(client, client_user.email, django_capture_on_commit_callbacks, ip="203.0.113.7")
    elsewhere = ask(client, client_user.email, django_capture_on_commit_callbacks, ip="203.0.113.8")

    # then
    assert blocked["Location"] == elsewhere["Location"] == reverse("password_reset_sent")
    assert len(mail.outbox) == 1  # only the other address's request was sent
    throttled = AuditLog.objects.get(action="password_reset_throttled")
    assert throttled.detail == {"limit": "ip"}
    assert throttled.ip_address == "203.0.113.7"


def test_the_ip_is_the_client_behind_a_trusted_proxy(
    client, client_user, settings, django_capture_on_commit_callbacks
):
    # given: the portal behind a trusted proxy; twenty posts from one client address through it
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for number in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("password_reset"),
                {"email": f"nobody{number}@nowhere.pl"},
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR="203.0.113.7",
            )

    # when: another client address comes through the same proxy
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_reset"),
            {"email": client_user.email},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.8",
        )

    # then: it is not limited by the first client's posts
    assert len(mail.outbox) == 1
    assert not AuditLog.objects.filter(action="password_reset_throttled").exists()
