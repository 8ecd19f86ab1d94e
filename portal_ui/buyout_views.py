"""Pages of the buyout / early termination quote: pick a date, see the quote, download its PDF, "Złóż
wniosek"; the client's answer to a counter-offer; the staff's counter-offer.

Input is checked by the same services and serializers as the API (backend/contracts/buyout_services.py,
backend/requests_app/buyout_services.py), so a page and the API refuse the same things.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.exceptions import ValidationError as DrfValidationError

from backend.clients.access_rules import Area
from backend.contracts.buyout_pdf import quote_lines
from backend.contracts.buyout_services import create_quote
from backend.contracts.inputs import BuyoutQuoteInputSerializer
from backend.contracts.models import BuyoutQuote, Contract
from backend.contracts.selectors import (
    change_refusal,
    get_contract_for_client,
    get_quote_for_client,
    list_contracts_for_client,
    list_schedule_rows,
    open_to_changes,
)
from backend.core.exceptions import NotFound, PortalError
from backend.core.money import format_money
from backend.requests_app import buyout_services
from backend.requests_app.buyout_effects import request_for_quote
from backend.requests_app.catalogue import DECLARATIONS, KIND_DECLARATIONS
from backend.requests_app.inputs import CounterOfferInputSerializer
from backend.requests_app.models import RequestKind
from backend.requests_app.selectors import open_request_of_kind
from backend.requests_app.validation import input_max_lengths
from portal_ui.access import client_area_required, staff_required
from portal_ui.acting_for import acting_for_checked
from portal_ui.page_limits import counted
from portal_ui.staff_views import step_done

KIND = RequestKind.EARLY_TERMINATION


def _contract_or_404(request: HttpRequest, contract_id: int) -> Contract:
    try:
        return get_contract_for_client(client=request.active_client, contract_id=contract_id)
    except NotFound as exc:
        raise Http404 from exc


def _quote_or_404(request: HttpRequest, contract_id: int, quote_id: int) -> BuyoutQuote:
    try:
        return get_quote_for_client(client=request.active_client, contract_id=contract_id, quote_id=quote_id)
    except NotFound as exc:
        raise Http404 from exc


def _date_bounds(contract: Contract) -> tuple[date, date | None]:
    last = (
        list_schedule_rows(contract=contract).order_by("-number").values_list("due_date", flat=True).first()
    )
    return timezone.localdate(), last


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as {"contact.name": [...], "declarations.fees": [...]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and detail and isinstance(detail[0], dict | list):
        flat = {}
        for value in detail:
            flat.update(_flatten(value, prefix))
        return flat
    return {prefix or "form": [str(e) for e in (detail if isinstance(detail, list) else [detail])]}


@require_GET
@client_area_required(Area.REQUESTS)
def buyout_start(request: HttpRequest) -> HttpResponse:
    """The wizard's "Wykup": choose one of the active contracts, whose buyout page gives the quote."""
    # Those a quote can be given for: active, no buyout agreed yet (contracts.selectors.change_refusal).
    contracts = open_to_changes(list_contracts_for_client(client=request.active_client))
    if len(contracts) == 1:
        return redirect("buyout-page", contract_id=contracts[0].pk)
    return render(request, "portal_ui/client/buyout_start.html", {"contracts": contracts})


