"""Customer service's reads of one client (the staff client page): what the client's own pages show.

Each figure comes from the selector the client's page reads it with; a Client loaded here is not bound to
an acting user (access_rules.bind), so those selectors see every contract of the company. Requests sits
above contracts, invoices and messaging in the layers, so this is the lowest app that may join them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from backend.clients.models import Client
from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.selectors import list_contracts_for_client
from backend.core.exceptions import NotFound


def get_client_for_staff(*, client_id: int) -> Client:
    """Return the client, NotFound for an unknown id."""
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise NotFound()
    return client


@dataclass(frozen=True)
class ContractOverview:
    """A contract as customer service reads it out: the contract list's row (item, capital remaining),
    the next installment as the client's home page picks it and the overdue figure of the client's
    settlements page, per currency."""

    contract: Contract
    overdue: list[dict]


def _next_installments(today: date) -> QuerySet[ScheduleRow]:
    # As invoices.selectors.get_home_summary picks the client's next installment: unpaid, due today or later,
    # on an active contract (an ended contract has nothing left to pay).
    return ScheduleRow.objects.filter(
        contract=OuterRef("pk"),
        contract__status=Contract.Status.ACTIVE,
        paid=False,
        due_date__gte=today,
    ).order_by("due_date", "id")


def list_contract_overviews(
    *, client: Client, summary: dict, today: date | None = None
) -> list[ContractOverview]:
    """The client's contracts, newest first, with their next installment (one query whatever their
    number) and the figures of `summary` (invoices.selectors.get_settlement_summary, read once by the
    page for its settlements too)."""
    today = today or timezone.localdate()
    upcoming = _next_installments(today)
    contracts = list(
        list_contracts_for_client(client=client).annotate(
            next_due_date=Subquery(upcoming.values("due_date")[:1]),
            next_gross=Subquery(upcoming.values("gross")[:1]),
        )
    )
    per_contract = {row["contract_id"]: row for row in summary["contracts"]}
    overviews = []
    for contract in contracts:
        amounts = per_contract.get(contract.pk, {}).get("amounts", [])
        overviews.append(
            ContractOverview(
                contract=contract,
                overdue=[
                    {"currency": a["currency"], "amount": a["overdue"]} for a in amounts if a["overdue"]
                ],
            )
        )
    return overviews
