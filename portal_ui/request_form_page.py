"""What a request form's page shows: the values it starts with, the contracts it offers (one with an open
request of a contract-changing kind named and not offered), the labels and the rest of its context."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.contracts.models import Contract
from backend.core.identifiers import format_iban
from backend.core.language import active_lang
from backend.core.money import (
    amount_format_hint,
    format_amount,
    format_date,
    format_money,
)
from backend.requests_app.catalogue import (
    CURRENCIES,
    DECLARATIONS,
    INSTALLMENT_OPTIONS,
    KIND_DECLARATIONS,
    KIND_TYPE,
    KINDS_CHANGING_CONTRACT,
    KINDS_NEEDING_ATTACHMENT,
    KINDS_NEEDING_CONTRACT,
    PAYMENT_DAY_REASONS,
    PAYMENT_DAYS,
    VALUE_CHANGE_OPTIONS,
)
from backend.requests_app.change_plans import CLIENT_DATA_FIELDS, replanned_installments
from backend.requests_app.models import RequestKind
from backend.requests_app.selectors import open_requests_of_kind_on
from backend.requests_app.validation import input_max_lengths
from portal_ui.error_summary import error_summary
from portal_ui.request_display import client_field_label
from portal_ui.request_form_input import KIND_FIELDS

# Kinds that may be about one of the client's contracts, or none (the API takes `contract_id` for any kind).
KINDS_WITH_OPTIONAL_CONTRACT = {RequestKind.OTHER_REQUEST}


def initial_values(request: HttpRequest, kind: RequestKind, contracts: list) -> dict:
    user = request.user
    values: dict = {
        "contact__name": user.get_full_name(),
        "contact__phone": user.phone,  # the user's own number, which they may change for this request
        "contact__email": user.email,
    }
    wanted = request.GET.get("contract", "")
    # An optional contract (another matter) is chosen by the user, never preselected.
    default = contracts[0] if contracts and kind in KINDS_NEEDING_CONTRACT else None
    chosen = next((c for c in contracts if str(c.pk) == wanted), default)
    values["contract_id"] = str(chosen.pk) if chosen else ""
    # No payment day is preselected: the current one is shown but not offered (_payment_day_notes).
    if kind == RequestKind.CONTRACT_VALUE_CHANGE:
        values["data__currency"] = chosen.currency if chosen else "PLN"
    if kind == RequestKind.SCHEDULE_CHANGE:
        values["data__installment_option"] = "auto"
    if kind == RequestKind.CLIENT_DATA_CHANGE:
        for field in CLIENT_DATA_FIELDS:
            values[f"data__{field}"] = getattr(request.active_client, field, "") or ""
        values["data__bank_account"] = format_iban(values["data__bank_account"])
    return values


def mark_open_requests(kind: RequestKind, contracts: list[Contract]) -> list[Contract]:
    """Set `open_request` on each contract (its open request of `kind`, or None) and return those that
    have one: a kind that changes a contract takes one open request of it per contract
    (requests_app.validation.contract_refusal)."""
    found = {}
    if kind in KINDS_CHANGING_CONTRACT and contracts:
        found = open_requests_of_kind_on(contract_ids=[c.pk for c in contracts], kind=kind)
    for contract in contracts:
        contract.open_request = found.get(contract.pk)
    return [c for c in contracts if c.open_request is not None]


def installment_table_rows(contracts: list[Contract]) -> dict[str, list[dict[str, str]]]:
    """Per contract, the installments a schedule change re-plans as they are now, formatted for the
    table of new amounts (request_form.js builds it; without JS the text box of amounts remains)."""
    lang, today = active_lang(), timezone.localdate()
    return {
        str(contract.pk): [
            {
                "number": str(row.number),
                "due": format_date(row.due_date, lang=lang),
                "net": format_amount(row.net, lang=lang),
                "net_display": format_money(row.net, contract.currency, lang=lang),
            }
            for row in replanned_installments(contract, today=today)
        ]
        for contract in contracts
    }


def form_labels(kind: RequestKind) -> dict[str, str]:
    """The inputs of the submit form in the order the page shows them, with their labels."""
    kind_labels = {
        "payment_day": _("New payment day of the installment"),
        "reason": _("Reason"),
        "reason_other": _("Describe the reason"),
        "option": _("What changes"),
        "net_amount": _("Net amount after the change"),
        "currency": _("Currency"),
        # The form's own label; its catalogue entry has the template's escaped percent sign.
        "residual_percent": _("New final (residual) value %%").replace("%%", "%"),
        "months": _("New lease period (months)"),
        "installment_option": _("Installment"),
        "net_installments": _("New net installment amounts"),
        "subject": _("Subject"),
        "message": _("Message"),
    }
    labels: dict[str, str] = {}
    if kind in KINDS_NEEDING_CONTRACT or kind in KINDS_WITH_OPTIONAL_CONTRACT:
        labels["contract_id"] = _("Contract")
    for field in KIND_FIELDS[kind]:
        if field in CLIENT_DATA_FIELDS:
            labels[f"data__{field}"] = client_field_label(field)
        else:
            labels[f"data__{field}"] = str(kind_labels[field])
    labels["contact__name"] = _("Name and surname")
    labels["contact__phone"] = _("Phone")
    labels["contact__email"] = _("E-mail")
    for code in KIND_DECLARATIONS[kind]:
        labels[f"declarations__{code}"] = str(DECLARATIONS[code])
    labels["attachment_ids"] = _("Attachments")
    return labels


def form_context(kind, values, errors, attachments, contracts, key) -> dict:
    max_lengths = input_max_lengths(kind)
    chosen = next((c for c in contracts if str(c.pk) == values.get("contract_id")), None)
    return {
        "error_summary": error_summary(errors, form_labels(kind), id_prefix="f-"),
        "max_lengths": max_lengths,
        "kind": kind,
        "kind_type": KIND_TYPE[kind],
        "values": values,
        "errors": errors,
        "attachments": attachments,
        "contracts": contracts,
        "chosen_type": chosen.type if chosen is not None else "",  # a loan's form has no final value
        "needs_contract": kind in KINDS_NEEDING_CONTRACT,
        "optional_contract": kind in KINDS_WITH_OPTIONAL_CONTRACT,
        "needs_attachment": kind in KINDS_NEEDING_ATTACHMENT,
        "declarations": [(code, DECLARATIONS[code]) for code in KIND_DECLARATIONS[kind]],
        "payment_days": [str(day) for day in PAYMENT_DAYS],
        "current_payment_day": str(chosen.payment_day) if chosen is not None else "",
        "payment_day_notes": _payment_day_notes(chosen) if kind == RequestKind.PAYMENT_DATE_CHANGE else {},
        "reasons": list(PAYMENT_DAY_REASONS.items()),
        "value_options": list(VALUE_CHANGE_OPTIONS.items()),
        "installment_options": list(INSTALLMENT_OPTIONS.items()),
        # Every currency the API takes, the chosen contract's preselected (initial_values; request_form.js
        # preselects another contract's when the choice changes).
        "currencies": CURRENCIES,
        "idempotency_key": key,
        # The hints' examples are written as the page's language writes numbers, which the form then reads.
        "amount_example": format_amount(Decimal("125000"), lang=active_lang()),
        "installment_example": format_amount(Decimal("1250"), lang=active_lang()),
        "number_format_hint": amount_format_hint(),
        "client_fields": _client_field_rows(values, errors, max_lengths)
        if kind == RequestKind.CLIENT_DATA_CHANGE
        else [],
    }


def _payment_day_notes(chosen: Contract | None) -> dict[str, str]:
    """What the payment day hint says of the chosen contract's current day, which is never preselected: a
    day the API would refuse as no change (its option is shown disabled, "(current)"). `template` keeps
    "{day}" for request_form.js, which says it again when another contract is chosen."""
    notes = {"template": _("The contract's current payment day is {day}: choose a different one.")}
    if chosen is not None:
        notes["current"] = notes["template"].replace("{day}", str(chosen.payment_day))
    return notes


def _client_field_rows(values: dict, errors: dict, max_lengths: dict[str, int]) -> list[dict]:
    rows = []
    for field in CLIENT_DATA_FIELDS:
        name = f"data__{field}"
        rows.append(
            {
                "name": name,
                "label": client_field_label(field),
                "value": values.get(name, ""),
                "errors": errors.get(name, []),
                "maxlength": max_lengths.get(name),
                "type": "email" if field == "email" else ("tel" if field == "phone" else "text"),
                # A whole row: a column of three is too narrow for "PL16 1160 2202 0000 0000 0100 0004".
                "wide": field == "bank_account",
            }
        )
    return rows
