"""Example bodies of the request API's writes, shown in the OpenAPI schema (/api/docs/).

Real values: the submit is a payment day change as the catalogue's `form_schema` and `declarations` of that
kind give it (bpmn/forms/payment_date_change/submit.json); `task_id` is `current_task.id` of the request.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

_TASK_ID = "5f0c6b8e-2a4d-4c3e-9b1a-7d2e8f9a0c11"

SUBMIT_EXAMPLES = [
    OpenApiExample(
        "Payment day change",
        description=(
            "The fields of `data` and the declaration codes come from GET /api/requests/catalogue/: the kind's"
            " `form_schema` and `declarations`. `attachment_ids` are ids from POST /api/requests/attachments/."
        ),
        value={
            "kind": "payment_date_change",
            "contract_id": 42,
            "contact": {
                "name": "Anna Kowalska",
                "phone": "+48 600 100 200",
                "email": "anna.kowalska@example.com",
            },
            "declarations": {"data_true": True, "privacy_notice": True, "fees": True, "authorised": True},
            "data": {"payment_day": 20, "reason": "revenue_date"},
            "attachment_ids": [],
        },
        request_only=True,
    )
]

REPLY_EXAMPLES = [
    OpenApiExample(
        "Answer to staff's question",
        value={
            "task_id": _TASK_ID,
            "message": "The signed annex is attached.",
            "attachment_ids": [311],
        },
        request_only=True,
    )
]

COMMENT_EXAMPLES = [
    OpenApiExample(
        "Comment",
        value={"message": "Please call me after 14:00.", "attachment_ids": []},
        request_only=True,
    )
]

ASK_CLIENT_EXAMPLES = [
    OpenApiExample(
        "Question to the client",
        value={
            "task_id": _TASK_ID,
            "question": "Please send the signed consent of the co-borrower.",
            "attachment_ids": [],
        },
        request_only=True,
    )
]

APPROVE_EXAMPLES = [
    OpenApiExample(
        "Approval",
        value={
            "task_id": _TASK_ID,
            "answer": "We agree to move the payment day to the 20th from the next installment.",
            "comment": "",
            "attachment_ids": [],
        },
        request_only=True,
    ),
    OpenApiExample(
        "Approval of a price in another currency",
        description="A contract value change priced in EUR on a PLN contract: 1 EUR = 4.2800 PLN (NBP table A "
        "of the date, as NBP publishes it); the contract's value becomes the price × 4.2800, rounded half-up to "
        "grosze. A PLN price on a EUR contract takes the same rate and is divided by it; EUR on CHF adds "
        "`contract_rate` (1 CHF in PLN).",
        value={
            "task_id": _TASK_ID,
            "answer": "We agree to the new price, converted at the NBP mid rate.",
            "exchange_rate": "4.2800",
            "rate_date": "2026-11-27",
            "attachment_ids": [],
        },
        request_only=True,
    ),
]

REJECT_EXAMPLES = [
    OpenApiExample(
        "Rejection",
        value={
            "task_id": _TASK_ID,
            "reason": "The contract has overdue installments; please settle them first.",
            "attachment_ids": [],
        },
        request_only=True,
    )
]
