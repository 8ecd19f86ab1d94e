"""The reply link's page speaks the language its e-mail was written in: the recipient's saved one, unless
the visitor chose another with the PL/EN switch. It is opened in a browser that has never seen the portal.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.reply_link.helpers import ask_with_contact, reply_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked_in_english(api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks):
    """A request whose contact person is its English-speaking submitter, with staff's question open."""
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email=client_user.email,
        question="Which account?",
    )
    return reply_link_path(client_user.email)


def test_an_english_recipient_reads_the_reply_page_in_english_in_a_fresh_browser(client, asked_in_english):
    page = client.get(asked_in_english)

    body = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "en"
    assert "Your answer" in body and "Send the answer" in body
    assert "Twoja odpowiedź" not in body
    # and the thank-you page after sending too
    sent = client.post(asked_in_english, {"message": "PL61 1090 1014 0000 0712 1981 2874"})
    assert sent.status_code == 200
    assert "Thank you, your answer has been sent" in sent.content.decode()


def test_a_used_link_is_refused_in_the_recipients_language(client, asked_in_english):
    client.post(asked_in_english, {"message": "First answer"})

    refused = client.get(asked_in_english)

    assert refused.status_code == 410
    assert "This link has already been used to send a reply." in refused.content.decode()


def test_the_visitors_own_choice_of_language_wins(client, asked_in_english):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    page = client.get(asked_in_english)

    assert page["Content-Language"] == "pl"
    assert "Twoja odpowiedź" in page.content.decode()
