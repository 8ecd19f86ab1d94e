"""Submit and decide requests as their users do, through the API, and read what a decision left behind."""

from __future__ import annotations

import io
import re

from docx import Document as DocxDocument

from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import visible_text
from tests.requests_app.helpers import submission, upload

__all__ = ["approve", "decision_text", "page_text", "submit", "submit_value_change", "visible_text"]


def submit(api, kind: str, contract, data: dict, **headers):
    return api.post(
        "/api/requests/", submission(kind, contract=contract, data=data), format="json", **headers
    )


def submit_value_change(api, contract, net_amount: str):
    attachment_id = upload(api).json()["id"]
    body = submission(
        "contract_value_change",
        contract=contract,
        data={"option": "additional_equipment", "net_amount": net_amount, "currency": contract.currency},
        attachment_ids=[attachment_id],
    )
    return api.post("/api/requests/", body, format="json")


def approve(staff_api, request_id: int, body: dict | None = None):
    return staff_api.post(f"/api/staff/requests/{request_id}/approve/", body or {}, format="json")


def decision_text(request_id: int) -> str:
    """The paragraphs of the request's decision document (rendered at once: tasks run eagerly in tests)."""
    document = PortalRequest.objects.get(pk=request_id).decision_document
    with document.file.open("rb") as handle:
        return "\n".join(p.text for p in DocxDocument(io.BytesIO(handle.read())).paragraphs)


def page_text(client, url: str) -> str:
    """The page's visible text on one line: runs of spaces and line breaks as one space; the non-breaking
    spaces of amounts ("1 234,56 zł") kept, as the money formatter writes them."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return re.sub(r"[ \t\r\n]+", " ", visible_text(response.content.decode()))
