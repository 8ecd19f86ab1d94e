"""Each of the five request processes through every path, driving the real bpmn/ files via the REST API."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from docx import Document as DocxDocument

from backend.core.models import OutboxEvent
from backend.documents.models import Document
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.requests_app.helpers import submission, upload
from tests.workflows.flows import REQUEST_FLOW_KINDS
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db

KINDS = REQUEST_FLOW_KINDS


def valid_body(kind, api, contract):
    if kind == "payment_date_change":
        return submission(kind, contract=contract, data={"payment_day": 20, "reason": "cash_flow"})
    if kind == "contract_value_change":
        attachment_id = upload(api).json()["id"]
        return submission(
            kind,
            contract=contract,
            data={"option": "additional_equipment", "net_amount": "130000.00", "currency": "PLN"},
            attachment_ids=[attachment_id],
        )
    if kind == "schedule_change":
        return submission(kind, contract=contract, data={"months": 48, "installment_option": "auto"})
    if kind == "client_data_change":
        return submission(kind, data={"email": "nowy.adres@acme.pl", "phone": "+48 22 765 43 21"})
    return submission(
        kind, data={"subject": "Pytanie o polisę", "message": "Czy mogę zmienić ubezpieczyciela?"}
    )


def submit(api, kind, contract):
    response = api.post("/api/requests/", valid_body(kind, api, contract), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def approve(staff_api, request_id, kind):
    body = {"answer": "Tak, prosimy o przesłanie nowej polisy."} if kind == "other_request" else {}
    response = staff_api.post(f"/api/staff/requests/{request_id}/approve/", body, format="json")
    assert response.status_code == 200, response.json()
    # A step answers with the request's new state only; the whole request (history, document) is a GET.
    assert response.json()["status"] == "completed"
    detail = staff_api.get(f"/api/staff/requests/{request_id}/")
    assert detail.status_code == 200
    return detail.json()


def docx_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        return "\n".join(p.text for p in DocxDocument(io.BytesIO(handle.read())).paragraphs)


def outbox_kinds(request_id: int) -> list[str]:
    return list(
        OutboxEvent.objects.filter(
            subject_type="requests_app.portalrequest", subject_id=request_id
        ).values_list("kind", flat=True)
    )


@pytest.mark.parametrize("kind", KINDS)
def test_submit_then_approve_completes_with_decision_document(
    kind, api_as, client_user, bok_staff, acme_contract
):
    # given
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    submitted = submit(client_api, kind, acme_contract)
    assert submitted["status"] == "in_review"
    assert submitted["stage"] == "staff_review"
    assert submitted["number"].startswith(f"WN/{timezone.localdate().year}/")

    # when
    decided = approve(staff_api, submitted["id"], kind)

    # then
    assert decided["status"] == "completed"
    assert decided["stage"] == "request_approved"
    portal_request = PortalRequest.objects.get(pk=submitted["id"])
    assert portal_request.process_instance.status == ProcessInstance.Status.COMPLETED
    assert portal_request.decision_document is not None
    assert portal_request.decision_document.contract_id == portal_request.contract_id
    assert "rozpatrzony pozytywnie" in docx_text(portal_request.decision_document)
    kinds = outbox_kinds(portal_request.pk)
    assert kinds[0] == OutboxEvent.Kind.REQUEST_SUBMITTED
    assert OutboxEvent.Kind.REQUEST_DECIDED in kinds
    assert kinds.count(OutboxEvent.Kind.REQUEST_STAGE_CHANGED) == 3  # in review, approved, completed
    statuses = list(
        portal_request.events.filter(kind=RequestEvent.Kind.STAGE_CHANGED).values_list("status_to", flat=True)
    )
    assert statuses == ["in_review", "approved", "completed"]


@pytest.mark.parametrize("kind", KINDS)
def test_reject_with_reason_issues_decision_letter(kind, api_as, client_user, bok_staff, acme_contract):
    # given
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    submitted = submit(client_api, kind, acme_contract)
    acme_contract.refresh_from_db()
    payment_day_before = acme_contract.payment_day

    # when
    response = staff_api.post(
        f"/api/staff/requests/{submitted['id']}/reject/",
        {"reason": "Brak zgody ubezpieczyciela."},
        format="json",
    )

    # then
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "rejected"
    assert response.json()["decision_reason"] == "Brak zgody ubezpieczyciela."
    portal_request = PortalRequest.objects.get(pk=submitted["id"])
    document = portal_request.decision_document
    assert document.kind == Document.Kind.DECISION
    text = docx_text(document)
    assert "rozpatrzony negatywnie" in text
    assert "Brak zgody ubezpieczyciela." in text
    acme_contract.refresh_from_db()
    assert acme_contract.payment_day == payment_day_before
    assert OutboxEvent.Kind.REQUEST_DECIDED in outbox_kinds(portal_request.pk)


def test_reject_without_reason_is_refused_and_nothing_changes(api_as, client_user, bok_staff, acme_contract):
    # given
    submitted = submit(api_as(client_user), "payment_date_change", acme_contract)

    # when
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{submitted['id']}/complete/", {"data": {"decision": "reject"}}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert PortalRequest.objects.get(pk=submitted["id"]).status == "in_review"


@pytest.mark.parametrize("kind", KINDS)
def test_staff_request_for_info_waits_for_client_then_reply_returns_to_review(
    kind, api_as, client_user, bok_staff, acme_contract
):
    # given
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    submitted = submit(client_api, kind, acme_contract)

    # when staff asks
    asked = staff_api.post(
        f"/api/staff/requests/{submitted['id']}/ask-client/",
        {"question": "Proszę o skan faktury."},
        format="json",
    )

    # then the instance waits for the client
    assert asked.status_code == 200, asked.json()
    detail = client_api.get(f"/api/requests/{submitted['id']}/").json()
    assert detail["status"] == "waiting_for_client"
    assert detail["waiting_for_client"] is True
    assert detail["current_task"]["name"] == "client_reply"
    assert detail["current_task"]["form_schema"]["required"] == ["message"]
    assert OutboxEvent.Kind.REQUEST_WAITING_FOR_CLIENT in outbox_kinds(submitted["id"])

    # when the client replies with an attachment
    attachment_id = upload(client_api).json()["id"]
    replied = client_api.post(
        f"/api/requests/{submitted['id']}/reply/",
        {"message": "Przesyłam skan.", "attachment_ids": [attachment_id]},
        format="json",
    )

    # then it is back with staff, and the question and answer are in the history
    assert replied.status_code == 200, replied.json()
    assert replied.json()["status"] == "in_review"
    assert replied.json()["waiting_for_client"] is False
    history = client_api.get(f"/api/requests/{submitted['id']}/").json()["history"]
    messages = [(e["kind"], e["message"]) for e in history if e["kind"] in {"question", "reply"}]
    assert messages == [("question", "Proszę o skan faktury."), ("reply", "Przesyłam skan.")]
    reply_event = next(e for e in history if e["kind"] == "reply")
    assert [a["id"] for a in reply_event["attachments"]] == [attachment_id]

    # when staff asks again, the client replies again and staff approves
    staff_api.post(
        f"/api/staff/requests/{submitted['id']}/ask-client/", {"question": "Jeszcze NIP?"}, format="json"
    )
    client_api.post(
        f"/api/requests/{submitted['id']}/reply/", {"message": "NIP w załączniku."}, format="json"
    )
    decided = approve(staff_api, submitted["id"], kind)

    # then
    assert decided["status"] == "completed"
    statuses = [e["status_to"] for e in decided["history"] if e["kind"] == "stage_changed"]
    assert statuses == [
        "in_review",
        "waiting_for_client",
        "in_review",
        "waiting_for_client",
        "in_review",
        "approved",
        "completed",
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_reminder_after_14_days_then_cancel_after_30_days(
    kind, api_as, client_user, bok_staff, acme_contract
):
    # given a request waiting for the client
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client_api, staff_api = api_as(client_user), api_as(bok_staff)
        submitted = submit(client_api, kind, acme_contract)
        staff_api.post(
            f"/api/staff/requests/{submitted['id']}/ask-client/", {"question": "Dokumenty?"}, format="json"
        )
        instance = PortalRequest.objects.get(pk=submitted["id"]).process_instance
        assert instance.next_timer_due == timezone.now() + timedelta(days=14)

        # when 13 days pass nothing happens
        traveller.shift(timedelta(days=13))
        assert sweep_due_timers() == 0

        # when 14 days pass the reminder fires once
        traveller.shift(timedelta(days=1, seconds=1))
        assert sweep_due_timers() == 1
        assert sweep_due_timers() == 0

        # then
        portal_request = PortalRequest.objects.get(pk=submitted["id"])
        assert portal_request.status == "waiting_for_client"
        assert outbox_kinds(portal_request.pk).count(OutboxEvent.Kind.REQUEST_REMINDER) == 1
        assert portal_request.events.filter(kind=RequestEvent.Kind.REMINDER).count() == 1
        portal_request.process_instance.refresh_from_db()
        assert portal_request.process_instance.next_timer_due == instance.next_timer_due + timedelta(days=16)

        # when 30 days have passed the request is cancelled
        traveller.shift(timedelta(days=16))
        assert sweep_due_timers() == 1

        # then
        portal_request.refresh_from_db()
        assert portal_request.status == "cancelled"
        assert portal_request.stage == "request_cancelled"
        assert portal_request.process_instance.status == ProcessInstance.Status.COMPLETED
        assert portal_request.process_instance.next_timer_due is None
        client_api = api_as(client_user)  # the session expired during the month
        reply = client_api.post(
            f"/api/requests/{submitted['id']}/reply/", {"message": "Za późno"}, format="json"
        )
        assert reply.status_code == 409


def test_client_may_still_reply_after_the_reminder(api_as, client_user, bok_staff, acme_contract):
    # given
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client_api, staff_api = api_as(client_user), api_as(bok_staff)
        submitted = submit(client_api, "payment_date_change", acme_contract)
        staff_api.post(
            f"/api/staff/requests/{submitted['id']}/ask-client/", {"question": "Powód?"}, format="json"
        )
        traveller.shift(timedelta(days=15))
        sweep_due_timers()

        # when
        client_api, staff_api = api_as(client_user), api_as(bok_staff)
        response = client_api.post(
            f"/api/requests/{submitted['id']}/reply/", {"message": "Płynność."}, format="json"
        )

        # then the reply timers are gone and staff can approve
        assert response.status_code == 200, response.json()
        instance = PortalRequest.objects.get(pk=submitted["id"]).process_instance
        assert instance.next_timer_due is None
        traveller.shift(timedelta(days=30))
        assert sweep_due_timers() == 0
        staff_api = api_as(bok_staff)
        assert approve(staff_api, submitted["id"], "payment_date_change")["status"] == "completed"


def test_client_cancels_an_open_request(api_as, client_user, acme_contract):
    # given
    client_api = api_as(client_user)
    submitted = submit(client_api, "payment_date_change", acme_contract)

    # when
    response = client_api.post(f"/api/requests/{submitted['id']}/cancel/")

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["stage"] == "cancelled"
    assert client_api.post(f"/api/requests/{submitted['id']}/cancel/").status_code == 409


# --------------------------------------------------------------------------------------------------
# Effects on the contract, the schedule and the client


def test_payment_date_change_moves_future_unpaid_installments(api_as, client_user, bok_staff, acme_contract):
    # given
    today = timezone.localdate()
    paid_before = {r.number: r.due_date for r in acme_contract.schedule_rows.filter(paid=True)}
    submitted = submit(api_as(client_user), "payment_date_change", acme_contract)

    # when
    approve(api_as(bok_staff), submitted["id"], "payment_date_change")

    # then
    acme_contract.refresh_from_db()
    assert acme_contract.payment_day == 20
    future = acme_contract.schedule_rows.filter(paid=False, due_date__gte=today)
    assert future.exists()
    assert {r.due_date.day for r in future} == {20}
    assert {r.number: r.due_date for r in acme_contract.schedule_rows.filter(paid=True)} == paid_before
    text = docx_text(PortalRequest.objects.get(pk=submitted["id"]).decision_document)
    assert "Nowy dzień płatności rat: 20" in text
    assert acme_contract.number in text


def test_contract_value_change_recomputes_unpaid_installments(api_as, client_user, bok_staff, acme_contract):
    # given
    unpaid_before = list(acme_contract.schedule_rows.filter(paid=False).order_by("number"))
    submitted = submit(api_as(client_user), "contract_value_change", acme_contract)

    # when
    approve(api_as(bok_staff), submitted["id"], "contract_value_change")

    # then
    acme_contract.refresh_from_db()
    assert acme_contract.net_value == Decimal("130000.00")
    unpaid_after = list(acme_contract.schedule_rows.filter(paid=False).order_by("number"))
    assert [r.number for r in unpaid_after] == [r.number for r in unpaid_before]
    assert unpaid_after[0].net > unpaid_before[0].net
    assert unpaid_after[-1].capital_remaining == acme_contract.residual_value
    document = PortalRequest.objects.get(pk=submitted["id"]).decision_document
    assert document.kind == Document.Kind.ANNEX
    assert "Nowa wartość netto umowy: 130\xa0000,00" in docx_text(document)


def test_schedule_change_applies_exactly_the_quoted_schedule(api_as, client_user, bok_staff, acme_contract):
    # given
    client_api = api_as(client_user)
    quote = client_api.post(
        "/api/requests/schedule-quote/",
        {
            "contract_id": acme_contract.pk,
            "months": 48,
            "residual_percent": "5.00",
            "installment_option": "auto",
        },
        format="json",
    )
    assert quote.status_code == 200, quote.json()
    response = client_api.post(
        "/api/requests/",
        submission(
            "schedule_change",
            contract=acme_contract,
            data={"months": 48, "residual_percent": "5.00", "installment_option": "auto"},
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()

    # when
    approve(api_as(bok_staff), response.json()["id"], "schedule_change")

    # then
    acme_contract.refresh_from_db()
    assert acme_contract.months == 48
    assert acme_contract.residual_percent == Decimal("5.00")
    rows = list(acme_contract.schedule_rows.filter(paid=False).order_by("number"))
    quoted = quote.json()["installments"]
    assert [(r.number, r.due_date.isoformat(), str(r.net), str(r.capital_remaining)) for r in rows] == [
        (q["number"], q["due_date"], q["net"], q["capital_remaining"]) for q in quoted
    ]
    assert acme_contract.schedule_rows.count() == 48


def test_client_data_change_keeps_old_and_new_values_in_history(
    api_as, client_user, bok_staff, acme, acme_contract
):
    # given
    old_email = acme.email
    submitted = submit(api_as(client_user), "client_data_change", acme_contract)

    # when
    decided = approve(api_as(bok_staff), submitted["id"], "client_data_change")

    # then
    acme.refresh_from_db()
    assert acme.email == "nowy.adres@acme.pl"
    change = next(e for e in decided["history"] if e["kind"] == "data_changed")
    assert change["data"]["changes"]["email"] == {"old": old_email, "new": "nowy.adres@acme.pl"}


def test_other_request_answer_is_in_the_decision(api_as, client_user, bok_staff, acme_contract):
    # given
    submitted = submit(api_as(client_user), "other_request", acme_contract)

    # when approving without an answer
    refused = api_as(bok_staff).post(f"/api/staff/requests/{submitted['id']}/approve/", {}, format="json")

    # then the form requires it
    assert refused.status_code == 400
    assert "answer" in refused.json()["fields"]

    # when
    decided = approve(api_as(bok_staff), submitted["id"], "other_request")

    # then
    assert decided["decision_reason"] == "Tak, prosimy o przesłanie nowej polisy."
    text = docx_text(PortalRequest.objects.get(pk=submitted["id"]).decision_document)
    assert "Tak, prosimy o przesłanie nowej polisy." in text


def test_decision_document_is_downloadable_by_its_client_only(
    api_as, client_user, other_client_user, bok_staff, acme_contract
):
    # given
    submitted = submit(api_as(client_user), "payment_date_change", acme_contract)
    decided = approve(api_as(bok_staff), submitted["id"], "payment_date_change")

    # when
    mine = api_as(client_user).get(decided["decision_document_url"])
    foreign = api_as(other_client_user).get(decided["decision_document_url"])

    # then
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content).startswith(b"PK")
    assert foreign.status_code == 404
