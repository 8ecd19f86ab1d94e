"""E-mails in the recipient's language, nothing left in the other one: every e-mail template rendered in
English and in Polish (for a request and a complaint), and the e-mails a real request sends (submitted,
a staff question, the decision) to a client working in English and to one working in Polish."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from notifications.texts import request_words
from tests.i18n35.crawl import data_strings
from tests.i18n35.leftovers import english_on_a_polish_page, polish_on_an_english_page, visible_lines
from tests.notification_recipients.conftest import committed, flow  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["en", "pl"]


def email_templates() -> list[str]:
    paths = [*ROOT.glob("notifications/templates/*/email/*"), *ROOT.glob("backend/*/templates/*/email/*")]
    return sorted(str(path).split("/templates/", 1)[1] for path in paths)


def leftovers(lines: list[str], language: str, data: list[str]) -> list[str]:
    return (
        polish_on_an_english_page(lines, data) if language == "en" else english_on_a_polish_page(lines, data)
    )


def text_lines(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.strip()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_template_is_in_one_language(language):
    names = email_templates()
    assert len(names) > 40
    data = ["Portal Klienta", "ACME"]
    found = {}
    for name in names:
        for kind in (None, "complaint"):
            with translation.override(language):
                context = {**request_words(kind), "number": "WN/2026/000001", "client_name": "ACME"}
                body = render_to_string(name, context)
            lines = visible_lines(body) if name.endswith(".html") else text_lines(body)
            if bad := leftovers(lines, language, data):
                found[f"{name} ({kind or 'request'})"] = bad

    assert found == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_requests_emails_are_in_the_clients_language(flow, client_user, language):  # noqa: F811
    client_user.language = language
    client_user.save(update_fields=["language"])
    mail.outbox.clear()
    request_id = flow.submit(contact_email=client_user.email)
    flow.ask(request_id)
    flow.reply(request_id)
    flow.approve(request_id)
    to_client = [m for m in mail.outbox if client_user.email in m.to]
    assert len(to_client) >= 2  # the question and the decision at least
    data = data_strings()

    found = {
        m.subject: bad
        for m in to_client
        if (
            bad := leftovers(
                [m.subject, *text_lines(m.body), *visible_lines(m.alternatives[0][0])], language, data
            )
        )
    }

    assert found == {}
