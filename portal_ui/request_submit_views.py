"""Submitting a request: step 1 (the type, then its kind) and step 2 (the kind's form) of the wizard.

The page only collects what the user typed and shows what came back: the rules are the API's
(RequestSubmitInputSerializer, backend/requests_app/validation.py) and the submit is the API's
(backend/requests_app/submission.py). Field names in the HTML are the API's field paths with "__" for
"." ("data__payment_day"), so an error of `data.payment_day` lands next to its input.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.clients.access_rules import Area
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.contracts.selectors import list_contracts_for_client, open_to_changes, with_kept_installments
from backend.core.exceptions import PortalError
from backend.core.filters import parse_id
from backend.core.identifiers import format_iban
from backend.core.language import active_lang
from backend.core.money import (
    AmountFormatError,
    amount_format_hint,
    format_amount,
    format_date,
    format_money,
    parse_amount,
)
from backend.requests_app import services
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
from backend.requests_app.models import RequestAttachment, RequestKind, RequestType
from backend.requests_app.selectors import open_requests_of_kind_on
from backend.requests_app.submission import previous_submit, submit_validated
from backend.requests_app.submit_schema import integer_data_fields
from backend.requests_app.terms import decision_time_text, fee_text, request_terms
from backend.requests_app.validation import RequestSubmitInputSerializer, input_max_lengths
from portal_ui.access import client_area_required
from portal_ui.acting_for import acting_for_checked, switch_notice, switched_away_from
from portal_ui.error_summary import error_summary, form_errors
from portal_ui.page_limits import counted
from portal_ui.request_attachments import posted_attachments
from portal_ui.request_display import DECIMAL_FIELDS, client_field_label

# The kind's own inputs, in the order of the form (names inside `data`).
KIND_FIELDS = {
    RequestKind.PAYMENT_DATE_CHANGE: ["payment_day", "reason", "reason_other"],
    RequestKind.CONTRACT_VALUE_CHANGE: ["option", "net_amount", "currency"],
    RequestKind.SCHEDULE_CHANGE: ["residual_percent", "months", "installment_option", "net_installments"],
    RequestKind.CLIENT_DATA_CHANGE: list(CLIENT_DATA_FIELDS),
    RequestKind.OTHER_REQUEST: ["subject", "message"],
    RequestKind.COMPLAINT: ["subject", "message"],
}


# Kinds that may be about one of the client's contracts, or none (the API takes `contract_id` for any kind).
KINDS_WITH_OPTIONAL_CONTRACT = {RequestKind.OTHER_REQUEST}


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


def _kind_or_404(kind: str) -> RequestKind:
    if kind not in RequestKind.values:
        raise Http404
    return RequestKind(kind)


@client_area_required(Area.REQUESTS)
def request_new(request: HttpRequest) -> HttpResponse:
    """Step 1: the request type, then its kind. `?kind=` (e.g. from "Zmień dane") skips to step 2."""
    kind = request.GET.get("kind", "")
    if kind in RequestKind.values:
        url = reverse("request-new-kind", args=[kind])
        contract_id = parse_id(request.GET.get("contract"))
        if contract_id is not None:
            url += f"?contract={contract_id}"
        return redirect(url)
    terms = request_terms()
    types = []
    for request_type in RequestType:
        kinds = [
            {
                "value": kind.value,
                "label": kind.label,
                "fee": fee_text(terms[kind.value]),
                "decision_time": decision_time_text(terms[kind.value]),
            }
            for kind, kind_type in KIND_TYPE.items()
            if kind_type == request_type
        ]
        types.append({"type": request_type, "kinds": kinds})
    return render(request, "portal_ui/requests/new_step1.html", {"types": types})


def _initial_values(request: HttpRequest, kind: RequestKind, contracts: list) -> dict:
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


def _posted_values(post, kind: RequestKind) -> dict:
    values = {key: post.get(key, "") for key in ("contract_id", "contact__name", "contact__phone")}
    values["contact__email"] = post.get("contact__email", "")
    for field in KIND_FIELDS[kind]:
        values[f"data__{field}"] = post.get(f"data__{field}", "")
    for code in KIND_DECLARATIONS[kind]:
        values[f"declarations__{code}"] = post.get(f"declarations__{code}") == "on"
    return values


def _payload(values: dict, kind: RequestKind, attachment_ids: list[int]) -> tuple[dict, dict[str, list[str]]]:
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


@acting_for_checked(shows_form_again=Area.REQUESTS, draft_key=lambda kwargs: f"request:{kwargs['kind']}")
@client_area_required(Area.REQUESTS)
@counted("submissions")
def request_new_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """Step 2: the kind's form, contact person, declarations and attachments."""
    kind = _kind_or_404(kind)
    if kind == RequestKind.EARLY_TERMINATION:
        # A buyout starts from a quote of one contract (portal_ui/buyout_views.py), not from this form.
        return redirect("buyout-start")
    client = request.active_client
    errors: dict[str, list[str]] = {}
    attachments: list[RequestAttachment] = []
    values, key, switched = None, "", {}
    if request.method == "POST" and (previous_client := switched_away_from(request)) is not None:
        # Shown for another company before a tab switched: nothing is sent, nor any file stored, for
        # either (company A's address or IBAN filed as company B's data change); the form comes back.
        values = _posted_values(request.POST, kind)
        switched = switch_notice(request, previous_client, draft_key=f"request:{kind.value}")
    elif request.method == "POST":
        key = request.POST.get("idempotency_key", "").strip()[:128]
        previous = previous_submit(user=request.user, client=client, idempotency_key=key)
        if previous is not None:
            # A double click, a reload or Back and send again (form_keys.js): show the request the first
            # post made, saying that this send made nothing.
            messages.info(request, already_sent_text(previous.number))
            return redirect("request-page", request_id=previous.pk)
        values = _posted_values(request.POST, kind)
        attachments, problems = posted_attachments(request, client=client)
        payload, unreadable = _payload(values, kind, [a.pk for a in attachments])
        if problems or unreadable:
            # A rejected file or an unreadable number stops the submit, not the checks: every error of the
            # form is shown at once, as on the new message form (message_views._checked_input).
            refused = _refusal(payload, client)
        else:
            refused = submit_posted(request, client=client, payload=payload, idempotency_key=key)
            if isinstance(refused, HttpResponse):
                return refused
        errors = {**all_form_errors(refused, payload, client), **unreadable}
        if kind == RequestKind.PAYMENT_DATE_CHANGE and not values["data__payment_day"]:
            # The API takes the current day, refused as no change only once the rest passes: ask at once.
            errors["data__payment_day"] = [_("Choose the new payment day.")]
        if problems:
            # The rejected file's own message says more than "attach at least one document".
            errors["attachment_ids"] = problems
    # The contracts are read only for the form shown, not for a successful post.
    contracts = list_contracts_for_client(client=client)
    if kind in KINDS_CHANGING_CONTRACT:  # only the contracts such a request may be about (the API's rule)
        contracts = open_to_changes(contracts)
    contracts = list(contracts)
    if kind == RequestKind.SCHEDULE_CHANGE:  # the fill button's count of amounts (request_form.js)
        with_kept_installments(contracts, today=timezone.localdate())
    taken = _mark_open_requests(kind, contracts)
    refused_contract = None
    if values is None:
        # Said before the form is filled in, not only by the submit's refusal: a contract with an open
        # request of the kind is not offered, and one asked for (`?contract=`) gets no form at all.
        wanted = request.GET.get("contract", "")
        refused_contract = next((c for c in taken if str(c.pk) == wanted), None)
        values = _initial_values(request, kind, [c for c in contracts if c.open_request is None])
    elif any(str(c.pk) == values["contract_id"] for c in taken):
        # The race: the contract's request went in from another tab after this form was shown. Its option
        # is now disabled, and a disabled option left selected sends no contract at all: the select asks
        # for a choice instead, and its error names the open request (the submit's refusal).
        values["contract_id"] = ""
    context = _form_context(kind, values, errors, attachments, contracts, key or str(uuid.uuid4()))
    context |= {
        "taken_contracts": taken,
        "refused_contract": refused_contract,
        # Nothing left to choose (a failed post keeps its form and the typed input, with the refusal).
        "form_hidden": request.method == "GET"
        and (refused_contract is not None or (taken and len(taken) == len(contracts))),
    }
    if kind == RequestKind.SCHEDULE_CHANGE:
        context["installment_rows"] = _installment_table_rows(contracts)
    return render(
        request,
        "portal_ui/requests/new_step2.html",
        context | switched,
        status=409 if switched else 400 if errors else 200,
    )


