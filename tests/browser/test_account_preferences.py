"""Moje konto in the browser: a client turns one kind of e-mail off and sees it saved."""

from __future__ import annotations

import pytest

from notifications.models import NotificationPreference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_turns_stage_change_emails_off_from_the_header_link(page, login, client_user):
    # given
    login(page, client_user)

    # when
    page.get_by_role("link", name="Moje konto").click()
    page.get_by_label("wniosek przeszedł do nowego etapu").uncheck()
    page.get_by_role("button", name="Zapisz ustawienia").click()

    # then
    page.get_by_text("Ustawienia powiadomień zostały zapisane.").wait_for()
    assert page.get_by_label("wniosek przeszedł do nowego etapu").is_checked() is False
    assert page.get_by_label("wniosek czeka na moją odpowiedź").is_checked() is True
    assert NotificationPreference.objects.get(user=client_user).email_stage_changed is False
