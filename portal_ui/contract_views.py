"""Client pages of contracts (Umowy, with the schedule, items and policies), insurance policies (Polisy)
and the client's data (Dane klienta). Reads go through the owning apps' selectors, scoped to the active
client, so another client's object gives 404.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backend.clients.access_rules import Area
from backend.contracts.filters import ContractFilter
from backend.contracts.schedule import is_overdue
from backend.contracts.selectors import (
    accepted_buyout,
    balance_changes,
    default_contract_id,
    describe_balance_change,
    get_active_policy,
    get_contract_for_client,
    get_policy_for_contract,
    list_contract_choices,
    list_contracts_for_client,
    list_items_for_contract,
    list_policies_for_contract,
    list_schedule_rows,
)
from backend.core.exceptions import NotFound
from backend.core.language import active_lang
from backend.core.lessor import format_account, format_nip, get_lessor
from portal_ui.access import client_area_required, client_required
from portal_ui.charts import contract_chart
from portal_ui.client_lists import int_param, list_page, or_404
from portal_ui.nav import optional_url
from portal_ui.sorting import within_currency

# Sortable columns (`?sort=key`, `?sort=-key`): key → fields in ascending order.
CONTRACT_SORTS = {
    "number": ["number"],
    "item": ["item_name"],
    "start_date": ["start_date"],
    "end_date": ["end_date"],
    "net_value": within_currency("net_value"),
    "currency": ["currency"],
    "capital_remaining": within_currency("capital_remaining"),
}


# --- contracts and policies (Umowy, Polisy) --------------------------------------------------------


@require_GET
@client_area_required(Area.CONTRACTS)
def contract_list(request: HttpRequest) -> HttpResponse:
    """Umowy: every contract with its item, capital remaining and status."""
    return list_page(
        request,
        "portal_ui/client/contract_list.html",
        filterset_class=ContractFilter,
        queryset=list_contracts_for_client(client=request.active_client),
        sorts=CONTRACT_SORTS,
        default_sort="-start_date",
    )


@require_GET
@client_area_required(Area.CONTRACTS)
def contract_page(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Szczegóły umowy: data, HARMONOGRAM, PRZEDMIOTY and Polisy on one page with section tabs."""
    contract = or_404(get_contract_for_client, client=request.active_client, contract_id=contract_id)
    schedule = list(list_schedule_rows(contract=contract))
    changes = balance_changes(schedule)
    lessor = get_lessor()
    today = timezone.localdate()
    upcoming = _upcoming_numbers(schedule, today=today)
    context = {
        "contract": contract,
        # A loan finances its item rather than leasing it: the page names it so ("Financed item").
        "is_loan": contract.type == contract.Type.LOAN,
        # Each row with the change of the balance just before it (an approved value change) and the
        # balance the row starts from, or "" where it starts from the previous row's; whether it is
        # overdue (unpaid past its due date, as its invoice is on the settlements); and whether a phone
        # shows it before "Show the whole schedule" (_upcoming_numbers).
        "schedule": [
            (
                row,
                describe_balance_change(
                    changes[row.number], row.capital_remaining + row.capital, lang=active_lang()
                )
                if row.number in changes
                else "",
                is_overdue(due_date=row.due_date, paid=row.paid, today=today),
                row.number in upcoming,
            )
            for row in schedule
        ],
        "schedule_count": len(schedule),
        "schedule_later_count": len(schedule) - len(upcoming),
        # Part of the header's capital remaining (every unpaid installment's capital): the schedule's own
        # column has already counted an overdue installment off, so the note keeps the two from disagreeing.
        "overdue_capital": sum(
            (
                row.capital
                for row in schedule
                if is_overdue(due_date=row.due_date, paid=row.paid, today=today)
            ),
            Decimal("0.00"),
        )
        if contract.status == contract.Status.ACTIVE
        else Decimal("0.00"),
        # The agreed buyout that ends the contract, and where to pay it (the account of the invoices).
        "buyout": accepted_buyout(contract),
        "payment_account": format_account(lessor.bank_account),
        "payment_bank": lessor.bank_name,
        "paid_count": sum(1 for row in schedule if row.paid),
        "items": list_items_for_contract(contract=contract),
        "policies": list_policies_for_contract(contract=contract),
        "chart": contract_chart(contract=contract, today=today),
    }
    return render(request, "portal_ui/client/contract_detail.html", context)


# A phone shows this many unpaid installments ahead (besides the overdue ones) until the client expands
# the schedule: 36 cards buried the items and the policies under some 12,000 px.
UPCOMING_ON_PHONE = 3


def _upcoming_numbers(schedule: list, *, today: date) -> set[int]:
    """The installments a phone shows first: the overdue ones and the next unpaid ones; of a schedule with
    nothing left to pay, its last ones."""
    unpaid = [row for row in schedule if not row.paid]
    if not unpaid:
        return {row.number for row in schedule[-UPCOMING_ON_PHONE:]}
    overdue = {row.number for row in unpaid if is_overdue(due_date=row.due_date, paid=False, today=today)}
    ahead = [row.number for row in unpaid if row.number not in overdue][:UPCOMING_ON_PHONE]
    return {*overdue, *ahead}


@require_GET
@client_area_required(Area.CONTRACTS)
def policy_page(request: HttpRequest, contract_id: int, policy_id: int) -> HttpResponse:
    contract = or_404(get_contract_for_client, client=request.active_client, contract_id=contract_id)
    policy = or_404(get_policy_for_contract, contract=contract, policy_id=policy_id)
    return render(request, "portal_ui/client/policy_detail.html", {"contract": contract, "policy": policy})


@require_GET
@client_area_required(Area.CONTRACTS)
def policies(request: HttpRequest) -> HttpResponse:
    """Polisy ubezpieczeniowe: the active policy of the chosen contract (the first active one by default)."""
    client = request.active_client
    choices = list_contract_choices(client=client)
    contract_id = int_param(request, "contract")
    if contract_id is None:
        contract_id = default_contract_id(client=client)
    contract = policy = None
    if contract_id is not None:
        contract = or_404(get_contract_for_client, client=client, contract_id=contract_id)
        try:
            policy = get_active_policy(contract=contract)
        except NotFound:
            policy = None
    context = {"contracts": choices, "contract": contract, "policy": policy}
    return render(request, "portal_ui/client/policies.html", context)


# --- client data (Dane klienta) ----------------------------------------------------------------------


@require_GET
@client_required
def client_data(request: HttpRequest) -> HttpResponse:
    """Dane klienta: read-only; "Zmień dane" opens the client data change request."""
    client = request.active_client
    context = {
        "client": client,
        "nip": format_nip(client.nip),
        "bank_account": format_account(client.bank_account),
    }
    return render(request, "portal_ui/client/client_data.html", context)


@require_GET
@client_area_required(Area.REQUESTS)
def client_data_change(request: HttpRequest) -> HttpResponse:
    """Zmień dane: the client data change request; a notice until the request pages exist."""
    # The request wizard ("request-new") skips to step 2 for `?kind=`; until it exists, a notice.
    new_request_url = optional_url("request-new")
    if new_request_url:
        return redirect(f"{new_request_url}?kind=client_data_change")
    return render(request, "portal_ui/client/client_data_change.html")
