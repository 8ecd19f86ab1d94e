"""Staff walk, session 34c: the repair console's incident on a phone.

An incident's reason (a readable sentence, the request's status named in the reader's words) is read
across the card under its "Error" label, left-aligned, with the technical detail below it; it was a narrow
right-aligned column squeezed beside the detail's toggle (some 140 px of a 375 px screen).
"""

from __future__ import annotations

import pytest

from backend.requests_app.lifecycle import OUTCOME_REFUSED
from tests.browser.test_staff_inbox import open_as
from workflows.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "locale"), [("pl", "pl-PL"), ("en", "en-GB")])
def test_an_incidents_reason_reads_across_a_phones_card(browser, asgi_server, analyst, language, locale):
    incident = Incident.objects.create(
        action="timer",
        element_id="cancel_timer",
        error_class="django_fsm.TransitionNotAllowed",
        message="Can't switch from state 'waiting_for_client' using method 'approve'",
        reason_id=OUTCOME_REFUSED,
        reason_params={
            "end": "request_cancelled",
            "outcome": "approved",
            "element": "cancel_timer",
            "status": "waiting_for_client",
        },
    )
    analyst.language = language
    analyst.save(update_fields=["language"])

    context, page = open_as(browser, asgi_server, analyst, "/ops/", locale=locale)
    try:
        page.set_viewport_size({"width": 375, "height": 800})
        reason = page.locator(f"[data-testid=incident-{incident.pk}] [data-testid=incident-reason]")
        cell = reason.locator("xpath=..")
        detail = cell.locator("details")

        cell_box, reason_box, detail_box = cell.bounding_box(), reason.bounding_box(), detail.bounding_box()
        # the sentence spans the card, the technical detail below it, not beside it
        assert reason_box["width"] > 0.8 * cell_box["width"]
        assert detail_box["y"] >= reason_box["y"] + reason_box["height"] - 1
        assert reason.evaluate("e => getComputedStyle(e).textAlign") in {"left", "start"}
        status = "Oczekuje na odpowiedź klienta" if language == "pl" else "Waiting for the client's reply"
        assert status in reason.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
