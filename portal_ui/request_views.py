"""Client request pages (Wnioski): the list, the two-step submit wizard and the processing view.

The pages only collect what the user typed and show what came back: every rule lives in
backend/requests_app/validation.py and services.py. Field names in the HTML are the API's field paths
with "__" for "." ("data__payment_day"), so an error of `data.payment_day` lands next to its input.
"""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.clients.models import Client
from backend.contracts.selectors import list_contract_choices, list_contracts_for_client
from backend.core.exceptions import NotFound, PortalError, _flatten_drf_detail
from backend.core.filters import parse_id
from backend.core.identifiers import format_iban
from backend.requests_app import selectors, services
from backend.requests_app.catalogue import (
    CURRENCIES,
    DECLARATIONS,
    INSTALLMENT_OPTIONS,
    KIND_DECLARATIONS,
    KIND_TYPE,
    KINDS_NEEDING_ATTACHMENT,
    KINDS_NEEDING_CONTRACT,
    PAYMENT_DAY_REASONS,
    PAYMENT_DAYS,
    VALUE_CHANGE_OPTIONS,
    stage_label,
)
from backend.requests_app.effects import CLIENT_DATA_FIELDS, PREVIOUS_VALUES_KEY
from backend.requests_app.models import (
    OPEN_STATUSES,
    PortalRequest,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RequestType,
)
from backend.requests_app.terms import decision_time_text, fee_text, request_terms
from backend.requests_app.validation import RequestSubmitInputSerializer, input_max_lengths
from portal_ui.access import client_required
from portal_ui.error_summary import error_summary
from portal_ui.sorting import sort_list
from portal_ui.templatetags.portal_format import amount

PAGE_SIZE = 20
# Sortable columns of the list: key → fields in ascending order (choice columns sort by code, so not them).
REQUEST_SORTS = {
    "number": ["number"],
    "contract": ["contract__number"],
    "submitted": ["created_at"],
    "decided": ["decided_at"],
}

# The kind's own inputs, in the order of the form (names inside `data`).
KIND_FIELDS = {
    RequestKind.PAYMENT_DATE_CHANGE: ["payment_day", "reason", "reason_other"],
    RequestKind.CONTRACT_VALUE_CHANGE: ["option", "net_amount", "currency"],
    RequestKind.SCHEDULE_CHANGE: ["residual_percent", "months", "installment_option", "net_installments"],
    RequestKind.CLIENT_DATA_CHANGE: list(CLIENT_DATA_FIELDS),
    RequestKind.OTHER_REQUEST: ["subject", "message"],
}
DECIMAL_FIELDS = {"net_amount", "residual_percent"}


def _field_name(path: str) -> str:
    """Map an error path ("data.net_installments.3") to the input it belongs to ("data__net_installments")."""
    parts = [part for part in path.split(".") if not part.isdigit()]
    return "__".join(parts)


def flatten_errors(detail) -> dict[str, list[str]]:
    """Return the serializer's nested errors keyed by input name."""
    errors: dict[str, list[str]] = {}
    for path, messages_ in _flatten_drf_detail(detail).items():
        errors.setdefault(_field_name(path), []).extend(messages_)
    return errors


def parse_decimal(value: str) -> str:
    """Accept Polish input ("1 234,56") as well as "1234.56"; the serializer does the real check."""
    return re.sub(r"[\s\u00a0']", "", value or "").replace(",", ".")


def split_amounts(value: str) -> list[str]:
    """Split the new installment amounts typed one per line (or separated by ";")."""
    return [parse_decimal(part) for part in re.split(r"[;\n]+", value or "") if part.strip()]


def _kind_or_404(kind: str) -> RequestKind:
    if kind not in RequestKind.values:
        raise Http404
    return RequestKind(kind)


def _request_or_404(request: HttpRequest, request_id: int) -> PortalRequest:
    try:
        return selectors.get_request_for_client(client=request.active_client, request_id=request_id)
    except NotFound as exc:
        raise Http404 from exc


# --------------------------------------------------------------------------------------------------
# List


@client_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Wnioski: the active client's requests with filters, newest first."""
    filters = {key: request.GET.get(key, "") for key in ("status", "kind", "contract")}
    if filters["contract"] and parse_id(filters["contract"]) is None:  # "²" or 2**70: ignored, not a 500
        filters["contract"] = ""
    if filters["status"] == "open":
        queryset = selectors.list_requests_for_client(
            client=request.active_client, filters={**filters, "status": ""}
        ).filter(status__in=OPEN_STATUSES)
    else:
        queryset = selectors.list_requests_for_client(client=request.active_client, filters=filters)
    queryset, sort = sort_list(request, queryset, columns=REQUEST_SORTS, default="-submitted")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for portal_request in page.object_list:
        portal_request.stage_label = stage_label(portal_request.stage)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal_ui/requests/list.html",
        {
            "page": page,
            "sort": sort,
            "filters": filters,
            "filtered": any(filters.values()),
            "query": query.urlencode(),
            "statuses": [("open", _("Open")), *RequestStatus.choices],
            "kinds": RequestKind.choices,
            "contracts": list_contract_choices(client=request.active_client),
        },
    )


