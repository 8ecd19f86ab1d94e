"""The bank's hand-off never replaces the session of another user silently: the browser's user is asked on the
portal's own page (CSRF-checked), may stay logged in, and the assertion stays server-side, used once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backend.core.models import AuditLog
from backend.sso.pending import PENDING_COOKIE
from backend.sso.services import link_bank_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_user(client_user):
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    return client_user


@pytest.fixture
def browser() -> Client:
    """A browser whose forms must carry their CSRF token, as a real one's."""
    return Client(enforce_csrf_checks=True)


def logged_in_user_id(browser: Client) -> str | None:
    return browser.session.get("_auth_user_id")


def bank_posts(browser: Client, token: str):
    """The bank's cross-site form post, then the browser following the portal's redirect."""
    handed = browser.post(reverse("sso_bank"), {"assertion": token})
    assert handed.status_code == 303, handed.content
    assert handed["Location"] == reverse("sso_bank_continue")
    return browser.get(handed["Location"])


def csrf_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.parametrize("who", ["other_client_user", "bok_staff"])
def test_a_browser_logged_in_as_someone_else_is_asked_first(
    browser, linked_user, acme_contract, sign, request, who
):
    # given: the browser is logged in as another client user, or as staff
    current = request.getfixturevalue(who)
    browser.force_login(current)
    token = sign(contract=acme_contract.number)

    # when: the bank hands its customer over
    page = bank_posts(browser, token)

    # then: a question on the portal's page, nobody switched, the assertion not in the page
    assert page.status_code == 200
    body = page.content.decode()
    assert current.email in body and linked_user.email in body
    assert 'id="sso-continue"' in body and 'id="sso-cancel"' in body
    assert token not in body
    assert logged_in_user_id(browser) == str(current.pk)
    assert not AuditLog.objects.filter(action="sso_handoff").exists()


def test_continue_switches_to_the_banks_customer_and_opens_the_contract(
    browser, linked_user, other_client_user, acme_contract, sign
):
    # given
    browser.force_login(other_client_user)
    page = bank_posts(browser, sign(contract=acme_contract.number))

    # when
    response = browser.post(
        reverse("sso_bank_continue"), {"action": "continue", "csrfmiddlewaretoken": csrf_token(page)}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("contract-page", args=[acme_contract.pk])
    assert logged_in_user_id(browser) == str(linked_user.pk)
    assert AuditLog.objects.filter(action="sso_handoff", user=linked_user).exists()
    # used once: the same hand-off cannot log in again
    assert browser.get(reverse("sso_bank_continue")).status_code == 403


def test_stay_keeps_the_current_session_and_drops_the_handoff(
    browser, linked_user, other_client_user, acme_contract, sign
):
    # given
    browser.force_login(other_client_user)
    page = bank_posts(browser, sign(contract=acme_contract.number))

    # when
    response = browser.post(
        reverse("sso_bank_continue"), {"action": "cancel", "csrfmiddlewaretoken": csrf_token(page)}
    )

    # then
    assert response.status_code == 302
    assert logged_in_user_id(browser) == str(other_client_user.pk)
    assert AuditLog.objects.filter(action="sso_handoff_declined", user=other_client_user).exists()
    assert browser.get(reverse("sso_bank_continue")).status_code == 403
    assert logged_in_user_id(browser) == str(other_client_user.pk)


def test_another_site_cannot_press_continue(browser, linked_user, other_client_user, acme_contract, sign):
    # given: the question is on screen
    browser.force_login(other_client_user)
    bank_posts(browser, sign(contract=acme_contract.number))

    # when: a cross-site form posts "continue" without the page's token
    response = browser.post(reverse("sso_bank_continue"), {"action": "continue"})

    # then
    assert response.status_code == 403
    assert logged_in_user_id(browser) == str(other_client_user.pk)


def test_nobody_or_the_same_user_logged_in_goes_straight_to_the_contract(
    browser, linked_user, acme_contract, sign
):
    # nobody logged in: one click in the bank, as before
    first = bank_posts(browser, sign(contract=acme_contract.number))
    assert first.status_code == 302
    assert first["Location"] == reverse("contract-page", args=[acme_contract.pk])
    assert logged_in_user_id(browser) == str(linked_user.pk)

    # the same user again: no question either
    again = bank_posts(browser, sign(contract=acme_contract.number))
    assert again.status_code == 302
    assert logged_in_user_id(browser) == str(linked_user.pk)


def test_the_kept_handoff_is_server_side_and_lives_two_minutes(
    browser, linked_user, other_client_user, acme_contract, sign
):
    # given
    browser.force_login(other_client_user)
    handed = browser.post(reverse("sso_bank"), {"assertion": sign(contract=acme_contract.number)})
    cookie = handed.cookies[PENDING_COOKIE]
    assert cookie["httponly"] and cookie["path"] == reverse("sso_bank") and cookie["samesite"] == "Lax"
    assert "." not in cookie.value  # a random key, not the signed assertion

    # when: the question is answered too late
    with time_machine.travel(timezone.now() + timedelta(seconds=130)):
        late = browser.get(reverse("sso_bank_continue"))

    # then
    assert late.status_code == 403
    assert 'data-reason="expired"' in late.content.decode()
    assert logged_in_user_id(browser) == str(other_client_user.pk)
