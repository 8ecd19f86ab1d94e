"""Walk 35: an incident's reason names the elements it speaks of as the diagram of the incident's version
does ("the end event „Anulowany: brak odpowiedzi w terminie” … after „Po 30 dniach bez odpowiedzi”"), not by
their ids ("request_cancelled … after cancel_timer") beside the status and outcome it already names in words.
The incident keeps the ids, so one recorded before reads named too; an id its version does not name stays."""

from __future__ import annotations

import pytest
from django.utils import translation

from backend.requests_app.lifecycle import OUTCOME_REFUSED
from workflows.incidents import TIMER_FAILED
from workflows.models import Incident
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db

KEY = "payment_date_change"
PARAMS = {
    "end": "request_cancelled",
    "outcome": "approved",
    "element": "cancel_timer",
    "status": "waiting_for_client",
}


def incident(reason_id: str, params: dict, *, version=True) -> Incident:
    return Incident(
        process_version_id=get_current_version(KEY).pk if version else None,
        error_class="django_fsm.TransitionNotAllowed",
        reason_id=reason_id,
        reason_params=params,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "pl",
            "Proces doszedł do zdarzenia końcowego „Anulowany: brak odpowiedzi w terminie” z wynikiem "
            "„zatwierdzony” (approved) po „Po 30 dniach bez odpowiedzi”, ale wniosek",
        ),
        (
            "en",
            "The process reached the end event “Anulowany: brak odpowiedzi w terminie” with the outcome "
            "“approved” after “Po 30 dniach bez odpowiedzi”, but a request",
        ),
    ],
)
def test_a_refused_outcome_names_its_end_event_and_timer(language, expected):
    with translation.override(language):
        reason = incident(OUTCOME_REFUSED, PARAMS).reason

    assert reason.startswith(expected), reason
    assert "request_cancelled" not in reason and "cancel_timer" not in reason


def test_a_failed_timer_is_named():
    with translation.override("pl"):
        reason = incident(TIMER_FAILED, {"element": "reminder_timer", "error": "RuntimeError"}).reason

    assert reason.startswith("Zegar „Po 14 dniach bez odpowiedzi” jest już wymagalny"), reason


def test_an_id_the_version_does_not_name_or_no_version_stays_as_stored():
    unknown = incident(TIMER_FAILED, {"element": "gone_timer", "error": "RuntimeError"})
    versionless = incident(OUTCOME_REFUSED, PARAMS, version=False)

    with translation.override("pl"):
        assert unknown.reason.startswith("Zegar gone_timer jest już wymagalny")
        assert "zdarzenia końcowego request_cancelled" in versionless.reason