# --------------------------------------------------------------------------------------------------
# Wizard


@client_required
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
        "contact__phone": "",
        "contact__email": user.email,
    }
    wanted = request.GET.get("contract", "")
    chosen = next((c for c in contracts if str(c.pk) == wanted), contracts[0] if contracts else None)
    values["contract_id"] = str(chosen.pk) if chosen else ""
    if kind == RequestKind.PAYMENT_DATE_CHANGE and chosen is not None:
        values["data__payment_day"] = str(chosen.payment_day)
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


def _payload(values: dict, kind: RequestKind, attachment_ids: list[int]) -> dict:
    """Build the submit body exactly as the REST API takes it."""
    data: dict = {}
    for field in KIND_FIELDS[kind]:
        raw = values.get(f"data__{field}", "")
        if field == "net_installments":
            if values.get("data__installment_option") == "amount":
                data[field] = split_amounts(raw)
            continue
        if not str(raw).strip() and kind != RequestKind.CLIENT_DATA_CHANGE:
            # Missing rather than "": a required choice then says "required", an optional one means "keep".
            continue
        data[field] = parse_decimal(raw) if field in DECIMAL_FIELDS else raw.strip()
    contract_id = values.get("contract_id", "")
    return {
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


def kept_attachments(request: HttpRequest, ids: list[str], *, client) -> list[RequestAttachment]:
    """The files uploaded with an earlier try of this form, still unused (so a failed submit keeps them)."""
    wanted = [value for value in map(parse_id, ids) if value is not None]
    if not wanted:
        return []
    return list(
        RequestAttachment.objects.filter(
            pk__in=wanted, client=client, uploaded_by=request.user, request__isnull=True
        )
    )


def upload_files(request: HttpRequest, *, client) -> tuple[list[RequestAttachment], list[str]]:
    """Check and store each chosen file; a rejected file gives an error and the others are kept."""
    stored, problems = [], []
    for uploaded in request.FILES.getlist("files"):
        try:
            stored.append(services.upload_attachment(user=request.user, client=client, uploaded=uploaded))
        except PortalError as exc:
            problems.append(exc.message)  # names the file
    return stored, problems


@client_required
def request_new_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """Step 2: the kind's form, contact person, declarations and attachments."""
    kind = _kind_or_404(kind)
    contracts = list(list_contracts_for_client(client=request.active_client))
    errors: dict[str, list[str]] = {}
    attachments: list[RequestAttachment] = []
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "").strip()[:128]
        previous = services.find_idempotent_request(
            user=request.user, client=request.active_client, idempotency_key=key
        )
        if previous is not None:
            # A double click or a reload of the sent form: show the request the first post made.
            return redirect("request-page", request_id=previous.pk)
        values = _posted_values(request.POST, kind)
        attachments = kept_attachments(
            request, request.POST.getlist("attachment_ids"), client=request.active_client
        )
        uploaded, problems = upload_files(request, client=request.active_client)
        attachments += uploaded
        if problems:
            errors["attachment_ids"] = problems
        else:
            payload = _payload(values, kind, [a.pk for a in attachments])
            serializer = RequestSubmitInputSerializer(data=payload, context={"client": request.active_client})
            if serializer.is_valid():
                data = serializer.validated_data
                try:
                    portal_request, _created = services.submit_request(
                        user=request.user,
                        client=request.active_client,
                        kind=data["kind"],
                        contract=data["contract"],
                        contact=dict(data["contact"]),
                        declarations=data["declarations"],
                        data=data["data"],
                        attachment_ids=data["attachment_ids"],
                        idempotency_key=key,
                        fingerprint=services.request_fingerprint(payload) if key else "",
                    )
                except PortalError as exc:
                    errors = {_field_name(path): list(errs) for path, errs in exc.fields.items()}
                    errors["form"] = [exc.message]
                else:
                    messages.success(
                        request,
                        _("Request %(number)s has been sent.") % {"number": portal_request.number},
                    )
                    return redirect("request-page", request_id=portal_request.pk)
            else:
                errors = _all_errors(serializer, payload, request.active_client)
    else:
        values = _initial_values(request, kind, contracts)
        key = ""
    return render(
        request,
        "portal_ui/requests/new_step2.html",
        _form_context(kind, values, errors, attachments, contracts, key or str(uuid.uuid4())),
        status=400 if errors else 200,
    )


