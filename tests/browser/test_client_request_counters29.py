"""The client's request texts count their characters as they are typed (_char_counter.html, forms.js), against
the server's own limit: the comment on the request page ("123 / 4000", near the limit in the warning style, over
it in the error style), and the message of an other matter, on a phone as on a desktop."""

from __future__ import annotations

import pytest

from backend.requests_app.inputs import MessageInputSerializer
from backend.requests_app.validation import input_max_lengths
from portal_ui.text_limits import max_length
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_the_comment_counts_its_characters_against_the_servers_limit_on_a_phone(
    page, client_user, open_request
):
    limit = max_length(MessageInputSerializer, "message")
    page.set_viewport_size(PHONE)
    log_in(page, client_user)
    page.goto(f"/requests/{open_request.pk}/")
    page.click("[data-testid=open-comment]")
    field, counter = page.locator("#comment-message"), page.locator("#comment-message-counter")

    assert counter.is_visible() and counter.inner_text() == f"0 / {limit}"
    field.press_sequentially("Ala ma kota")
    assert counter.inner_text() == f"11 / {limit}"
    assert "near" not in counter.get_attribute("class")

    field.fill("x" * (limit - 10))
    assert counter.inner_text() == f"{limit - 10} / {limit}"
    assert "near" in counter.get_attribute("class")

    field.fill("x" * (limit + 5))
    assert counter.inner_text().startswith(f"{limit + 5} / {limit}")
    assert "over" in counter.get_attribute("class")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_message_of_an_other_matter_counts_its_characters(page, client_user, acme):
    limit = input_max_lengths("other_request")["data__message"]
    log_in(page, client_user)
    page.goto("/requests/new/other_request/")
    field, counter = page.locator("#f-data__message"), page.locator("#f-data__message-counter")

    assert counter.inner_text() == f"0 / {limit}"
    field.press_sequentially("Prośba o kopię umowy")
    assert counter.inner_text() == f"20 / {limit}"
    field.fill("x" * (limit - 10))
    assert counter.inner_text() == f"{limit - 10} / {limit}"
    assert "near" in counter.get_attribute("class")
