"""The decision document of a request: an annex to the contract or a decision letter, as DOCX.

Made with python-docx, stored through backend.documents (random name under MEDIA_ROOT) as a Document
of the client and contract, so it appears on the client's Documents screen.
"""

from __future__ import annotations

import copy
import hashlib
import io
import threading
from functools import cache

from django.utils import timezone
from docx import Document as DocxDocument
from docx.document import Document as DocxDocumentType
from docx.shared import Pt

from backend.core.identifiers import format_nip
from backend.core.money import format_date
from backend.documents.models import Document
from backend.documents.uploads import CONTENT_TYPES, store_bytes
from backend.requests_app.models import PortalRequest, RequestEvent, RequestKind

# Official documents are in Polish whatever the user's interface language.
KIND_TITLES_PL = {
    RequestKind.PAYMENT_DATE_CHANGE: "zmiany daty płatności raty",
    RequestKind.CONTRACT_VALUE_CHANGE: "zmiany wartości umowy / doposażenia",
    RequestKind.SCHEDULE_CHANGE: "zmiany harmonogramu",
    RequestKind.CLIENT_DATA_CHANGE: "zmiany danych klienta",
    RequestKind.OTHER_REQUEST: "innej sprawy",
}
ANNEX_KINDS = {
    RequestKind.PAYMENT_DATE_CHANGE,
    RequestKind.CONTRACT_VALUE_CHANGE,
    RequestKind.SCHEDULE_CHANGE,
}


def document_title(portal_request: PortalRequest, *, outcome: str) -> tuple[str, str]:
    """Return (Document kind, title)."""
    if outcome == "approved" and portal_request.kind in ANNEX_KINDS and portal_request.contract_id:
        return (
            Document.Kind.ANNEX,
            f"Aneks do umowy {portal_request.contract.number} (wniosek {portal_request.number})",
        )
    return Document.Kind.DECISION, f"Decyzja w sprawie wniosku {portal_request.number}"


_template_lock = threading.Lock()


@cache
def _parsed_template() -> DocxDocumentType:
    """python-docx's default template, parsed once per process (about 45 ms) and never changed."""
    template = DocxDocument()
    template.styles["Normal"].font.size = Pt(11)
    return template


def blank_document() -> DocxDocumentType:
    """A fresh document to fill in: a deep copy of the parsed template costs a sixth of parsing it again."""
    with _template_lock:  # one reader of the shared tree at a time
        return copy.deepcopy(_parsed_template())


def render_docx(
    portal_request: PortalRequest, *, outcome: str, reason: str, answer: str, summary: list[str]
) -> bytes:
    kind, title = document_title(portal_request, outcome=outcome)
    today = timezone.localdate()
    doc = blank_document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"Data: {format_date(today)}")
    client = portal_request.client
    doc.add_paragraph(f"Klient: {client.name}, NIP {format_nip(client.nip)}")
    if portal_request.contract_id:
        doc.add_paragraph(f"Umowa: {portal_request.contract.number}")
    doc.add_paragraph(
        f"Dotyczy wniosku nr {portal_request.number} z dnia {format_date(portal_request.created_at)} "
        f"w sprawie {KIND_TITLES_PL[portal_request.kind]}."
    )
    if outcome == "approved":
        doc.add_heading("Decyzja: wniosek został rozpatrzony pozytywnie.", level=2)
        if kind == Document.Kind.ANNEX:
            doc.add_paragraph("Strony zgodnie postanawiają wprowadzić do umowy następujące zmiany:")
        for line in summary:
            doc.add_paragraph(line, style="List Bullet")
        if answer:
            doc.add_paragraph(f"Odpowiedź: {answer}")
        if kind == Document.Kind.ANNEX:
            doc.add_paragraph("Pozostałe postanowienia umowy pozostają bez zmian.")
    else:
        doc.add_heading("Decyzja: wniosek został rozpatrzony negatywnie.", level=2)
        doc.add_paragraph(f"Uzasadnienie: {reason}")
    doc.add_paragraph("Dokument wygenerowany w Portalu Klienta.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def issue_decision_document(
    portal_request: PortalRequest,
    *,
    outcome: str,
    reason: str = "",
    answer: str = "",
    summary: list[str] | None = None,
) -> Document:
    """Render, store and link the decision document; write a history row."""
    content = render_docx(
        portal_request, outcome=outcome, reason=reason, answer=answer, summary=summary or []
    )
    kind, title = document_title(portal_request, outcome=outcome)
    path = store_bytes(content, folder="documents/decisions", extension="docx")
    document = Document.objects.create(
        client_id=portal_request.client_id,
        contract_id=portal_request.contract_id,
        kind=kind,
        title=title,
        file=path,
        original_name=f"{portal_request.number.replace('/', '-')}-{kind}.docx",
        content_type=CONTENT_TYPES["docx"],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        issued_on=timezone.localdate(),
    )
    PortalRequest.objects.filter(pk=portal_request.pk).update(decision_document=document)
    RequestEvent.objects.create(
        request=portal_request,
        kind=RequestEvent.Kind.DOCUMENT,
        author=RequestEvent.Author.SYSTEM,
        stage=portal_request.stage,
        message=title,
        data={"document_id": document.pk, "document_kind": kind},
    )
    return document
