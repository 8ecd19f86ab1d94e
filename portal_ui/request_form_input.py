"""What a request form's page posted, read into the body the REST API takes (the submit wizard's input).

Field names in the HTML are the API's field paths with "__" for "." ("data__payment_day"); numbers are read
as the page's language writes them and never guessed (an unreadable one is named, nothing is sent).
"""

from __future__ import annotations

import re

from backend.core.filters import parse_id
from backend.core.language import active_lang
from backend.core.money import AmountFormatError, parse_amount
from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.change_plans import CLIENT_DATA_FIELDS
from backend.requests_app.models import RequestKind
from backend.requests_app.submit_schema import integer_data_fields
from portal_ui.request_display import DECIMAL_FIELDS

# The kind's own inputs, in the order of the form (names inside `data`).
KIND_FIELDS = {
    RequestKind.PAYMENT_DATE_CHANGE: ["payment_day", "reason", "reason_other"],
    RequestKind.CONTRACT_VALUE_CHANGE: ["option", "net_amount", "currency"],
    RequestKind.SCHEDULE_CHANGE: ["residual_percent", "months", "installment_option", "net_installments"],
    RequestKind.CLIENT_DATA_CHANGE: list(CLIENT_DATA_FIELDS),
    RequestKind.OTHER_REQUEST: ["subject", "message"],
    RequestKind.COMPLAINT: ["subject", "message"],
}


def parse_decimal(value: str) -> str:
    """A number typed as the page's language writes it ("700,000.00" / "700 000,00") as the API reads it
    ("700000,00"); AmountFormatError when it is neither. The serializer (AmountField) does the real check,
    so a page and the API say the same of a number: with a decimal comma it reads "1234,567" as the API
    client's own text (too many decimals), where "1234.567" would be a refused thousands dot."""
    return parse_amount(value, lang=active_lang()).replace(".", ",")


def split_amounts(value: str) -> list[str]:
    """Split the new installment amounts typed one per line or separated by ";" (the help text says so;
    request_form.js's preview splits them alike)."""
    return [parse_decimal(part) for part in re.split(r"[;\n]+", value or "") if part.strip()]


def whole_number(value: str) -> int | str:
    """A typed whole number ("24") as the number the API takes; other text as typed, for the checks to
    name (a page's input is always text, the schema wants `24`)."""
    text = value.strip()
    return int(text) if re.fullmatch(r"[+-]?\d{1,9}", text) else text


def posted_values(post, kind: RequestKind) -> dict:
    values = {key: post.get(key, "") for key in ("contract_id", "contact__name", "contact__phone")}
    values["contact__email"] = post.get("contact__email", "")
    for field in KIND_FIELDS[kind]:
        values[f"data__{field}"] = post.get(f"data__{field}", "")
    for code in KIND_DECLARATIONS[kind]:
        values[f"declarations__{code}"] = post.get(f"declarations__{code}") == "on"
    return values


def payload_of(
    values: dict, kind: RequestKind, attachment_ids: list[int]
) -> tuple[dict, dict[str, list[str]]]:
    """Build the submit body exactly as the REST API takes it, and the inputs whose numbers could not be
    read in the page's language (input name → the message saying how to write them)."""
    data: dict = {}
    unreadable: dict[str, list[str]] = {}
    whole_numbers = integer_data_fields(kind)  # typed as numbers in the schema the submit is checked by
    for field in KIND_FIELDS[kind]:
        raw = values.get(f"data__{field}", "")
        if field == "net_installments":
            if values.get("data__installment_option") != "amount":
                continue
        elif not str(raw).strip() and kind != RequestKind.CLIENT_DATA_CHANGE:
            # Missing rather than "": a required choice then says "required", an optional one means "keep".
            continue
        try:
            if field == "net_installments":
                data[field] = split_amounts(raw)
            elif field in whole_numbers:
                data[field] = whole_number(raw)
            else:
                data[field] = parse_decimal(raw) if field in DECIMAL_FIELDS else raw.strip()
        except AmountFormatError as exc:
            # Never guessed (English "700,5" is not 700.50): the form asks again and submits nothing.
            data[field] = raw.strip()
            unreadable[f"data__{field}"] = [str(exc)]
    contract_id = values.get("contract_id", "")
    body = {
        "kind": kind.value,
        "contract_id": parse_id(contract_id),
        "contact": {
            "name": values["contact__name"].strip(),
            "phone": values["contact__phone"].strip(),
            "email": values["contact__email"].strip(),
        },
        "declarations": {code: bool(values.get(f"declarations__{code}")) for code in KIND_DECLARATIONS[kind]},
        "data": data,
        "attachment_ids": attachment_ids,
    }
    return body, unreadable
