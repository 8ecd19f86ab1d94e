"""The e-mails about a request name its company for a user of several; the reply page names the request's."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client as PageClient

from backend.clients.models import ClientMembership
from tests.factories import MembershipFactory
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<]+(/reply/[\w-]+/)")


def ask(api_as, staff, portal_request, capture) -> None:
    mail.outbox.clear()
    with capture(execute=True):
        answer = api_as(staff).post(
            f"/api/staff/requests/{portal_request.pk}/ask-client/",
            {"question": "Proszę o numer rachunku."},
            format="json",
        )
    assert answer.status_code == 200, answer.json()


def question_email(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message


@pytest.fixture
def partner(client_user, other_company):
    """Anna acts for acme (her default) and for the other company too."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


def test_the_question_e_mail_names_the_company_and_the_reply_page_shows_it(
    api_as, partner, acme, other_company, bok_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portal_request = submit_other_request(partner, other_company)
    ask(api_as, bok_staff, portal_request, django_capture_on_commit_callbacks)

    # then: the e-mail says whose request it is, in both parts
    message = question_email(partner)
    assert f"Firma: {other_company.name}" in message.body
    assert f"Firma: {other_company.name}" in message.alternatives[0][0]

    # and the reply page opened in her browser (acme active) shows the request's company
    browser = PageClient()
    browser.force_login(partner)
    page = browser.get(LINK.search(message.body).group(1))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="reply-company"' in body
    assert f"Firma: {other_company.name}" in body
    assert f"Pytanie dotyczy wniosku firmy {other_company.name}" in body


def test_a_user_of_one_company_gets_the_e_mail_as_before(
    api_as, client_user, acme, bok_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portal_request = submit_other_request(client_user, acme)
    ask(api_as, bok_staff, portal_request, django_capture_on_commit_callbacks)

    assert "Firma:" not in question_email(client_user).body


def test_a_suspended_second_membership_does_not_count(
    api_as, partner, other_company, acme, bok_staff, django_capture_on_commit_callbacks
):
    ClientMembership.objects.filter(user=partner, client=other_company).update(
        status=ClientMembership.Status.SUSPENDED
    )
    with django_capture_on_commit_callbacks(execute=True):
        portal_request = submit_other_request(partner, acme)
    ask(api_as, bok_staff, portal_request, django_capture_on_commit_callbacks)

    assert "Firma:" not in question_email(partner).body