# Stands in for the contact person when its own errors stopped the serializer before the cross-field
# checks, so that the user sees every error of the form at once.
PLACEHOLDER_CONTACT = {"name": "-", "phone": "600000000", "email": "placeholder@example.com"}


def _all_errors(serializer, payload: dict, client) -> dict[str, list[str]]:
    errors = flatten_errors(serializer.errors)
    if "contact" in serializer.errors:
        second = RequestSubmitInputSerializer(
            data={**payload, "contact": PLACEHOLDER_CONTACT}, context={"client": client}
        )
        if not second.is_valid():
            for name, messages_ in flatten_errors(second.errors).items():
                if not name.startswith("contact"):
                    errors.setdefault(name, messages_)
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
    if kind in KINDS_NEEDING_CONTRACT:
        labels["contract_id"] = _("Contract")
    for field in KIND_FIELDS[kind]:
        if field in CLIENT_DATA_FIELDS:
            labels[f"data__{field}"] = str(Client._meta.get_field(field).verbose_name)
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
    return {
        "error_summary": error_summary(errors, form_labels(kind), id_prefix="f-"),
        "max_lengths": max_lengths,
        "kind": kind,
        "kind_type": KIND_TYPE[kind],
        "values": values,
        "errors": errors,
        "attachments": attachments,
        "contracts": contracts,
        "needs_contract": kind in KINDS_NEEDING_CONTRACT,
        "needs_attachment": kind in KINDS_NEEDING_ATTACHMENT,
        "declarations": [(code, DECLARATIONS[code]) for code in KIND_DECLARATIONS[kind]],
        "payment_days": [str(day) for day in PAYMENT_DAYS],
        "reasons": list(PAYMENT_DAY_REASONS.items()),
        "value_options": list(VALUE_CHANGE_OPTIONS.items()),
        "installment_options": list(INSTALLMENT_OPTIONS.items()),
        "currencies": CURRENCIES,
        "idempotency_key": key,
        "client_fields": _client_field_rows(values, errors, max_lengths)
        if kind == RequestKind.CLIENT_DATA_CHANGE
        else [],
    }


def _client_field_rows(values: dict, errors: dict, max_lengths: dict[str, int]) -> list[dict]:
    rows = []
    for field in CLIENT_DATA_FIELDS:
        name = f"data__{field}"
        rows.append(
            {
                "name": name,
                "label": Client._meta.get_field(field).verbose_name,
                "value": values.get(name, ""),
                "errors": errors.get(name, []),
                "maxlength": max_lengths.get(name),
                "type": "email" if field == "email" else ("tel" if field == "phone" else "text"),
            }
        )
    return rows


# --------------------------------------------------------------------------------------------------
# Processing view


def _history(portal_request: PortalRequest) -> list[dict]:
    return [
        {"event": event, "stage": stage_label(event.stage) if event.stage else ""}
        for event in portal_request.events.all()
    ]


def _page_context(request: HttpRequest, portal_request: PortalRequest, **extra) -> dict:
    questions = [e for e in portal_request.events.all() if e.kind == RequestEvent.Kind.QUESTION]
    return {
        "last_question": questions[-1] if questions else None,
        "reply_attachments": [],
        "comment_attachments": [],
        "portal_request": portal_request,
        "stage": stage_label(portal_request.stage),
        "history": _history(portal_request),
        "can_cancel": portal_request.status in OPEN_STATUSES,
        "form_rows": form_data_rows(portal_request),
        "reply_values": {"message": ""},
        "reply_errors": {},
        "comment_values": {"message": ""},
        "comment_errors": {},
        **extra,
    }


def _amount_text(value) -> str:
    # The filter gives "" for what is not a number: such stored data is shown as it is.
    return amount(value) or str(value)


def form_data_rows(portal_request: PortalRequest) -> list[tuple[str, str]]:
    """Return the submitted data as (label, value) rows in the user's language."""
    data = portal_request.form_data or {}
    labels = {
        "payment_day": _("New payment day"),
        "reason": _("Reason"),
        "reason_other": _("Reason (other)"),
        "option": _("Change"),
        "net_amount": _("Net amount after the change"),
        "currency": _("Currency"),
        "residual_percent": _("New final value %"),
        "months": _("New lease period (months)"),
        "installment_option": _("Installment"),
        "net_installments": _("New net installments"),
        "subject": _("Subject"),
        "message": _("Message"),
    }
    choices = {
        "reason": PAYMENT_DAY_REASONS,
        "option": VALUE_CHANGE_OPTIONS,
        "installment_option": INSTALLMENT_OPTIONS,
    }
    rows = []
    for key, value in data.items():
        if key == PREVIOUS_VALUES_KEY:
            continue
        if key == "bank_account":
            value = format_iban(value)
        if key in CLIENT_DATA_FIELDS:
            label = str(Client._meta.get_field(key).verbose_name)
        else:
            label = str(labels.get(key, key))
        if key in choices:
            value = choices[key].get(value, value)
        # Amounts through the portal's one formatter ("2 500,00"), like the schedule and the preview.
        if isinstance(value, list):
            value = "; ".join(_amount_text(v) for v in value)
        elif key in DECIMAL_FIELDS:
            value = _amount_text(value)
        rows.append((label, str(value)))
    return rows


