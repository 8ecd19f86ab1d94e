"""Submit and decide requests as their users do, through the API, and read what a decision left behind."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.utils import timezone
from docx import Document as DocxDocument

from backend.contracts.models import BuyoutQuote
from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import visible_text
from tests.requests_app.helpers import all_declarations, contact, submission, upload

__all__ = [
    "approve",
    "buy_out",
    "decision_text",
    "new_buyout_quote",
    "page_text",
    "request_buyout",
    "submit",
    "submit_value_change",
    "visible_text",
]


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


def new_buyout_quote(api, contract, *, days_ahead: int = 20) -> dict:
    """The client's buyout quote for a date `days_ahead` days from today (the 201 body)."""
    effective = timezone.localdate() + timedelta(days=days_ahead)
    response = api.post(
        f"/api/contracts/{contract.pk}/buyout-quotes/",
        {"effective_date": effective.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def request_buyout(api, contract, quote_id: int):
    """The early termination request the client submits with the quote (the response)."""
    return api.post(
        f"/api/contracts/{contract.pk}/buyout-quotes/{quote_id}/request/",
        {"contact": contact(), "declarations": all_declarations("early_termination")},
        format="json",
    )


def buy_out(client_api, staff_api, contract) -> tuple[int, BuyoutQuote]:
    """The contract's buyout 20 days ahead, requested by the client and approved: (request id, quote)."""
    quote = new_buyout_quote(client_api, contract)
    submitted = request_buyout(client_api, contract, quote["id"])
    assert submitted.status_code == 201, submitted.json()
    assert approve(staff_api, submitted.json()["id"]).status_code == 200
    return submitted.json()["id"], BuyoutQuote.objects.get(pk=quote["id"])
