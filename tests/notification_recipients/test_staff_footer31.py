"""A staff member's e-mail does not tell them that a reply reaches customer service and that their requests are
quickest in the portal: that footer is the client's. Theirs says it came to them as a member of staff."""

from __future__ import annotations

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

CLIENT_FOOTER = "Odpowiedź na nią trafi do Biura Obsługi Klienta"
STAFF_FOOTER = "do Ciebie jako pracownika leasingodawcy"


def _only_mail_to(address: str):
    sent = [message for message in mail.outbox if message.to == [address]]
    assert len(sent) == 1, [message.to for message in mail.outbox]
    return sent[0]


def test_a_staff_members_e_mail_has_the_staff_footer_in_text_and_html(flow, client_user, bok_staff):
    # given staff asked the client, so they hold the task
    request_id = flow.submit(contact_email=client_user.email)
    flow.ask(request_id)
    mail.outbox.clear()

    # when the client replies, the task comes back to them by e-mail
    flow.reply(request_id)

    # then
    message = _only_mail_to(bok_staff.email)
    html = message.alternatives[0][0]
    assert STAFF_FOOTER in message.body and STAFF_FOOTER in html
    assert CLIENT_FOOTER not in message.body and CLIENT_FOOTER not in html


def test_the_clients_e_mail_keeps_the_customer_service_footer(flow, client_user):
    # given a submitted request
    request_id = flow.submit(contact_email=client_user.email)
    mail.outbox.clear()

    # when staff ask the client a question
    flow.ask(request_id)

    # then the client's e-mail says a reply reaches customer service
    message = _only_mail_to(client_user.email)
    assert CLIENT_FOOTER in message.body and CLIENT_FOOTER in message.alternatives[0][0]
    assert STAFF_FOOTER not in message.body
