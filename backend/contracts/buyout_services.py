"""Writes on buyout quotes: give a quote, reserve it for a request, counter it, apply the binding one.

The arithmetic is backend/contracts/buyout.py; this module reads the schedule, stores the figures and
moves the quote through offered → requested → (countered →) accepted, or declined / cancelled / expired.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.buyout import DEFAULT_FEE_PERCENT, VALID_DAYS, BuyoutError, compute_quote
from backend.contracts.models import BuyoutQuote, Contract
from backend.contracts.selectors import change_refusal, lock_contract
from backend.contracts.services import vat_rate_for
from backend.core.exceptions import Conflict, NotFound, PortalValidationError, TaskNotReady
from backend.core.language import active_lang
from backend.core.money import format_date, format_money, to_money
from backend.core.prepared_writes import update_row

OPEN = [BuyoutQuote.Status.OFFERED, BuyoutQuote.Status.REQUESTED, BuyoutQuote.Status.COUNTERED]


class QuoteRefused(PortalValidationError):
    """The quote cannot be used for this step (expired, already used, contract no longer active)."""

    code = "buyout_quote_refused"


class QuoteTaken(Conflict):
    code = "buyout_quote_taken"

    def default_message(self) -> str:
        return _("This quote has already been used for a request.")


def fee_percent() -> Decimal:
    """The early termination fee, % of the capital repaid early (setting BUYOUT_FEE_PERCENT)."""
    return Decimal(str(getattr(settings, "BUYOUT_FEE_PERCENT", DEFAULT_FEE_PERCENT)))


def valid_days() -> int:
    return int(getattr(settings, "BUYOUT_QUOTE_VALID_DAYS", VALID_DAYS))


@transaction.atomic
def create_quote(
    *, user: User, client: Client, contract: Contract, effective_date: date, today: date | None = None
) -> BuyoutQuote:
    """Compute and store a quote for the client's active contract; field errors name `effective_date`."""
    today = today or timezone.localdate()
    if contract.client_id != client.pk:
        raise NotFound()
    if change_refusal(contract):  # ended, or an agreed buyout ends it already
        raise QuoteRefused(_("A quote can be given only for an active contract."))
    try:
        figures = compute_quote(
            rows=list(contract.schedule_rows.all()),
            financed_amount=contract.net_value,
            residual_value=contract.residual_value,
            annual_rate_percent=contract.annual_rate,
            vat_rate=vat_rate_for(contract),
            fee_percent=fee_percent(),
            effective_date=effective_date,
            today=today,
            valid_days=valid_days(),
        )
    except BuyoutError as exc:
        raise PortalValidationError(str(exc), fields={"effective_date": [str(exc)]}) from exc
    quote = BuyoutQuote.objects.create(
        contract=contract,
        client=client,
        created_by=user,
        quote_date=today,
        effective_date=figures.effective_date,
        valid_until=figures.valid_until,
        currency=contract.currency,
        base_installment=figures.base_installment,
        interest_from=figures.interest_from,
        interest_days=figures.interest_days,
        annual_rate=contract.annual_rate,
        fee_percent=fee_percent(),
        vat_rate=figures.vat_rate,
        capital_remaining=figures.capital_remaining,
        residual_value=figures.residual_value,
        interest=figures.interest,
        fee=figures.fee,
        net_total=figures.net_total,
        vat=figures.vat,
        total=figures.total,
        unpaid_due=figures.unpaid_due,
    )
    quote.number = f"WK/{today.year}/{quote.pk:06d}"
    BuyoutQuote.objects.filter(pk=quote.pk).update(number=quote.number)
    return quote


def lock_quote(quote_id: int, *, client_id: int | None = None) -> BuyoutQuote:
    queryset = BuyoutQuote.objects.select_for_update().filter(pk=quote_id)
    if client_id is not None:
        queryset = queryset.filter(client_id=client_id)
    quote = queryset.first()
    if quote is None:
        raise NotFound()
    return quote


def _refuse_expired(quote: BuyoutQuote, today: date) -> None:
    if quote.offer_valid_until < today:
        raise QuoteRefused(
            _("The quote expired on %(date)s.") % {"date": format_date(quote.offer_valid_until)},
            fields={"quote_id": [_("The quote has expired: ask for a new one.")]},
        )


