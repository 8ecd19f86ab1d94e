"""Builders of valid request submissions for the flow tests."""

from __future__ import annotations

import io
import zipfile

from backend.requests_app.catalogue import KIND_DECLARATIONS

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def all_declarations(kind: str) -> dict[str, bool]:
    return dict.fromkeys(KIND_DECLARATIONS[kind], True)


def contact() -> dict:
    return {"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": "anna.kowalska@acme.pl"}


def submission(kind: str, *, contract=None, data: dict | None = None, attachment_ids=None) -> dict:
    body = {
        "kind": kind,
        "contact": contact(),
        "declarations": all_declarations(kind),
        "data": data or {},
        "attachment_ids": attachment_ids or [],
    }
    if contract is not None:
        body["contract_id"] = contract.pk
    return body


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(api, content: bytes = PDF_BYTES, name: str = "skan.pdf", query: str = ""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.post(
        f"/api/requests/attachments/{query}",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
        format="multipart",
    )


def contract_free_for(kind: str, contract):
    """`contract`, or another contract of its client when it already has an open request of `kind`: a
    contract takes one open request of each contract-changing kind at a time, and tests that need several
    running instances of one process put each on a contract of its own."""
    from backend.requests_app.catalogue import KINDS_CHANGING_CONTRACT
    from backend.requests_app.selectors import open_request_of_kind
    from tests.factories import ContractFactory

    if (
        kind not in KINDS_CHANGING_CONTRACT
        or open_request_of_kind(contract_id=contract.pk, kind=kind) is None
    ):
        return contract
    return ContractFactory(client=contract.client)
