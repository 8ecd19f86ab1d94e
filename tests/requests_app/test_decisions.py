"""The staff decision service (decisions.decide_request) and the submit path shared by page and API."""

from __future__ import annotations

import pytest

from backend.core.exceptions import NotFound
from backend.requests_app import services
from backend.requests_app.decisions import Decision, decide_request, decision_data
from backend.requests_app.models import PortalRequest, RequestEvent, RequestStatus
from backend.requests_app.submission import previous_submit, submit_validated
from backend.requests_app.validation import RequestSubmitInputSerializer
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

PAYMENT_DAY = {"payment_day": 20, "reason": "cash_flow"}


@pytest.fixture
def waiting_for_staff(client_user, acme, acme_contract) -> PortalRequest:
    return _submit(client_user, acme, acme_contract)


def _submit(user, client, contract, *, key: str = "", fingerprint: str = "") -> PortalRequest:
    serializer = RequestSubmitInputSerializer(
        data=submission("payment_date_change", contract=contract, data=PAYMENT_DAY),
        context={"client": client},
    )
    assert serializer.is_valid(), serializer.errors
    portal_request, created = submit_validated(
        user=user,
        client=client,
        validated=serializer.validated_data,
        idempotency_key=key,
        fingerprint=fingerprint,
    )
    assert created
    return portal_request


def _decision_event(portal_request: PortalRequest) -> RequestEvent:
    return portal_request.events.get(kind=RequestEvent.Kind.DECISION)


@pytest.mark.parametrize(
    ("decision", "texts", "data"),
    [
        (Decision.ASK_CLIENT, {"question": "KRS?"}, {"decision": "ask_client", "question": "KRS?"}),
        (Decision.APPROVE, {}, {"decision": "approve"}),
        (
            Decision.APPROVE,
            {"answer": "Zgoda.", "comment": "Bez uwag."},
            {"decision": "approve", "answer": "Zgoda.", "comment": "Bez uwag."},
        ),
        (Decision.REJECT, {"reason": "Brak zgody."}, {"decision": "reject", "reason": "Brak zgody."}),
    ],
)
def test_each_decision_maps_to_the_staff_review_form(decision, texts, data):
    assert decision_data(decision, **texts) == data


def test_ask_client_puts_the_question_to_the_client(waiting_for_staff, bok_staff):
    decided = decide_request(
        actor=bok_staff, request_id=waiting_for_staff.pk, decision="ask_client", question="Prosimy o KRS."
    )

    assert decided.status == RequestStatus.WAITING_FOR_CLIENT
    question = waiting_for_staff.events.get(kind=RequestEvent.Kind.QUESTION)
    assert question.message == "Prosimy o KRS."
    assert decided.assignee == bok_staff


def test_approve_passes_the_comment_the_page_used_to_drop(waiting_for_staff, bok_staff):
    decided = decide_request(
        actor=bok_staff, request_id=waiting_for_staff.pk, decision=Decision.APPROVE, comment="Bez uwag."
    )

    assert decided.status == RequestStatus.COMPLETED
    assert _decision_event(waiting_for_staff).message == "Bez uwag."


def test_reject_gives_the_reason(waiting_for_staff, bok_staff):
    decided = decide_request(
        actor=bok_staff, request_id=waiting_for_staff.pk, decision=Decision.REJECT, reason="Brak zgody banku."
    )

    assert decided.status == RequestStatus.REJECTED
    event = _decision_event(waiting_for_staff)
    assert (event.message, event.data["decision"]) == ("Brak zgody banku.", "reject")


def test_a_decision_scoped_to_another_client_finds_no_request(waiting_for_staff, bok_staff, other_company):
    with pytest.raises(NotFound):
        decide_request(
            actor=bok_staff, request_id=waiting_for_staff.pk, decision=Decision.APPROVE, client=other_company
        )

    waiting_for_staff.refresh_from_db()
    assert waiting_for_staff.status == RequestStatus.IN_REVIEW


def test_an_unknown_decision_is_refused_before_any_write(waiting_for_staff, bok_staff):
    with pytest.raises(ValueError):
        decide_request(actor=bok_staff, request_id=waiting_for_staff.pk, decision="maybe")

    assert not waiting_for_staff.events.filter(kind=RequestEvent.Kind.DECISION).exists()


def test_a_retried_submit_finds_the_first_request(client_user, acme, acme_contract):
    first = _submit(client_user, acme, acme_contract, key="key-1", fingerprint="body-1")

    assert previous_submit(user=client_user, client=acme, idempotency_key="key-1") == first
    assert (
        previous_submit(user=client_user, client=acme, idempotency_key="key-1", fingerprint="body-1") == first
    )
    assert previous_submit(user=client_user, client=acme, idempotency_key="key-2") is None
    assert previous_submit(user=client_user, client=acme, idempotency_key="") is None


def test_a_key_reused_for_another_body_is_refused(client_user, acme, acme_contract):
    _submit(client_user, acme, acme_contract, key="key-1", fingerprint="body-1")

    with pytest.raises(services.IdempotencyKeyReused):
        previous_submit(user=client_user, client=acme, idempotency_key="key-1", fingerprint="body-2")
