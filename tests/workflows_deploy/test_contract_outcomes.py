"""The outcomes a request type's contract requires: deploy refuses a flow that lacks one, naming the process.

The standard request types need `approved` and `rejected` (the test run drives both decisions), and their
30-day cancel timer must lead to `cancelled`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from backend.core.exceptions import PortalValidationError
from workflows.contract import CONTRACTS, Outcome
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
REJECTED = '<spiffworkflow:property name="outcome" value="rejected" />'
CANCELLED = '<spiffworkflow:property name="outcome" value="cancelled" />'


def refusal(xml: str, language: str) -> PortalValidationError:
    before = ProcessVersion.objects.count()
    with translation.override(language), pytest.raises(PortalValidationError) as caught:
        deploy_bpmn_version(xml=xml)
    assert ProcessVersion.objects.count() == before
    return caught.value


@pytest.mark.parametrize(
    "key",
    [
        "payment_date_change",
        "contract_value_change",
        "schedule_change",
        "client_data_change",
        "other_request",
    ],
)
def test_standard_types_require_approved_and_rejected(key):
    assert CONTRACTS[key].required_outcomes == {Outcome.APPROVED, Outcome.REJECTED}
    assert [t.outcome for t in CONTRACTS[key].timers if t.event_id == "cancel_timer"] == [Outcome.CANCELLED]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Żadne zdarzenie końcowe procesu payment_date_change nie ma wyniku „odrzucony” (rejected)"),
        ("en", "No end event of the process payment_date_change has the outcome “rejected”"),
    ],
)
def test_a_flow_whose_reject_path_ends_cancelled_is_refused(language, expected):
    # given version 2 whose rejected end event says "cancelled" (no end event has `rejected` any more)
    xml = PAYMENT_XML.replace(REJECTED, CANCELLED)

    # when it is deployed, then it is refused under the process, naming it, in the reader's language
    error = refusal(xml, language)
    messages = error.fields["payment_date_change"]
    assert any(expected in message for message in messages), messages


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "pl",
            "Żadne zdarzenie końcowe za zegarem cancel_timer procesu payment_date_change nie ma wyniku "
            "„anulowany” (cancelled)",
        ),
        (
            "en",
            "No end event after the timer cancel_timer of the process payment_date_change has the outcome "
            "“cancelled”",
        ),
    ],
)
def test_a_cancel_timer_that_leads_to_no_cancelled_outcome_is_refused(language, expected):
    # given version 2 whose 30-day cancel ends in an end event with the outcome "rejected"
    xml = PAYMENT_XML.replace(CANCELLED, REJECTED)

    # when it is deployed, then the timer is named
    error = refusal(xml, language)
    assert any(expected in message for message in error.fields["cancel_timer"]), error.fields