def client_field_labels() -> set[str]:
    """The labels of the client data fields in the active language."""
    return {str(Client._meta.get_field(field).verbose_name) for field in CLIENT_DATA_FIELDS}


def client_data_changes(portal_request: PortalRequest) -> list[dict]:
    """Each field a client data change request changes: its label, the old value and the new one.

    The old value is the one stored at submit time; for a request submitted before that was stored,
    the change recorded on approval, else the client's current data (still the old ones while open).
    """
    if portal_request.kind != RequestKind.CLIENT_DATA_CHANGE:
        return []
    data = portal_request.form_data or {}
    previous = dict(data.get(PREVIOUS_VALUES_KEY) or {})
    if not previous:
        for event in portal_request.events.all():
            if event.kind == RequestEvent.Kind.DATA_CHANGED:
                previous = {k: v.get("old", "") for k, v in (event.data or {}).get("changes", {}).items()}
        if not previous and portal_request.status in OPEN_STATUSES:
            previous = {field: getattr(portal_request.client, field) for field in CLIENT_DATA_FIELDS}
    rows = []
    for field in CLIENT_DATA_FIELDS:
        if field not in data or field not in previous:
            continue
        old, new = previous[field] or "", data[field] or ""
        if old == new:
            continue
        if field == "bank_account":
            old, new = format_iban(old), format_iban(new)
        label = str(Client._meta.get_field(field).verbose_name)
        rows.append({"field": field, "label": label, "old": old, "new": new})
    return rows


@client_required
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    """Realizacja wniosku: stage, the waiting banner, reply, comments, history, attachments, cancel."""
    portal_request = _request_or_404(request, request_id)
    # `?comment`: the comment form opened without JS (the opener is a plain link).
    context = _page_context(request, portal_request, open_dialog="comment" in request.GET)
    return render(request, "portal_ui/requests/detail.html", context)


@client_required
def request_status(request: HttpRequest, request_id: int) -> HttpResponse:
    """The changing part of the processing view; the live script re-fetches it on every push."""
    portal_request = _request_or_404(request, request_id)
    return render(request, "portal_ui/requests/_status.html", _page_context(request, portal_request))


def _message_post(request: HttpRequest, portal_request: PortalRequest, *, action: str) -> HttpResponse:
    """Send a reply or a comment; on an error the page comes back with the text and files kept."""
    values = {"message": request.POST.get("message", "")}
    attachments = kept_attachments(
        request, request.POST.getlist("attachment_ids"), client=request.active_client
    )
    uploaded, problems = upload_files(request, client=request.active_client)
    attachments += uploaded
    errors: dict[str, list[str]] = {}
    if problems:
        errors["attachment_ids"] = problems
    elif not values["message"].strip():
        errors["message"] = [_("This field is required.")]
    else:
        try:
            if action == "reply":
                services.reply_to_request(
                    user=request.user,
                    portal_request=portal_request,
                    message=values["message"].strip(),
                    attachment_ids=[a.pk for a in attachments],
                )
                messages.success(request, _("Your reply has been sent."))
            else:
                services.add_comment(
                    user=request.user,
                    portal_request=portal_request,
                    message=values["message"].strip(),
                    attachment_ids=[a.pk for a in attachments],
                )
                messages.success(request, _("Your comment has been added."))
            return redirect("request-page", request_id=portal_request.pk)
        except PortalError as exc:
            errors = {key: list(value) for key, value in exc.fields.items()}
            errors.setdefault("message" if not exc.fields else "form", []).append(exc.message)
    extra = {
        f"{action}_values": values,
        f"{action}_errors": errors,
        f"{action}_attachments": attachments,
        "open_dialog": action == "comment",
    }
    portal_request = _request_or_404(request, portal_request.pk)
    return render(
        request, "portal_ui/requests/detail.html", _page_context(request, portal_request, **extra), status=400
    )


@require_POST
@client_required
def request_reply(request: HttpRequest, request_id: int) -> HttpResponse:
    return _message_post(request, _request_or_404(request, request_id), action="reply")


@require_POST
@client_required
def request_comment(request: HttpRequest, request_id: int) -> HttpResponse:
    return _message_post(request, _request_or_404(request, request_id), action="comment")


@require_POST
@client_required
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    portal_request = _request_or_404(request, request_id)
    try:
        services.cancel_request(user=request.user, portal_request=portal_request)
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("request-page", request_id=portal_request.pk)