@require_http_methods(["GET", "POST"])
@acting_for_checked()
@client_area_required(Area.REQUESTS)
@counted("submissions")  # each quote is kept, numbered
def contract_buyout(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Wykup / wcześniejsze zakończenie umowy: the date picker and the contract's quotes."""
    contract = _contract_or_404(request, contract_id)
    earliest, latest = _date_bounds(contract)
    errors: dict[str, list[str]] = {}
    value = request.POST.get("effective_date", "")
    if request.method == "POST":
        # The API's input: an impossible date (2026-02-30) is a field error, not a 500 as in a hand parse.
        body = BuyoutQuoteInputSerializer(data={"effective_date": value})
        if not body.is_valid():
            errors["effective_date"] = [_("Enter a date.")]
        else:
            try:
                quote = create_quote(
                    user=request.user,
                    client=request.active_client,
                    contract=contract,
                    effective_date=body.validated_data["effective_date"],
                )
                return redirect("buyout-quote-page", contract_id=contract.pk, quote_id=quote.pk)
            except PortalError as exc:
                errors = exc.fields or {"effective_date": [exc.message]}
    today = timezone.localdate()
    quotes = [
        {"quote": q, "status": BuyoutQuote.Status(q.current_status(today)).label}
        for q in BuyoutQuote.objects.filter(contract=contract, client=request.active_client)[:10]
    ]
    context = {
        "contract": contract,
        "earliest": earliest,
        "latest": latest,
        "value": value,
        "errors": errors,
        "quotes": quotes,
        "is_active": not change_refusal(contract),  # active, and no buyout agreed yet
        # Said before a quote is computed: one open early termination per contract (its quote's page).
        "open_request": open_request_of_kind(contract_id=contract.pk, kind=KIND),
    }
    return render(request, "portal_ui/client/contract_buyout.html", context, status=400 if errors else 200)


def _quote_context(request: HttpRequest, quote: BuyoutQuote, **extra) -> dict:
    lang = "en" if (request.LANGUAGE_CODE or "pl").startswith("en") else "pl"
    today = timezone.localdate()
    status = quote.current_status(today)
    user = request.user
    portal_request = request_for_quote(quote)
    return {
        "contract": quote.contract,
        "quote": quote,
        "lines": quote_lines(quote, lang=lang),
        "total": format_money(quote.total, quote.currency, lang=lang),
        "status": status,
        "status_label": BuyoutQuote.Status(status).label,
        "can_request": status == BuyoutQuote.Status.OFFERED,
        "portal_request": portal_request,
        # The contract's open early termination from another quote: this one's request would be refused
        # (one open request of a kind per contract), so the page says so instead of offering the form.
        "open_request": None
        if portal_request or status != BuyoutQuote.Status.OFFERED
        else open_request_of_kind(contract_id=quote.contract_id, kind=KIND),
        "declarations": [
            (code, DECLARATIONS[code], extra.get("errors", {}).get(f"declaration_{code}"))
            for code in KIND_DECLARATIONS[KIND]
        ],
        "contact": {
            "name": user.get_full_name() or "",
            "phone": getattr(user, "phone", "") or "",
            "email": user.email,
        },
        # The limits of the serializer that checks the submit: the browser stops where the server would.
        "max_lengths": input_max_lengths(KIND),
        "checked": set(),
        "errors": {},
        **extra,
    }


@require_http_methods(["GET", "POST"])
@acting_for_checked()
@client_area_required(Area.REQUESTS)
@counted("submissions")
def buyout_quote_page(request: HttpRequest, contract_id: int, quote_id: int) -> HttpResponse:
    """The quote: its figures, "Pobierz PDF" and "Złóż wniosek" (contact and declarations)."""
    quote = _quote_or_404(request, contract_id, quote_id)
    if request.method == "GET":
        return render(request, "portal_ui/client/buyout_quote.html", _quote_context(request, quote))
    contact = {k: request.POST.get(f"contact_{k}", "").strip() for k in ("name", "phone", "email")}
    declarations = {code: request.POST.get(f"declaration_{code}") == "on" for code in KIND_DECLARATIONS[KIND]}
    try:
        portal_request, _created = buyout_services.submit_buyout_request(
            user=request.user,
            client=request.active_client,
            contract_id=quote.contract_id,
            quote_id=quote.pk,
            contact=contact,
            declarations=declarations,
        )
    except DrfValidationError as exc:
        errors = {
            key.replace("declarations.", "declaration_").replace("contact.", "contact_"): problems
            for key, problems in _flatten(exc.detail).items()
        }
        errors["form"] = errors.pop("data.quote_id", []) + errors.pop("declarations", [])
    except PortalError as exc:
        errors = {**exc.fields, "form": [exc.message]}
    else:
        messages.success(request, _("The request has been submitted."))
        return redirect("request-page", request_id=portal_request.pk)
    context = _quote_context(
        request, quote, errors=errors, contact=contact, checked={c for c, on in declarations.items() if on}
    )
    return render(request, "portal_ui/client/buyout_quote.html", context, status=400)


@require_POST
@acting_for_checked(
    back=lambda kwargs: reverse("buyout-quote-page", args=[kwargs["contract_id"], kwargs["quote_id"]])
)
@client_area_required(Area.REQUESTS)
def buyout_counter_answer(request: HttpRequest, contract_id: int, quote_id: int) -> HttpResponse:
    """ "Przyjmuję" / "Odrzucam" on the counter-offer shown on the request's page."""
    quote = _quote_or_404(request, contract_id, quote_id)
    portal_request = request_for_quote(quote)
    if portal_request is None:
        raise Http404
    answer = request.POST.get("answer")
    if answer not in {"accept", "decline"}:
        messages.error(request, _("Choose whether you accept the counter-offer."))
        return redirect("request-page", request_id=portal_request.pk)
    accept = answer == "accept"
    try:
        buyout_services.answer_counter_offer(
            user=request.user,
            client=request.active_client,
            quote_id=quote.pk,
            accept=accept,
            message=request.POST.get("message", "")[:4000],
        )
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("You have accepted the counter-offer.")
            if accept
            else _("You have declined the counter-offer."),
        )
    return redirect("request-page", request_id=portal_request.pk)


@require_POST
@staff_required
def staff_buyout_counter(request: HttpRequest, request_id: int) -> HttpResponse:
    """The staff's counter-offer: a new total and its reason (the task's "counter" decision)."""
    serializer = CounterOfferInputSerializer(
        data={
            "total": request.POST.get("total", ""),  # read by the amount field as the API reads it
            "reason": request.POST.get("reason", ""),
        }
    )
    if not serializer.is_valid():
        for problems in serializer.errors.values():  # the field is named by the message's prefix
            messages.error(request, f"{_('Counter-offer')}: {' '.join(str(p) for p in problems)}")
        return redirect("staff-task-page", request_id=request_id)
    try:
        countered = buyout_services.counter_offer(
            staff=request.user, request_id=request_id, **serializer.validated_data
        )
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        done = _("The counter-offer has been sent; the request now waits for the client.")
        messages.success(request, step_done(done, countered))
    return redirect("staff-task-page", request_id=request_id)
