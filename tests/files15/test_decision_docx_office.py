"""A decision letter or annex downloaded from the API is a Polish office document: A4 page, Polish
proofing, its own title, author (the lessor) and creation time, and an annex names both parties."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document as DocxDocument

from backend.core.lessor import get_lessor
from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve, submit
from tests.staff_walk14.helpers import submit_other

pytestmark = pytest.mark.django_db


def approved_annex(api_as, client_user, bok_staff, contract) -> tuple[PortalRequest, bytes]:
    submitted = submit(
        api_as(client_user), "payment_date_change", contract, {"payment_day": 20, "reason": "cash_flow"}
    )
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]
    assert approve(api_as(bok_staff), request_id).status_code == 200
    response = api_as(client_user).get(f"/api/requests/{request_id}/decision-document/")
    assert response.status_code == 200
    return PortalRequest.objects.get(pk=request_id), b"".join(response.streaming_content)


def test_an_annex_is_an_a4_polish_document_titled_and_authored_by_the_lessor(
    api_as, client_user, bok_staff, acme_contract
):
    before = timezone.now().replace(microsecond=0)
    portal_request, content = approved_annex(api_as, client_user, bok_staff, acme_contract)

    document = DocxDocument(io.BytesIO(content))
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert section.left_margin.cm >= 2 and section.top_margin.cm >= 2
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        styles = package.read("word/styles.xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert re.findall(r'<w:lang w:val="([^"]+)"', styles) == ["pl-PL"]
    assert 'w:themeFontLang w:val="pl-PL"' in settings
    properties = document.core_properties
    lessor = get_lessor().name
    assert properties.title == f"Aneks do umowy {acme_contract.number} (wniosek {portal_request.number})"
    assert (properties.author, properties.last_modified_by) == (lessor, lessor)
    assert "python-docx" not in f"{properties.author} {properties.comments}"
    assert before - timedelta(seconds=1) <= properties.created <= timezone.now()


def test_an_annex_names_both_parties_and_how_it_was_concluded(
    api_as, client_user, bok_staff, acme, acme_contract
):
    portal_request, content = approved_annex(api_as, client_user, bok_staff, acme_contract)

    text = [paragraph.text for paragraph in DocxDocument(io.BytesIO(content)).paragraphs]
    lessor = get_lessor()
    assert "Strony aneksu:" in text
    assert any(
        line.startswith(f"Finansujący: {lessor.name}") and "NIP 759-572-40-19" in line for line in text
    )
    assert any(line.startswith(f"Korzystający: {acme.name}, NIP ") for line in text)
    assert any(
        f"wniosek nr {portal_request.number}" in line and "w formie elektronicznej" in line for line in text
    )
    assert any("wygenerowany elektronicznie" in line for line in text)


def test_a_decision_letter_names_the_lessor_who_sends_it(api_as, client_user, bok_staff, acme_contract):
    request_id = submit_other(api_as(client_user), acme_contract)
    rejected = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/reject/", {"reason": "Brak podstaw."}, format="json"
    )
    assert rejected.status_code == 200, rejected.json()
    response = api_as(client_user).get(f"/api/requests/{request_id}/decision-document/")

    document = DocxDocument(io.BytesIO(b"".join(response.streaming_content)))
    assert any(p.text.startswith(f"Od: {get_lessor().name}") for p in document.paragraphs)
    assert document.core_properties.author == get_lessor().name
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.1)
