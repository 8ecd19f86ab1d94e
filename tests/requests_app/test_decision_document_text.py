"""The wording of a decision document (DOCX), read back with python-docx: the staff answer printed once,
and the request's kind named in natural Polish ("w sprawie reklamacji", an other matter by its subject)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document as DocxDocument

from backend.documents.models import Document
from backend.requests_app.decision_document import render_docx
from backend.requests_app.models import PortalRequest, RequestKind
from tests.requests_app.test_flows import submit

pytestmark = pytest.mark.django_db

ANSWER = "Reklamacja uwzględniona, korekta faktury zostanie wystawiona do 7 dni."
# How the document's "Dotyczy wniosku …" sentence names each kind of request (genitive after "w sprawie").
SUBJECTS = {
    RequestKind.PAYMENT_DATE_CHANGE: "w sprawie zmiany daty płatności raty",
    RequestKind.CONTRACT_VALUE_CHANGE: "w sprawie zmiany wartości umowy / doposażenia",
    RequestKind.SCHEDULE_CHANGE: "w sprawie zmiany harmonogramu",
    RequestKind.CLIENT_DATA_CHANGE: "w sprawie zmiany danych klienta",
    RequestKind.OTHER_REQUEST: "w sprawie nieobjętej pozostałymi rodzajami wniosków",  # no subject given
    RequestKind.COMPLAINT: "w sprawie reklamacji",
    RequestKind.EARLY_TERMINATION: "w sprawie wykupu / wcześniejszego zakończenia umowy",
    RequestKind.VEHICLE_ABROAD_PERMIT: "w sprawie zgody na wyjazd pojazdem za granicę",
}


def paragraphs(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in DocxDocument(io.BytesIO(content)).paragraphs]


def stored_paragraphs(document: Document) -> list[str]:
    with document.file.open("rb") as handle:
        return paragraphs(handle.read())


@pytest.mark.parametrize("kind", [RequestKind.COMPLAINT, RequestKind.OTHER_REQUEST])
def test_an_approved_requests_document_prints_the_answer_once(
    kind, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(api_as(client_user), kind, None)["id"]
        response = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/approve/", {"answer": ANSWER}, format="json"
        )
    assert response.status_code == 200, response.json()

    text = stored_paragraphs(PortalRequest.objects.get(pk=request_id).decision_document)

    assert [line for line in text if ANSWER in line] == [f"Odpowiedź: {ANSWER}"]


def test_every_kind_is_named_in_natural_polish(acme, acme_contract):
    assert set(SUBJECTS) == set(RequestKind)  # a new kind needs its wording here and in the document
    received = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    for kind, subject in SUBJECTS.items():
        portal_request = PortalRequest(
            number="WN/2026/000042", kind=kind, client=acme, contract=acme_contract, created_at=received
        )

        text = paragraphs(
            render_docx(
                portal_request,
                decided_on=received.date(),
                outcome="rejected",
                reason="Brak podstaw.",
                answer="",
                summary=[],
            )
        )

        assert f"Dotyczy wniosku nr WN/2026/000042 z dnia 24.11.2026 {subject}." in text, kind
        assert not any("sprawie innej sprawy" in line or "w innej sprawie" in line for line in text)


def test_an_other_matter_is_named_by_its_subject_and_the_footer_names_the_lessor(
    api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # given: a client's "Inna sprawa" request, rejected by staff
    with django_capture_on_commit_callbacks(execute=True):
        request_id = submit(api_as(client_user), RequestKind.OTHER_REQUEST, None)["id"]
        response = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/reject/", {"reason": "Brak podstaw."}, format="json"
        )
    assert response.status_code == 200, response.json()
    portal_request = PortalRequest.objects.get(pk=request_id)
    subject = portal_request.form_data["subject"]
    # when: the client reads the decision letter
    text = stored_paragraphs(portal_request.decision_document)
    # then: the matter by its subject, not "w innej sprawie" ("in a different matter")
    received = portal_request.created_at.astimezone(ZoneInfo("Europe/Warsaw")).strftime("%d.%m.%Y")
    assert f"Dotyczy wniosku nr {portal_request.number} z dnia {received} w sprawie: „{subject}”." in text
    assert not any("w innej sprawie" in line for line in text)
    footer = "Dokument wygenerowany elektronicznie w Portalu Klienta firmy Portal Leasing Polska S.A.; nie wymaga podpisu."
    assert text[-1] == footer
