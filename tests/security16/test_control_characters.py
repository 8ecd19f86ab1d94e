"""Control characters in staff's text (defect 3): a vertical tab (Word's Shift+Enter) is a line break,
other C0 controls are refused next to the field, and the DOCX renderer copes with texts stored before."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument

from backend.requests_app.docx_template import add_paragraph, blank_document, save_docx
from backend.requests_app.models import PortalRequest
from tests.requests_app.test_flows import docx_text, submit

pytestmark = pytest.mark.django_db


def test_a_vertical_tab_in_the_answer_is_a_line_break_and_the_decision_gets_its_document(
    api_as, client_user, bok_staff, acme_contract
):
    submitted = submit(api_as(client_user), "other_request", acme_contract)

    response = api_as(bok_staff).post(
        f"/api/staff/requests/{submitted['id']}/approve/",
        {"answer": "Tak, zgoda.\u000bNowa polisa do 7 dni.\u000cDziękujemy."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    portal_request = PortalRequest.objects.get(pk=submitted["id"])
    assert portal_request.decision_reason == "Tak, zgoda.\nNowa polisa do 7 dni.\nDziękujemy."
    assert portal_request.decision_document is not None
    assert "Nowa polisa do 7 dni." in docx_text(portal_request.decision_document)


@pytest.mark.parametrize("control", ["\u001f", "\u0008", "\u0001", "\u007f"])
def test_other_control_characters_are_refused_next_to_the_field(
    control, api_as, client_user, bok_staff, acme_contract
):
    submitted = submit(api_as(client_user), "other_request", acme_contract)
    staff = api_as(bok_staff)

    approved = staff.post(
        f"/api/staff/requests/{submitted['id']}/approve/", {"answer": f"Tak{control}zgoda"}, format="json"
    )
    rejected = staff.post(
        f"/api/staff/requests/{submitted['id']}/reject/", {"reason": f"Brak{control}podstaw"}, format="json"
    )

    assert approved.status_code == 400
    assert approved.json()["fields"]["answer"] == [
        "Usuń znaki sterujące: zachować można tylko litery, podziały wierszy i tabulatory."
    ]
    assert rejected.status_code == 400
    assert "reason" in rejected.json()["fields"]
    assert PortalRequest.objects.get(pk=submitted["id"]).decided_at is None


def test_a_text_stored_with_control_characters_still_renders():
    """A decision decided before the fields refused them: the worker renders it instead of failing forever."""
    with blank_document(title="Decyzja") as doc:
        add_paragraph(doc, "Zgoda.\u000bPolisa\u001f do\u0008 7 dni.\ufffe")
        content = save_docx(doc)

    (paragraph,) = DocxDocument(io.BytesIO(content)).paragraphs
    assert paragraph.text == "Zgoda.\nPolisa do 7 dni."
