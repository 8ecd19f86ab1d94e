"""Moje konto: the preferences form saves through set_notification_preferences."""

from __future__ import annotations

import pytest

from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db


def test_client_switches_a_kind_off_on_the_account_page(client, client_user):
    # given
    client.force_login(client_user)
    page = client.get("/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Moje konto" in html
    assert 'name="email_stage_changed"' in html
    assert 'name="daily_digest"' not in html  # staff-only choices are not offered to clients

    # when: everything stays on except the stage changes
    response = client.post(
        "/account/",
        {
            "email_waiting_for_client": "on",
            "email_decided": "on",
            "email_message_answered": "on",
            "email_reminder": "on",
        },
    )

    # then
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=client_user)
    assert preference.email_stage_changed is False
    assert preference.email_decided is True
    assert preference.daily_digest is False  # untouched: not on the client's form
    assert "Ustawienia powiadomień zostały zapisane." in client.get("/account/").content.decode()


def test_staff_choose_the_daily_digest_on_the_account_page(client, bok_staff):
    # given
    client.force_login(bok_staff)
    html = client.get("/account/").content.decode()
    assert 'name="daily_digest"' in html
    assert 'name="email_stage_changed"' not in html

    # when
    client.post("/account/", {"email_task_assigned": "on", "daily_digest": "on"})

    # then
    preference = NotificationPreference.objects.get(user=bok_staff)
    assert (preference.email_task_assigned, preference.email_new_message, preference.daily_digest) == (
        True,
        False,
        True,
    )


def test_account_page_needs_a_login(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
