"""The client's request texts with a server limit show their character counter (_char_counter.html): the
comment and the reply on the request page, the message of an other matter and of a complaint, the answer
by the e-mail's reply link. The limit is the server's own, read from the serializer that refuses it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from backend.requests_app.inputs import MessageInputSerializer, ReplyInputSerializer
from backend.requests_app.validation import input_max_lengths
from portal_ui.text_limits import max_length
from tests.logged_in_clients import browsing_as
from tests.reply_link.helpers import ask_with_contact, reply_link_path

pytestmark = pytest.mark.django_db


def counted_textarea(html: str, field_id: str) -> tuple[str, str]:
    """The textarea `field_id`'s tag and its counter's text (the limit said once, before the script)."""
    tag = re.search(rf'<textarea id="{re.escape(field_id)}"[^>]*>', html)
    assert tag, f"no textarea #{field_id}"
    counter = re.search(
        rf'<span class="char-counter" id="{re.escape(field_id)}-counter"[^>]*>([^<]*)</span>', html
    )
    assert counter, f"no counter of #{field_id}"
    return tag.group(0), counter.group(1)


def assert_counted(html: str, field_id: str, limit: int) -> None:
    tag, said = counted_textarea(html, field_id)
    assert f'data-counter="{limit}"' in tag
    assert re.search(rf'aria-describedby="[^"]*\b{re.escape(field_id)}-counter\b', tag)
    assert said == f"Najwyżej {limit} znaków."


def test_the_request_page_counts_the_comment_and_the_reply_against_the_servers_limit(
    client_user, open_request
):
    html = browsing_as(client_user).get(f"/requests/{open_request.pk}/").content.decode()

    assert_counted(html, "comment-message", max_length(MessageInputSerializer, "message"))
    assert_counted(html, "reply-message", max_length(ReplyInputSerializer, "message"))


def test_a_refused_comment_keeps_its_counter_beside_its_error(client_user, open_request):
    page = browsing_as(client_user)
    limit = max_length(MessageInputSerializer, "message")

    refused = page.post(f"/requests/{open_request.pk}/comment/", {"message": "x" * (limit + 1)})

    assert refused.status_code == 400
    tag, _said = counted_textarea(refused.content.decode(), "comment-message")
    assert 'aria-describedby="comment-message-counter err-comment-message"' in tag
    assert 'aria-invalid="true"' in tag


@pytest.mark.parametrize("kind", ["other_request", "complaint"])
def test_the_message_of_an_other_matter_and_of_a_complaint_is_counted(client_user, acme_contract, kind):
    html = browsing_as(client_user).get(f"/requests/new/{kind}/").content.decode()

    assert_counted(html, "f-data__message", input_max_lengths(kind)["data__message"])


def test_the_answer_by_the_reply_link_is_counted(
    api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email="kierowca@acme.pl",
        question="Proszę o numer rachunku.",
    )

    html = Client().get(reply_link_path("kierowca@acme.pl")).content.decode()

    assert_counted(html, "reply-message", max_length(MessageInputSerializer, "message"))