def reserve_quote(quote: BuyoutQuote, *, contract_id: int | None, today: date | None = None) -> None:
    """The request was submitted with this (locked) quote: it stops being a free offer."""
    today = today or timezone.localdate()
    if contract_id != quote.contract_id:
        raise QuoteRefused(fields={"quote_id": [_("The quote is not for this contract.")]})
    if quote.status != BuyoutQuote.Status.OFFERED:
        raise QuoteTaken()
    _refuse_expired(quote, today)
    quote.status = BuyoutQuote.Status.REQUESTED
    quote.save(update_fields=["status", "updated_at"])


def _checked_counter_total(quote: BuyoutQuote, total: Decimal) -> Decimal:
    """A counter-offer gives way on the quote: above zero and at most the quote's total.

    The quote is already what the contract lets the lessor claim for ending it on the effective date
    (the capital and residual value still owed, interest to that date, the early termination fee, VAT:
    backend/contracts/buyout.py); the date stays the same, so a higher "counter-offer" has no ground in
    the contract. A quote that no longer fits the contract is rejected and the client asks for a new one.
    """
    total = to_money(total)
    if total <= 0:
        message = _("Enter an amount above zero.")
        raise QuoteRefused(message, fields={"counter_total": [message]})
    if total > quote.total:
        message = _("A counter-offer cannot be higher than the quote's total of %(total)s.") % {
            "total": format_money(quote.total, quote.currency, lang=active_lang())
        }
        raise QuoteRefused(message, fields={"counter_total": [message]})
    return total


def counter_quote(quote: BuyoutQuote, *, total: Decimal, reason: str, today: date | None = None) -> None:
    """Staff offer another total, at most the quote's; valid for the usual days, never past the effective
    date."""
    today = today or timezone.localdate()
    if quote.status not in {BuyoutQuote.Status.REQUESTED, BuyoutQuote.Status.COUNTERED}:
        raise QuoteRefused(_("This quote cannot be countered any more."))
    if quote.effective_date < today:
        raise QuoteRefused(
            _(
                "The effective date %(date)s has passed: reject the request, the client can ask for a new quote."
            )
            % {"date": format_date(quote.effective_date)},
            fields={"counter_total": [_("The effective date has passed.")]},
        )
    total = _checked_counter_total(quote, total)
    quote.status = BuyoutQuote.Status.COUNTERED
    quote.counter_total = total
    quote.counter_reason = reason
    quote.counter_valid_until = min(today + timedelta(days=valid_days()), quote.effective_date)
    quote.counter_response = BuyoutQuote.Response.NONE
    quote.save()


def answer_counter(quote: BuyoutQuote, *, accept: bool, today: date | None = None) -> None:
    """The client accepts or declines the counter-offer (the locked quote)."""
    today = today or timezone.localdate()
    if quote.status != BuyoutQuote.Status.COUNTERED or quote.counter_response:
        # The request waits for the client's answer to a question, not to a counter-offer: a state conflict.
        raise TaskNotReady(_("There is no counter-offer waiting for your answer."))
    if accept:
        _refuse_expired(quote, today)
        quote.counter_response = BuyoutQuote.Response.ACCEPTED
    else:
        quote.counter_response = BuyoutQuote.Response.DECLINED
        quote.status = BuyoutQuote.Status.DECLINED
    quote.save(update_fields=["counter_response", "status", "updated_at"])


def release_quote(quote: BuyoutQuote, *, rejected: bool = False) -> None:
    """The request ended without a buyout: the quote is no longer binding. Staff's rejection declines it;
    a request withdrawn or cancelled (no reply, the repair console) cancels it with the request: nobody
    refused it, so the client does not read "declined", nor "expired" for a quote still within its date."""
    if quote.status in {BuyoutQuote.Status.REQUESTED, BuyoutQuote.Status.COUNTERED}:
        quote.status = BuyoutQuote.Status.DECLINED if rejected else BuyoutQuote.Status.CANCELLED
        quote.save(update_fields=["status", "updated_at"])


def expire_offers_of_changed_contract(contract: Contract) -> int:
    """An approved change re-planned the schedule the contract's free offers were computed from: they
    expire (the client reads "Expired" and asks for a new quote, whose figures are the new schedule's)."""
    return update_row(  # every approval of a change runs it: one prepared UPDATE (core/prepared_writes.py)
        BuyoutQuote,
        where={"contract_id": contract.pk, "status": BuyoutQuote.Status.OFFERED},
        values={"status": BuyoutQuote.Status.EXPIRED, "updated_at": timezone.now()},
    )


