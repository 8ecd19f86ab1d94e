"""Submitting a request: step 1 (the type, then its kind) and step 2 (the kind's form) of the wizard.

The page only collects what the user typed and shows what came back: the rules are the API's
(RequestSubmitInputSerializer, backend/requests_app/validation.py) and the submit is the API's
(backend/requests_app/submission.py). Field names in the HTML are the API's field paths with "__" for
"." ("data__payment_day"), so an error of `data.payment_day` lands next to its input.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.clients.access_rules import Area
from backend.contracts.selectors import list_contracts_for_client, open_to_changes, with_kept_installments
from backend.core.filters import parse_id
from backend.requests_app.catalogue import KIND_TYPE, KINDS_CHANGING_CONTRACT
from backend.requests_app.models import RequestAttachment, RequestKind, RequestType
from backend.requests_app.submission import previous_submit
from backend.requests_app.terms import decision_time_text, fee_text, request_terms
from portal_ui.access import client_area_required
from portal_ui.acting_for import acting_for_checked, switch_notice, switched_away_from
from portal_ui.page_limits import counted
from portal_ui.request_attachments import posted_attachments
from portal_ui.request_form_input import payload_of, posted_values
from portal_ui.request_form_page import (
    form_context,
    initial_values,
    installment_table_rows,
    mark_open_requests,
)
from portal_ui.request_form_posting import all_form_errors, already_sent_text, refusal_of, submit_posted


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
        values = posted_values(request.POST, kind)
        switched = switch_notice(request, previous_client, draft_key=f"request:{kind.value}")
    elif request.method == "POST":
        key = request.POST.get("idempotency_key", "").strip()[:128]
        previous = previous_submit(user=request.user, client=client, idempotency_key=key)
        if previous is not None:
            # A double click, a reload or Back and send again (form_keys.js): show the request the first
            # post made, saying that this send made nothing.
            messages.info(request, already_sent_text(previous.number))
            return redirect("request-page", request_id=previous.pk)
        values = posted_values(request.POST, kind)
        attachments, problems = posted_attachments(request, client=client)
        payload, unreadable = payload_of(values, kind, [a.pk for a in attachments])
        if problems or unreadable:
            # A rejected file or an unreadable number stops the submit, not the checks: every error of the
            # form is shown at once, as on the new message form (message_views._checked_input).
            refused = refusal_of(payload, client)
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
    taken = mark_open_requests(kind, contracts)
    refused_contract = None
    if values is None:
        # Said before the form is filled in, not only by the submit's refusal: a contract with an open
        # request of the kind is not offered, and one asked for (`?contract=`) gets no form at all.
        wanted = request.GET.get("contract", "")
        refused_contract = next((c for c in taken if str(c.pk) == wanted), None)
        values = initial_values(request, kind, [c for c in contracts if c.open_request is None])
    elif any(str(c.pk) == values["contract_id"] for c in taken):
        # The race: the contract's request went in from another tab after this form was shown. Its option
        # is now disabled, and a disabled option left selected sends no contract at all: the select asks
        # for a choice instead, and its error names the open request (the submit's refusal).
        values["contract_id"] = ""
    context = form_context(kind, values, errors, attachments, contracts, key or str(uuid.uuid4()))
    context |= {
        "taken_contracts": taken,
        "refused_contract": refused_contract,
        # Nothing left to choose (a failed post keeps its form and the typed input, with the refusal).
        "form_hidden": request.method == "GET"
        and (refused_contract is not None or (taken and len(taken) == len(contracts))),
    }
    if kind == RequestKind.SCHEDULE_CHANGE:
        context["installment_rows"] = installment_table_rows(contracts)
    return render(
        request,
        "portal_ui/requests/new_step2.html",
        context | switched,
        status=409 if switched else 400 if errors else 200,
    )
