"""An incident raised when a flow reaches an outcome the request's status refuses names that status as the
back office's pages do, in the reader's language ("„Oczekuje na odpowiedź klienta”"), not by its value
("waiting_for_client"): the incident keeps the value, backend.requests_app registers its words with the
facade (workflows.reason_words), which may not import it. Incidents recorded before read named too."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.utils import translation

from backend.requests_app.lifecycle import OUTCOME_REFUSED
from workflows.models import Incident

PARAMS = {
    "end": "request_cancelled",
    "outcome": "approved",
    "element": "cancel_timer",
    "status": "waiting_for_client",
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "ale wniosek w statusie „Oczekuje na odpowiedź klienta” nie może przyjąć tego wyniku"),
        ("en", "but a request in the status “Waiting for the client's reply” cannot take that outcome"),
    ],
)
def test_the_reason_names_the_status_in_the_readers_words(language, expected):
    incident = Incident(
        error_class="django_fsm.TransitionNotAllowed", reason_id=OUTCOME_REFUSED, reason_params=PARAMS
    )

    with translation.override(language):
        assert expected in incident.reason
        assert "waiting_for_client" not in incident.reason


def test_a_status_no_longer_known_stays_as_stored():
    incident = Incident(reason_id=OUTCOME_REFUSED, reason_params={**PARAMS, "status": "archived"})

    with translation.override("en"):
        assert "in the status archived cannot" in incident.reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "wniosek w statusie „Oczekuje na odpowiedź klienta” nie może"),
        ("en", "a request in the status “Waiting for the client&#x27;s reply” cannot"),
    ],
)
def test_the_repair_console_and_its_api_read_the_status_named(language, expected, analyst, api_as):
    incident = Incident.objects.create(
        action="timer",
        element_id="cancel_timer",
        error_class="django_fsm.TransitionNotAllowed",
        message="Can't switch from state 'waiting_for_client' using method 'approve'",
        reason_id=OUTCOME_REFUSED,
        reason_params=PARAMS,
    )
    analyst.language = language
    analyst.save(update_fields=["language"])
    browser = PageClient()
    browser.force_login(analyst)

    html = browser.get("/ops/").content.decode()
    row = html.split(f'data-testid="incident-{incident.pk}"', 1)[1].split("</tr>", 1)[0]
    reason = row.split('data-testid="incident-reason">', 1)[1].split("</p>", 1)[0]

    assert expected in reason and "waiting_for_client" not in reason
    [listed] = api_as(analyst).get("/api/ops/incidents/", HTTP_ACCEPT_LANGUAGE=language).json()
    assert "waiting_for_client" not in listed["reason"]
