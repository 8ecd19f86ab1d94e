"""An outcome in the analyst's words (session 34): the editor's panel offers an end event's outcome by its
label (zatwierdzony), and the deploy refusals, the test run's reasons and the repair console's incidents
named it by its raw value ("… wynikiem approved"). Now each names it by the panel's word, quoted, with the
value in the XML after it where the two differ: „zatwierdzony” (approved); “approved” in English."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.logged_in_clients import browsing_as
from tests.workflows.test_services import PAYMENT_XML
from tests.workflows_deploy.test_contract_outcomes import CANCELLED, REJECTED, refusal
from workflows import simulation_labels
from workflows.models import Incident

pytestmark = pytest.mark.django_db


def panel_words(analyst, language: str) -> dict[str, str]:
    """The outcome labels the editor page hands its properties panel (#modeler-texts data-outcome-*)."""
    analyst.language = language
    analyst.save(update_fields=["language"])
    page = browsing_as(analyst).get("/analyst/flows/payment_date_change/").content.decode()
    texts = page.split('id="modeler-texts"', 1)[1].split(">", 1)[0]
    return dict(re.findall(r'data-outcome-(approved|rejected|cancelled)="([^"]*)"', texts))


@pytest.mark.parametrize(
    ("language", "named"),
    [("pl", "„odrzucony” (rejected)"), ("en", "“rejected”")],
)
def test_a_deploy_refusal_names_the_outcome_by_the_panels_word(analyst, language, named):
    # given the panel's word for the outcome
    words = panel_words(analyst, language)
    assert words["rejected"] == {"pl": "odrzucony", "en": "rejected"}[language]

    # when a version without a `rejected` end event is deployed
    messages = refusal(PAYMENT_XML.replace(REJECTED, CANCELLED), language).fields["payment_date_change"]

    # then the refusal names it by that word, not by the bare value
    [message] = [m for m in messages if "payment_date_change" in m]
    assert named in message, message
    assert words["rejected"] in message


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "pl",
            "Wniosek zakończył się wynikiem „odrzucony” (rejected); ta ścieżka musi kończyć się wynikiem "
            "„zatwierdzony” (approved).",
        ),
        ("en", "The request ended with the outcome “rejected”; this path must end with “approved”."),
    ],
)
def test_a_stored_test_run_names_its_outcomes_in_the_readers_words(language, expected):
    # a path stored with the outcomes' values (as every run since reason_id keeps them)
    path = {
        "path": "approve",
        "status": "failed",
        "reason_id": "The request ended with the outcome %(actual)s; this path must end with %(expected)s.",
        "reason_params": {"actual": "rejected", "expected": "approved"},
    }

    with translation.override(language):
        assert simulation_labels.path_reason(path) == expected


def test_an_incident_names_the_outcome_its_step_reached_in_the_readers_words():
    incident = Incident(
        error_class="django_fsm.TransitionNotAllowed",
        reason_id=(
            "The process reached the end event %(end)s with the outcome %(outcome)s after %(element)s, but a "
            "request in the status %(status)s cannot take that outcome, so the step was rolled back. The flow "
            "of this version is wrong there: move the request to a version with a corrected flow, or cancel it."
        ),
        reason_params={
            "end": "request_cancelled",
            "outcome": "approved",
            "element": "cancel_timer",
            "status": "waiting_for_client",
        },
    )

    with translation.override("pl"):
        assert "z wynikiem „zatwierdzony” (approved) po cancel_timer" in incident.reason
    with translation.override("en"):
        assert "with the outcome “approved” after cancel_timer" in incident.reason


def test_the_version_comparison_names_a_changed_outcome_by_the_panels_word():
    from portal_ui.version_views import _diff_view

    diff = {
        "added": [],
        "removed": [],
        "changed": [
            {
                "id": "request_done",
                "type": "endEvent",
                "changes": {"outcome": {"from": "approved", "to": "cancelled"}},
            }
        ],
    }
    elements = {"request_done": {"type": "endEvent", "name": "Zakończony"}}

    with translation.override("pl"):
        [change] = _diff_view(diff, elements, elements)["changed"][0]["changes"]

    assert (change["from"], change["to"]) == ("„zatwierdzony” (approved)", "„anulowany” (cancelled)")
