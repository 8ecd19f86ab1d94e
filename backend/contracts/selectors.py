"""Reads of contracts, their schedules, items and policies, always scoped to one client."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from itertools import groupby, pairwise

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.clients.access_rules import restrict
from backend.clients.models import Client
from backend.contracts.models import BuyoutQuote, Contract, InsurancePolicy, LeasedItem, ScheduleRow
from backend.contracts.schedule import is_overdue, kept_installment_count
from backend.core.exceptions import NotFound
from backend.core.filters import MAX_ID, MIN_ID
from backend.core.language import active_lang
from backend.core.money import format_amount, format_date
from backend.core.prepared_reads import PreparedRead


def capital_remaining_expression():
    """Capital still to repay: the schedule's final balance (the residual value) plus the capital of every
    installment not paid yet; the whole amount while the contract has no schedule; nothing once the
    contract has ended (closed or terminated: its residual value was settled or the item returned).

    Not the balance printed on the last paid row: an approved value change raises the balance the
    re-planned installments start from (their opening balance, `balance_changes`), and this is the
    figure they repay.
    """
    rows = ScheduleRow.objects.filter(contract=OuterRef("pk"))
    final_balance = Subquery(rows.order_by("-number").values("capital_remaining")[:1])
    unpaid_capital = Subquery(
        rows.filter(paid=False).order_by().values("contract").annotate(total=Sum("capital")).values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal("0.00"), output_field=money)
    return Case(
        When(status__in=[Contract.Status.CLOSED, Contract.Status.TERMINATED], then=zero),
        default=Coalesce(
            ExpressionWrapper(final_balance + Coalesce(unpaid_capital, zero), output_field=money),
            F("net_value"),
            output_field=money,
        ),
        output_field=money,
    )


def balance_changes(rows: list[ScheduleRow]) -> dict[int, Decimal]:
    """Installment number → how much the balance rose (or fell) just before it, where it does not start
    from the previous row's balance: an approved value change adds its difference to the capital the
    re-planned installments repay (requests_app.change_plans.plan_schedule_change), while the rows kept before
    them keep the balance they showed. The schedule page shows the change as a line of its own."""
    changes = {}
    for previous, row in pairwise(rows):
        opening = row.capital_remaining + row.capital
        if opening != previous.capital_remaining:
            changes[row.number] = opening - previous.capital_remaining
    return changes


def describe_balance_change(change: Decimal, opening: Decimal, *, lang: str) -> str:
    """The line the schedule (page and PDF) shows above the installment a value change re-planned from."""
    amounts = {"change": format_amount(change, lang=lang), "opening": format_amount(opening, lang=lang)}
    if change > 0:
        return (
            _(
                "Contract value change: the capital to repay rises by %(change)s to %(opening)s from this "
                "installment on."
            )
            % amounts
        )
    return (
        _(
            "Contract value change: the capital to repay changes by %(change)s to %(opening)s from this "
            "installment on."
        )
        % amounts
    )


# Every write changing a contract (a submit of a request changing it, its approval, a buyout) starts here:
# compiled once per connection (backend/core/prepared_reads.py).
_LOCKED_CONTRACT = PreparedRead(
    lambda pk: Contract.objects.select_for_update().filter(pk=pk)[:1], ints=("pk",)
)


def lock_contract(pk: int) -> Contract:
    """Lock and read the contract (Contract.DoesNotExist when there is none)."""
    contract = _LOCKED_CONTRACT.first(pk=pk)
    if contract is None:
        raise Contract.DoesNotExist(f"Contract {pk} does not exist.")
    return contract


# Read at every submit and approval of a contract change: compiled once per connection
# (backend/core/prepared_reads.py).
_ACCEPTED_BUYOUT = PreparedRead(
    lambda contract_id: BuyoutQuote.objects.filter(
        contract_id=contract_id, status=BuyoutQuote.Status.ACCEPTED
    ).order_by("-accepted_at", "-pk")[:1],
    ints=("contract_id",),
)


def accepted_buyout(contract: Contract) -> BuyoutQuote | None:
    """The buyout agreed for the contract (its quote accepted on approval), if any."""
    return _ACCEPTED_BUYOUT.first(contract_id=contract.pk)


# The quotes that hold a contract against a change: agreed (accepted), or held by an open early
# termination request (requested, countered). Read by every approval of a contract change.
_HOLDING_QUOTES = PreparedRead(
    lambda contract_id: BuyoutQuote.objects.filter(
        contract_id=contract_id,
        status__in=[BuyoutQuote.Status.ACCEPTED, BuyoutQuote.Status.REQUESTED, BuyoutQuote.Status.COUNTERED],
    ).order_by("pk"),
    ints=("contract_id",),
)


def buyout_holds(contract: Contract) -> tuple[BuyoutQuote | None, BuyoutQuote | None]:
    """(the agreed buyout, as accepted_buyout gives it; the quote an open early termination request holds,
    the first requested or countered) in one read: an approval of a change refuses on either (#18)."""
    quotes = _HOLDING_QUOTES.all(contract_id=contract.pk)
    accepted = [quote for quote in quotes if quote.status == BuyoutQuote.Status.ACCEPTED]
    in_progress = [quote for quote in quotes if quote.status != BuyoutQuote.Status.ACCEPTED]
    # accepted_buyout's order: the latest accepted first (a quote without the moment last, as SQLite sorts).
    agreed = max(accepted, key=lambda q: (q.accepted_at is not None, q.accepted_at or 0, q.pk), default=None)
    return agreed, (in_progress[0] if in_progress else None)


def list_agreed_buyouts_for_client(*, client: Client) -> list[BuyoutQuote]:
    """The buyouts agreed and still to be paid: accepted quotes of the client's contracts not yet ended by
    them (the daily job ends a contract on its buyout's effective date), soonest first."""
    return list(
        BuyoutQuote.objects.filter(
            status=BuyoutQuote.Status.ACCEPTED,
            contract__in=restrict(Contract.objects.filter(client=client), client, "pk"),
            contract__status=Contract.Status.ACTIVE,
        )
        .select_related("contract")
        .order_by("effective_date", "pk")
    )


_UNREAD = object()


def change_refusal(contract: Contract, *, agreed: BuyoutQuote | None | object = _UNREAD) -> str:
    """Why the contract takes no request that changes it, "" when it does: it has ended (closed,
    terminated), or an agreed buyout ends it on its effective date. `agreed`: the agreed buyout when the
    caller has read it already (buyout_holds), else it is read here."""
    if contract.status != Contract.Status.ACTIVE:
        return _(
            "Contract %(number)s is no longer active (%(status)s): requests changing it are not accepted."
        ) % {
            "number": contract.number,
            "status": contract.get_status_display(),
        }
    buyout = accepted_buyout(contract) if agreed is _UNREAD else agreed
    if buyout is not None:
        return _(
            "Contract %(number)s ends on %(date)s with the agreed buyout: requests changing it are not accepted."
        ) % {"number": contract.number, "date": format_date(buyout.effective_date, lang=active_lang())}
    return ""


def open_to_changes(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """The contracts among these that take a request changing them (change_refusal says "")."""
    return contracts.filter(status=Contract.Status.ACTIVE).exclude(
        buyout_quotes__status=BuyoutQuote.Status.ACCEPTED
    )


def list_contracts_for_client(*, client: Client) -> QuerySet[Contract]:
    """Return the client's contracts with the leased item's name and the capital remaining, in SQL."""
    items = LeasedItem.objects.filter(contract=OuterRef("pk"))
    first_item = items.order_by("id").values("name")[:1]
    # Correlated subqueries rather than a JOIN + GROUP BY, which would group every row first.
    item_count = items.order_by().values("contract").annotate(n=Count("id")).values("n")
    return (
        restrict(Contract.objects.filter(client=client), client, "pk")
        .annotate(
            capital_remaining=capital_remaining_expression(),
            item_name=Subquery(first_item),
            item_count=Coalesce(Subquery(item_count, output_field=IntegerField()), Value(0)),
        )
        .order_by("-start_date", "number")
    )


def _invoiced_pairs(**where) -> QuerySet:
    invoice_model = Contract.invoices.rel.related_model
    return (
        invoice_model.objects.filter(installment_number__isnull=False, **where)
        .order_by()
        .values_list("contract_id", "installment_number")
    )


# Read by every step that re-plans one contract's schedule: compiled once per connection.
_INVOICED_INSTALLMENTS_OF_CONTRACT = PreparedRead(
    lambda contract_id: _invoiced_pairs(contract_id=contract_id), ints=("contract_id",)
)


def invoiced_installments(contract_ids: Iterable[int]) -> dict[int, set[int]]:
    """The numbers of the installments already invoiced, per contract: a change keeps them as invoiced
    (schedule.kept_installment_count). One read of the invoices alone (no join: a step reads its contract
    once), their model reached through the contract's relation (a lower layer may not import the app)."""
    ids = list(contract_ids)
    if len(ids) == 1:  # a step's one contract: the prepared read
        pairs = _INVOICED_INSTALLMENTS_OF_CONTRACT.rows(contract_id=ids[0])
    else:
        pairs = _invoiced_pairs(contract_id__in=ids)
    invoiced: dict[int, set[int]] = {}
    for contract_id, number in pairs:
        invoiced.setdefault(contract_id, set()).add(number)
    return invoiced


def with_kept_installments(contracts: list[Contract], *, today: date) -> list[Contract]:
    """Set `kept_installments` on each contract: how many installments a schedule change keeps as they
    are (kept_installment_count); the form needs the new period minus that many amounts. Two reads."""
    rows = (
        ScheduleRow.objects.filter(contract__in=contracts)
        .order_by("contract_id", "number")
        .values_list("contract_id", "number", "due_date", "paid")
    )
    invoiced = invoiced_installments(contract.pk for contract in contracts)
    kept = {
        contract_id: kept_installment_count(
            ((due, paid, number in invoiced.get(contract_id, ())) for _id, number, due, paid in group),
            today=today,
        )
        for contract_id, group in groupby(rows, key=lambda row: row[0])
    }
    for contract in contracts:
        contract.kept_installments = kept.get(contract.pk, 0)
    return contracts


def get_contract_for_client(*, client: Client, contract_id: int) -> Contract:
    contract = list_contracts_for_client(client=client).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound()
    return contract


def client_has_contracts(*, client: Client) -> bool:
    return restrict(Contract.objects.filter(client=client), client, "pk").exists()


def list_schedule_rows(*, contract: Contract) -> QuerySet[ScheduleRow]:
    return ScheduleRow.objects.filter(contract=contract).order_by("number")


def list_schedule_rows_for_client(*, client: Client, contract_id: int) -> list[ScheduleRow]:
    """The schedule of the client's contract, scoped as get_contract_for_client scopes the contract.

    One query when the schedule has rows (the contract's client and the acting user's contracts are
    conditions of the same SELECT); only an empty answer asks whether the contract exists for the user
    at all (404 if not, an empty schedule if so).
    """
    if not MIN_ID <= contract_id <= MAX_ID:
        raise NotFound()  # a foreign key lookup, unlike a primary key's, passes any number to the database
    rows = restrict(
        ScheduleRow.objects.filter(contract_id=contract_id, contract__client=client), client, "contract"
    )
    found = list(rows.order_by("number"))
    if (
        not found
        and not restrict(Contract.objects.filter(client=client, pk=contract_id), client, "pk").exists()
    ):
        raise NotFound()
    return found


def list_items_for_contract(*, contract: Contract) -> QuerySet[LeasedItem]:
    return LeasedItem.objects.filter(contract=contract).prefetch_related("serial_numbers").order_by("id")


def list_policies_for_contract(*, contract: Contract) -> QuerySet[InsurancePolicy]:
    return InsurancePolicy.objects.filter(contract=contract).order_by("-period_start", "-id")


def get_active_policy(*, contract: Contract) -> InsurancePolicy:
    policy = (
        list_policies_for_contract(contract=contract).filter(status=InsurancePolicy.Status.ACTIVE).first()
    )
    if policy is None:
        raise NotFound()
    return policy


def get_policy_for_contract(*, contract: Contract, policy_id: int) -> InsurancePolicy:
    policy = list_policies_for_contract(contract=contract).filter(pk=policy_id).first()
    if policy is None:
        raise NotFound()
    return policy


def list_contract_choices(*, client: Client) -> list[tuple[int, str]]:
    """Return (id, number) of the client's contracts for drop-downs, by number: a fleet client's picker has
    hundreds, found by typing a number's first characters."""
    return list(
        restrict(Contract.objects.filter(client=client), client, "pk")
        .order_by("number")
        .values_list("id", "number")
    )


def default_contract_id(*, client: Client) -> int | None:
    """The contract a page about one contract of the client's opens with (the policies, the schedule
    download): the first active one by number, as an ended contract has no active policy and nothing
    left to pay; else the first. The others, ended ones too, stay to be chosen."""
    contracts = restrict(Contract.objects.filter(client=client), client, "pk").order_by("number")
    active = contracts.filter(status=Contract.Status.ACTIVE).values_list("id", flat=True).first()
    return active if active is not None else contracts.values_list("id", flat=True).first()


def get_schedule_chart(*, contract: Contract, today: date | None = None) -> dict:
    """Return the contract's schedule as chart series: capital remaining and installments, paid, overdue
    (unpaid past their due date, schedule.is_overdue) or to pay later.

    The installment series are split (an installment is in exactly one of them, None in the others), so
    a month's bars stack to its installment and the totals add up to the schedule; `to_pay_total` is
    every unpaid installment, the overdue ones included (`overdue_total`).
    """
    today = today or timezone.localdate()
    rows = list(
        list_schedule_rows(contract=contract).values_list(
            "number", "due_date", "gross", "capital_remaining", "paid"
        )
    )
    # Which of the three series each installment's bar is in.
    states = [
        "paid" if paid else "overdue" if is_overdue(due_date=due, paid=paid, today=today) else "to_pay"
        for _, due, _, _, paid in rows
    ]
    zero = Decimal("0.00")
    chart = {
        "currency": contract.currency,
        "numbers": [number for number, *_ in rows],
        "due_dates": [due_date for _, due_date, *_ in rows],
        "capital_remaining": [remaining for *_, remaining, _ in rows],
    }
    for series in ("paid", "overdue", "to_pay"):
        chart[series] = [row[2] if state == series else None for row, state in zip(rows, states, strict=True)]
    chart["paid_total"] = sum((gross for _, _, gross, _, paid in rows if paid), zero)
    chart["to_pay_total"] = sum((gross for _, _, gross, _, paid in rows if not paid), zero)
    chart["overdue_total"] = sum((gross for gross in chart["overdue"] if gross is not None), zero)
    return chart


def get_quote_for_client(*, client, contract_id: int, quote_id: int) -> BuyoutQuote:
    quote = (
        restrict(BuyoutQuote.objects.select_related("contract", "client"), client)
        .filter(pk=quote_id, client=client, contract_id=contract_id)
        .first()
    )
    if quote is None:
        raise NotFound()
    return quote
