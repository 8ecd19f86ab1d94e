"""The form of a permit to take the vehicle abroad: contract (vehicle), countries, dates, contact person.

Its own page because the countries are a multiple choice; the rules and the submit are the API's
(RequestSubmitInputSerializer with backend/permits/validation.py, backend/requests_app/submission.py),
and errors come back next to their inputs like on the other request forms.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.clients.access_rules import Area
from backend.contracts.models import Contract
from backend.contracts.selectors import list_contracts_for_client
from backend.core.date_fields import date_input_value
from backend.core.filters import parse_id
from backend.permits.effects import vehicle_choices
from backend.requests_app.catalogue import DECLARATIONS, KIND_DECLARATIONS
from backend.requests_app.models import RequestKind
from backend.requests_app.submission import previous_submit
from backend.requests_app.validation import contract_refusal, input_max_lengths
from portal_ui.access import client_area_required
from portal_ui.acting_for import acting_for_checked, switch_notice, switched_away_from
from portal_ui.error_summary import error_summary, form_errors
from portal_ui.request_form_posting import all_form_errors, already_sent_text, submit_posted

KIND = RequestKind.VEHICLE_ABROAD_PERMIT
TEMPLATE = "portal_ui/requests/permit_new.html"


def _labels() -> dict[str, str]:
    """The inputs in the order of the page, with their labels (for the error summary)."""
    return {
        "contract_id": _("Contract (vehicle)"),
        "data__item_id": _("Vehicle"),
        "data__countries": _("Countries"),
        "data__date_from": _("Travel from"),
        "data__date_to": _("Return by"),
        "contact__name": _("Name and surname"),
        "contact__phone": _("Phone"),
        "contact__email": _("E-mail"),
        **{f"declarations__{code}": str(DECLARATIONS[code]) for code in KIND_DECLARATIONS[KIND]},
    }


def _posted(post) -> dict:
    values = {key: post.get(key, "").strip() for key in ("contract_id", "contact__name", "contact__phone")}
    values["contact__email"] = post.get("contact__email", "").strip()
    values["data__countries"] = [code for code in post.getlist("data__countries") if code]
    # A date typed or pasted as 30.11.2026 (no calendar widget) goes back into the date input as ISO.
    values["data__date_from"] = date_input_value(post.get("data__date_from", ""))
    values["data__date_to"] = date_input_value(post.get("data__date_to", ""))
    values["data__item_id"] = post.get("data__item_id", "").strip()
    for code in KIND_DECLARATIONS[KIND]:
        values[f"declarations__{code}"] = post.get(f"declarations__{code}") == "on"
    return values


def _payload(values: dict) -> dict:
    data: dict = {"countries": values["data__countries"]}
    if values.get("data__item_id"):
        data["item_id"] = parse_id(values["data__item_id"])
    for field in ("date_from", "date_to"):
        if values[f"data__{field}"]:
            data[field] = values[f"data__{field}"]
    return {
        "kind": KIND.value,
        "contract_id": parse_id(values.get("contract_id", "")),
        "contact": {
            "name": values["contact__name"],
            "phone": values["contact__phone"],
            "email": values["contact__email"],
        },
        "declarations": {code: bool(values.get(f"declarations__{code}")) for code in KIND_DECLARATIONS[KIND]},
        "data": data,
        "attachment_ids": [],
    }


def _errors(raw) -> dict[str, list[str]]:
    """Page input → messages; every error of a chosen country lands on the countries' fieldset."""
    errors: dict[str, list[str]] = {}
    for name, texts in form_errors(raw).items():
        name = "data__countries" if name.startswith("data__countries") else name
        errors.setdefault(name, []).extend(t for t in texts if t not in errors.get(name, []))
    return errors


def _initial(request: HttpRequest, contracts: list[Contract], vehicles: dict) -> dict:
    wanted = request.GET.get("contract", "")
    chosen = next((c for c in contracts if str(c.pk) == wanted), contracts[0] if contracts else None)
    first_vehicle = next(iter(vehicles.get(chosen.pk, [])), None) if chosen else None
    values = {
        "contract_id": str(chosen.pk) if chosen else "",
        "data__item_id": str(first_vehicle[0]) if first_vehicle else "",
        "contact__name": request.user.get_full_name(),
        "contact__phone": "",
        "contact__email": request.user.email,
        "data__countries": [],
        "data__date_from": "",
        "data__date_to": "",
    }
    return values


@acting_for_checked(shows_form_again=Area.REQUESTS, draft_key=lambda kwargs: f"request:{KIND.value}")
@client_area_required(Area.REQUESTS)
def permit_new(request: HttpRequest) -> HttpResponse:
    from backend.permits.countries import country_choices

    client = request.active_client
    errors: dict[str, list[str]] = {}
    values, key, switched = None, "", {}
    if request.method == "POST" and (previous_client := switched_away_from(request)) is not None:
        # Shown for another company before a tab switched: nothing is sent for either; the form comes back.
        values = _posted(request.POST)
        switched = switch_notice(request, previous_client, draft_key=f"request:{KIND.value}")
    elif request.method == "POST":
        key = request.POST.get("idempotency_key", "").strip()[:128]
        previous = previous_submit(user=request.user, client=client, idempotency_key=key)
        if previous is not None:
            messages.info(request, already_sent_text(previous.number))
            return redirect("request-page", request_id=previous.pk)
        values = _posted(request.POST)
        payload = _payload(values)
        refused = submit_posted(request, client=client, payload=payload, idempotency_key=key)
        if isinstance(refused, HttpResponse):
            return refused
        errors = _errors(all_form_errors(refused, payload, client))
    # Only the contracts the submit takes (the API's rule, requests_app.validation.contract_refusal).
    contracts = [c for c in list_contracts_for_client(client=client) if not contract_refusal(KIND, c)]
    vehicles = vehicle_choices(contracts)
    if values is None:
        values = _initial(request, contracts, vehicles)
    chosen = set(values["data__countries"])
    context = {
        "kind": KIND,
        "values": values,
        "errors": errors,
        "error_summary": error_summary(errors, _labels(), id_prefix="f-"),
        "contracts": contracts,
        # The vehicles of each contract, a group each (permit_form.js shows the chosen contract's group).
        "vehicle_groups": [(c, vehicles.get(c.pk, [])) for c in contracts],
        "countries": [(code, name, code in chosen) for code, name in country_choices()],
        "declarations": [(code, DECLARATIONS[code]) for code in KIND_DECLARATIONS[KIND]],
        "max_lengths": input_max_lengths(KIND),
        "today": timezone.localdate().isoformat(),
        "idempotency_key": key or str(uuid.uuid4()),
        **switched,
    }
    return render(request, TEMPLATE, context, status=409 if switched else 400 if errors else 200)