def apply_buyout(quote: BuyoutQuote, *, today: date | None = None) -> Contract:
    """Make the (locked) quote binding: the contract ends on the effective date, bought out.

    The installments due after the effective date are replaced by the buyout and removed from the
    schedule; those due by then stay as they are (the quote does not include them) and the contract stays
    active until that date: end_bought_out_contracts terminates it the day after. Refused when the
    contract no longer takes changes or has changed since the quote (another request re-planned it).
    """
    today = today or timezone.localdate()
    if (
        quote.status == BuyoutQuote.Status.COUNTERED
        and quote.counter_response != BuyoutQuote.Response.ACCEPTED
    ):
        raise QuoteRefused(_("The client has not accepted the counter-offer yet."))
    if quote.status not in {BuyoutQuote.Status.REQUESTED, BuyoutQuote.Status.COUNTERED}:
        raise QuoteRefused(_("This quote cannot be accepted any more."))
    if quote.offer_valid_until < today:
        raise QuoteRefused(
            _("The quote expired on %(date)s: make a counter-offer with a new total or reject the request.")
            % {"date": format_date(quote.offer_valid_until)}
        )
    contract = lock_contract(quote.contract_id)
    refusal = change_refusal(contract)
    if refusal:
        raise QuoteRefused(refusal)
    if contract.schedule_rows.filter(due_date__gt=quote.effective_date, paid=True).exists():
        raise QuoteRefused(_("An installment due after the effective date has been paid since the quote."))
    if not _quote_fits_contract(quote, contract):
        raise QuoteRefused(
            _(
                "The contract has changed since the quote %(number)s (its schedule, value or payment day): "
                "reject the request, the client can ask for a new quote."
            )
            % {"number": quote.number}
        )
    contract.schedule_rows.filter(due_date__gt=quote.effective_date).delete()
    contract.end_date = quote.effective_date
    contract.save(update_fields=["end_date", "updated_at"])
    quote.accepted_total = quote.binding_total
    quote.status = BuyoutQuote.Status.ACCEPTED
    quote.accepted_at = timezone.now()
    quote.save(update_fields=["accepted_total", "status", "accepted_at", "updated_at"])
    return contract


def _quote_fits_contract(quote: BuyoutQuote, contract: Contract) -> bool:
    """Whether the contract's schedule today gives the quote the figures it was given on its day: an
    approved value, schedule or payment day change since then makes it a quote of another schedule."""
    try:
        figures = compute_quote(
            rows=list(contract.schedule_rows.all()),
            financed_amount=contract.net_value,
            residual_value=contract.residual_value,
            annual_rate_percent=contract.annual_rate,
            vat_rate=quote.vat_rate,
            fee_percent=quote.fee_percent,
            effective_date=quote.effective_date,
            today=quote.quote_date,
        )
    except BuyoutError:
        return False
    given = (quote.base_installment, quote.capital_remaining, quote.residual_value, quote.interest)
    return (
        figures.base_installment,
        figures.capital_remaining,
        figures.residual_value,
        figures.interest,
    ) == given


def end_bought_out_contracts(*, today: date | None = None) -> int:
    """Terminate the active contracts whose agreed buyout took effect before `today` (daily, idempotent):
    a contract stays active to the end of its buyout's effective date."""
    today = today or timezone.localdate()
    due = Contract.objects.filter(
        status=Contract.Status.ACTIVE,
        buyout_quotes__status=BuyoutQuote.Status.ACCEPTED,
        buyout_quotes__effective_date__lt=today,
    )
    ended = 0
    with transaction.atomic():
        ids = set(due.values_list("pk", flat=True))
        # Locked by id (PostgreSQL locks no DISTINCT join) and checked again: a retried run ends none twice.
        for contract in Contract.objects.select_for_update().filter(
            pk__in=ids, status=Contract.Status.ACTIVE
        ):
            contract.terminate()
            contract.save(update_fields=["status", "updated_at"])
            ended += 1
    return ended


def expire_quotes(*, today: date | None = None) -> int:
    """Mark free offers past their date expired. A quote a request holds keeps its status (it reads as
    expired through `current_status`) so that staff can still counter it with fresh figures."""
    today = today or timezone.localdate()
    return BuyoutQuote.objects.filter(status=BuyoutQuote.Status.OFFERED, valid_until__lt=today).update(
        status=BuyoutQuote.Status.EXPIRED, updated_at=timezone.now()
    )