def _mark_open_requests(kind: RequestKind, contracts: list[Contract]) -> list[Contract]:
    """Set `open_request` on each contract (its open request of `kind`, or None) and return those that
    have one: a kind that changes a contract takes one open request of it per contract
    (requests_app.validation.contract_refusal)."""
    found = {}
    if kind in KINDS_CHANGING_CONTRACT and contracts:
        found = open_requests_of_kind_on(contract_ids=[c.pk for c in contracts], kind=kind)
    for contract in contracts:
        contract.open_request = found.get(contract.pk)
    return [c for c in contracts if c.open_request is not None]


def _installment_table_rows(contracts: list[Contract]) -> dict[str, list[dict[str, str]]]:
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


def already_sent_text(number: str) -> str:
    return _("This form had already been sent as request %(number)s: nothing was sent a second time.") % {
        "number": number
    }


# Stands in for the contact person when its own errors stopped the serializer before the cross-field
# checks, so that the user sees every error of the form at once.
PLACEHOLDER_CONTACT = {"name": "-", "phone": "600000000", "email": "placeholder@example.com"}


def submit_posted(
    request: HttpRequest, *, client: Client, payload: dict, idempotency_key: str
) -> HttpResponse | dict | PortalError:
    """Validate a request form's payload with the API's serializer and submit it (shared by every form).

    Returns the redirect to the new request, or what refused it (the serializer's errors or the service's
    error) for the caller to show next to the inputs.
    """
    serializer = RequestSubmitInputSerializer(data=payload, context={"client": client})
    if not serializer.is_valid():
        return serializer.errors
    try:
        portal_request, _created = submit_validated(
            user=request.user,
            client=client,
            validated=serializer.validated_data,
            idempotency_key=idempotency_key,
            fingerprint=services.request_fingerprint(payload) if idempotency_key else "",
        )
    except PortalError as exc:
        return exc
    messages.success(request, _("Request %(number)s has been sent.") % {"number": portal_request.number})
    return redirect("request-page", request_id=portal_request.pk)


def _refusal(payload: dict, client: Client) -> dict:
    """What the API's serializer refuses in the payload ({} for nothing), without submitting it."""
    serializer = RequestSubmitInputSerializer(data=payload, context={"client": client})
    return {} if serializer.is_valid() else serializer.errors


def all_form_errors(refused: dict | PortalError, payload: dict, client) -> dict[str, list[str]]:
    """Every error of the form at once: a contact error stops the serializer before its other checks, so
    they are asked again with a placeholder contact (the user sees all problems in one round)."""
    errors = form_errors(refused)
    if isinstance(refused, dict) and "contact" in refused:
        second = RequestSubmitInputSerializer(
            data={**payload, "contact": PLACEHOLDER_CONTACT}, context={"client": client}
        )
        if not second.is_valid():
            # The second pass ran every check: its message of a field replaces the first's (where only the
            # schema spoke, "required", the serializer's own rule says more).
            for name, messages_ in form_errors(second.errors).items():
                if not name.startswith("contact"):
                    errors[name] = messages_
    return errors


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


def _form_context(kind, values, errors, attachments, contracts, key) -> dict:
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
        # Every currency the API takes, the chosen contract's preselected (_initial_values; request_form.js
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
