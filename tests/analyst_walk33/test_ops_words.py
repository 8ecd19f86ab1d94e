"""The repair pages in the words of the analyst's other pages: a request's cancel button (ops/instance.html)
names the request the next page cancels ("Cancel request WN/…?"), not an "instance"; and "Move the token",
the one action without a sentence, says what it does, as Retry, Suspend and Cancel do; the console's
empty list of suspended requests says "requests" too."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.logged_in_clients import browsing_as
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "cancel", "moves"),
    [
        ("pl", "Anuluj wniosek…", "Cofa wniosek do zadania wybranego poniżej"),
        ("en", "Cancel the request…", "Moves the request back to the task chosen below"),
    ],
)
def test_the_repair_page_cancels_a_request_and_says_what_moving_does(
    analyst, client_user, acme, language, cancel, moves
):
    instance = submit_request(client_user, acme).process_instance
    analyst.language = language
    analyst.save(update_fields=["language"])

    with translation.override(language):
        page = browsing_as(analyst).get(f"/ops/instances/{instance.pk}/").content.decode()

    cancelling = page.split('data-testid="ops-cancel"', 1)[1].split("</div>", 1)[0]
    assert cancel in cancelling
    assert "nstanc" not in re.sub(r"<[^>]+>", "", cancelling)  # no "instance", "instancję" in its words
    moving = page.split('data-testid="ops-move-token"', 1)[1].split("</form>", 1)[0]
    assert moves in moving


@pytest.mark.parametrize(
    ("language", "empty"), [("pl", "Brak wstrzymanych wniosków."), ("en", "No suspended requests.")]
)
def test_the_console_says_no_request_is_suspended_in_its_columns_word(analyst, language, empty):
    analyst.language = language
    analyst.save(update_fields=["language"])

    with translation.override(language):
        page = browsing_as(analyst).get("/ops/").content.decode()

    # the suspended table's column is "Request": its empty state speaks of requests, not instances
    assert empty in page
    assert "nstanc" not in re.sub(r"<[^>]+>", "", page)
