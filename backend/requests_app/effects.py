"""What an approved request changes, and the service-task functions the BPMN processes call.

The planning functions are shared by the quote endpoint and by the service task that applies the change
after approval, so the client sees before submitting exactly what will be applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from backend.clients.models import Client
from backend.contracts import buyout_services
from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.schedule import (
    Installment,
    ScheduleError,
    compute_schedule,
    kept_installment_count,
    residual_from_percent,
)
from backend.contracts.selectors import change_refusal, invoiced_installments
from backend.contracts.services import (
    change_payment_day,
    end_date_for,
    replace_unpaid_installments,
    vat_rate_for,
)
from backend.core.exceptions import PortalValidationError
from backend.core.identifiers import format_iban
from backend.core.language import active_lang
from backend.core.money import format_amount, format_date, format_money, to_money
from backend.core.prepared_reads import PreparedRead
from backend.requests_app import history, outbox
from backend.requests_app.buyout_effects import request_for_quote
from backend.requests_app.models import PortalRequest, RequestKind
from workflows.service_tasks import declare_domain_errors, register

CLIENT_DATA_FIELDS = [
    "email",
    "phone",
    "registered_street",
    "registered_postal_code",
    "registered_city",
    "correspondence_street",
    "correspondence_postal_code",
    "correspondence_city",
    "bank_account",
]
# form_data key holding the values a request replaces as they were at submit time (a client data change's
# fields, a payment day change's day): a decided request still shows what it changed from.
PREVIOUS_VALUES_KEY = "previous_values"


def client_field_label(field: str) -> str:
    """A client data field's label as a form, a summary, a table or a decision heads it ("E-mail",
    "Telefon"), in the active language. The model's verbose name stays lowercase: Django also reads it
    mid-sentence (validation messages)."""
    return capfirst(str(Client._meta.get_field(field).verbose_name))


@dataclass(frozen=True)
class SchedulePlan:
    installments: list[Installment]
    months: int
    residual_percent: Decimal
    net_value: Decimal


def _replanned_rows(contract: Contract, today: date) -> tuple[list[ScheduleRow], list[ScheduleRow]]:
    """Return (the rows the change keeps as they are, the rows still to come that it re-plans)."""
    rows = list(contract.schedule_rows.order_by("number"))
    invoiced = invoiced_installments([contract.pk]).get(contract.pk, set())
    kept = kept_installment_count(
        ((row.due_date, row.paid, row.number in invoiced) for row in rows), today=today
    )
    if kept == len(rows):
        raise ScheduleError(_("The contract has no future installments to change."))
    return rows[:kept], rows[kept:]


def plan_schedule_change(
    contract: Contract,
    *,
    residual_percent: Decimal | None = None,
    months: int | None = None,
    installment_option: str = "auto",
    net_installments: list[Decimal] | None = None,
    net_value: Decimal | None = None,
    today: date | None = None,
) -> SchedulePlan:
    """Return the installments still to come after the change; raise ScheduleError if impossible.

    Paid, overdue and invoiced installments stay as they are (kept_installment_count), so the capital to
    spread is what remains after the last kept one, and installment `new_months` stays the last one.
    """
    kept_rows, replanned = _replanned_rows(contract, today or timezone.localdate())
    kept, first = len(kept_rows), replanned[0]
    outstanding = first.capital_remaining + first.capital
    new_net_value = to_money(net_value) if net_value is not None else contract.net_value
    financed = outstanding + (new_net_value - contract.net_value)
    new_months = months or contract.months
    remaining = new_months - kept
    if remaining < 1:
        raise ScheduleError(
            _("The new period must be longer than the %(kept)d installments already paid, due or invoiced.")
            % {"kept": kept}
        )
    percent = Decimal(residual_percent) if residual_percent is not None else contract.residual_percent
    if not Decimal(0) <= percent <= Decimal(50):
        raise ScheduleError(_("The final value must be between 0% and 50%."))
    if net_value is not None:
        _refuse_value_not_above_repaid(
            contract, new_net_value, kept_rows=kept_rows, outstanding=outstanding, percent=percent
        )
    if installment_option == "keep":
        fixed = [first.net] * (remaining - 1)
    elif installment_option == "amount":
        fixed = [to_money(v) for v in (net_installments or [])]
        if len(fixed) not in {remaining - 1, remaining}:
            raise ScheduleError(
                _("Give %(count)d net installment amounts, one for each remaining installment.")
                % {"count": remaining}
            )
    elif (new_months, percent, new_net_value) == (
        contract.months,
        contract.residual_percent,
        contract.net_value,
    ):
        # Nothing to adjust: the installments stay what they are. An annuity recomputed from the capital
        # left (itself the sum of installments rounded to grosze) can land a grosz off the current one.
        fixed = [row.net for row in replanned[:-1]]
    else:
        fixed = None
    try:
        installments = compute_schedule(
            financed_amount=financed,
            residual_value=residual_from_percent(new_net_value, percent),
            annual_rate_percent=contract.annual_rate,
            months=remaining,
            payment_day=contract.payment_day,
            first_month=first.due_date,
            vat_rate=vat_rate_for(contract),
            first_number=first.number,
            net_installments=fixed,
        )
    except ScheduleError as exc:
        raise ScheduleError(_translate_schedule_error(str(exc))) from exc
    return SchedulePlan(installments, new_months, percent, new_net_value)


def _refuse_value_not_above_repaid(
    contract: Contract,
    new_net_value: Decimal,
    *,
    kept_rows: list[ScheduleRow],
    outstanding: Decimal,
    percent: Decimal,
) -> None:
    """A new value re-plans what is left of it after the capital of the installments the change keeps, and
    its final value must stay below that: refuse a lower amount naming the lowest one that works (the
    schedule's own check only said "the financed amount must be positive"). The message names the capital
    really repaid (paid installments) and, apart, the capital of the kept unpaid ones (overdue or
    invoiced): still owed, but not re-planned either."""
    kept_capital = contract.net_value - outstanding
    repaid = sum((row.capital for row in kept_rows if row.paid), Decimal("0.00"))
    owed = kept_capital - repaid

    def works(value: Decimal) -> bool:
        return value - kept_capital > residual_from_percent(value, percent)

    if works(new_net_value):
        return
    step = Decimal("0.01")
    lowest = to_money(kept_capital / (1 - percent / 100))  # about where it starts to work; then to the grosz
    while not works(lowest):
        lowest += step
    while works(lowest - step):
        lowest -= step
    lang = active_lang()
    if percent == 0 and not owed:
        message = _(
            "The net amount after the change must be higher than %(repaid)s (the capital already repaid)."
        )
    elif percent == 0:
        message = _(
            "The net amount after the change must be higher than %(kept)s: %(repaid)s of the capital is "
            "already repaid and %(owed)s is in installments already due or invoiced, which the change keeps."
        )
    elif not owed:
        message = _(
            "The net amount after the change must be at least %(lowest)s: %(repaid)s of the capital is already "
            "repaid and the final value (%(percent)s%%) must stay below what is left."
        )
    else:
        message = _(
            "The net amount after the change must be at least %(lowest)s: %(repaid)s of the capital is "
            "already repaid, %(owed)s is in installments already due or invoiced, which the change keeps, "
            "and the final value (%(percent)s%%) must stay below what is left."
        )
    raise ScheduleError(
        message
        % {
            "repaid": format_money(repaid, contract.currency, lang=lang),
            "owed": format_money(owed, contract.currency, lang=lang),
            "kept": format_money(kept_capital, contract.currency, lang=lang),
            "lowest": format_money(lowest, contract.currency, lang=lang),
            "percent": format_amount(percent, lang=lang),
        }
    )


# The contract's figures a change of each kind replaces: kept on the request at submit (PREVIOUS_VALUES_KEY)
# and shown beside what the client asks for (current → requested), while open from the contract itself.
CHANGED_FIGURES = {
    RequestKind.PAYMENT_DATE_CHANGE: ("payment_day",),
    RequestKind.CONTRACT_VALUE_CHANGE: ("net_value", "net_installment"),
    RequestKind.SCHEDULE_CHANGE: ("months", "residual_percent", "net_installment"),
}


def contract_figures(contract: Contract, kind: str, *, today: date | None = None) -> dict:
    """The contract's current figures a change of `kind` replaces, as JSON data. `net_installment` is the
    first installment the change re-plans (paid and overdue ones stay), None when none is left."""
    figures = {}
    for name in CHANGED_FIGURES.get(kind, ()):
        if name == "net_installment":
            try:
                first = _replanned_rows(contract, today or timezone.localdate())[1][0]
            except ScheduleError:
                figures[name] = None
            else:
                figures[name] = {"number": first.number, "net": str(first.net)}
        else:
            value = getattr(contract, name)
            figures[name] = str(value) if isinstance(value, Decimal) else value
    return figures


def _translate_schedule_error(message: str) -> str:
    known = {
        "The period must be at least one month.": _("The period must be at least one month."),
        "The period cannot exceed 120 months.": _("The period cannot exceed 120 months."),
        "The financed amount must be positive.": _("The financed amount must be positive."),
        "The final value must be at least zero and below the financed amount.": _(
            "The final value must be at least zero and below the financed amount."
        ),
        "The payment day must be between 1 and 28.": _("The payment day must be between 1 and 28."),
        "Give a net amount for each installment.": _("Give a net amount for each installment."),
        "An installment is lower than its interest: the debt would grow.": _(
            "An installment is lower than its interest: the debt would grow."
        ),
        "The installments repay more than the financed amount.": _(
            "The installments repay more than the financed amount."
        ),
    }
    return str(known.get(message, message))


def schedule_change_plan_for(contract: Contract, data: dict) -> SchedulePlan:
    return plan_schedule_change(
        contract,
        residual_percent=Decimal(str(data["residual_percent"]))
        if data.get("residual_percent") not in (None, "")
        else None,
        months=data.get("months") or None,
        installment_option=data.get("installment_option", "auto"),
        net_installments=[Decimal(str(v)) for v in data.get("net_installments") or []],
    )


def contract_value_plan_for(contract: Contract, data: dict) -> SchedulePlan:
    return plan_schedule_change(contract, net_value=Decimal(str(data["net_amount"])))


# --------------------------------------------------------------------------------------------------
# Service tasks (registered by name; see workflows/service_tasks.py)

# An impossible schedule is the staff's refusal to show (complete_staff_task), not a process incident.
declare_domain_errors(ScheduleError)


def _request(data: dict, subject, *related: str) -> PortalRequest:
    """The step's request: the one the deciding action locked and read (`subject`), or read here (a
    timer's step has none), joined only to what the service task reads."""
    if isinstance(subject, PortalRequest) and subject.pk == data["request_id"]:
        return subject
    return PortalRequest.objects.select_related(*related).get(pk=data["request_id"])


def _apply_plan(contract: Contract, plan: SchedulePlan) -> None:
    replace_unpaid_installments(contract, plan.installments)
    buyout_services.expire_offers_of_changed_contract(contract)
    if plan.months != contract.months:
        # By the contract's rule from its start, not the last installment's due date (which falls on the
        # payment day, before the end): an unchanged period keeps the end date.
        contract.end_date = end_date_for(contract, plan.months)
    contract.months = plan.months
    contract.residual_percent = plan.residual_percent
    contract.net_value = plan.net_value
    contract.save(update_fields=["months", "residual_percent", "net_value", "end_date", "updated_at"])


# The approval of a contract change locks its contract: compiled once per connection (core/prepared_reads.py).
_LOCKED_CONTRACT = PreparedRead(
    lambda pk: Contract.objects.select_for_update().filter(pk=pk)[:1], ints=("pk",)
)


class ContractNotOpen(PortalValidationError):
    """The approval would change a contract that ended (or that an agreed buyout ends) since the submit:
    staff read why next to the decision and reject the request."""

    code = "contract_not_open"


declare_domain_errors(ContractNotOpen)


def _locked_contract(portal_request: PortalRequest) -> Contract:
    """Lock and read the request's contract, refusing one no longer open to changes (the submit's rule,
    contracts.selectors.change_refusal, checked again at approval); the request keeps it, so the decision
    document's title (generate_decision_document, later in the same step) reads no row again."""
    contract = _LOCKED_CONTRACT.first(pk=portal_request.contract_id)
    if contract is None:
        raise Contract.DoesNotExist(f"Contract {portal_request.contract_id} does not exist.")
    refusal = change_refusal(contract)
    if refusal:
        raise ContractNotOpen(refusal, fields={"decision": [refusal]})
    _refuse_while_buyout_in_progress(contract)
    portal_request.contract = contract
    return contract


class BuyoutInProgress(PortalValidationError):
    """The approval would change the schedule an open early termination request's quote was computed
    from: staff decide that request first. Ending its quote here instead would decide the client's buyout
    request by another request's approval, and leave it waiting for an answer to a quote that is gone."""

    code = "buyout_in_progress"


declare_domain_errors(BuyoutInProgress)


def _refuse_while_buyout_in_progress(contract: Contract) -> None:
    quote = buyout_services.quote_in_progress(contract)
    if quote is None:
        return
    holder = request_for_quote(quote)
    message = _(
        "The early termination request %(request)s of this contract is open with the quote %(quote)s, "
        "computed from the current schedule: decide that request first, then this change."
    ) % {"request": holder.number if holder else "—", "quote": quote.number}
    raise BuyoutInProgress(message, fields={"decision": [message]})


@register("apply_payment_date_change")
def apply_payment_date_change(params: dict, data: dict, subject=None) -> dict:
    portal_request = _request(data, subject)
    contract = _locked_contract(portal_request)
    old_day, new_day = contract.payment_day, int(portal_request.form_data["payment_day"])
    moved = change_payment_day(contract, payment_day=new_day)
    buyout_services.expire_offers_of_changed_contract(contract)
    # Paid, overdue and invoiced installments keep their dates (kept_installment_count): name the first
    # one that moves, not "the next unpaid one", which may be invoiced with the old date.
    since = f", od raty nr {moved[0][0]} płatnej {format_date(moved[0][1])}" if moved else ""
    return {
        "old_payment_day": old_day,
        "new_payment_day": new_day,
        "moved_installments": len(moved),
        "summary": [
            f"Dotychczasowy dzień płatności rat: {old_day}.",
            f"Nowy dzień płatności rat: {new_day}{since}.",
        ],
    }


@register("apply_contract_value_change")
def apply_contract_value_change(params: dict, data: dict, subject=None) -> dict:
    portal_request = _request(data, subject)
    contract = _locked_contract(portal_request)
    old_value = contract.net_value
    plan = contract_value_plan_for(contract, portal_request.form_data)
    _apply_plan(contract, plan)
    first = plan.installments[0]
    return {
        "old_net_value": str(old_value),
        "new_net_value": str(plan.net_value),
        "summary": [
            f"Dotychczasowa wartość netto umowy: {format_money(old_value, contract.currency)}.",
            f"Nowa wartość netto umowy: {format_money(plan.net_value, contract.currency)}.",
            # The balance the re-planned installments start from: the contract page's capital remaining.
            f"Kapitał do spłaty od raty nr {first.number}: "
            f"{format_money(first.capital_remaining + first.capital, contract.currency)}.",
            f"Nowa rata netto: {format_money(first.net, contract.currency)}.",
        ],
    }


@register("apply_schedule_change")
def apply_schedule_change(params: dict, data: dict, subject=None) -> dict:
    portal_request = _request(data, subject)
    contract = _locked_contract(portal_request)
    plan = schedule_change_plan_for(contract, portal_request.form_data)
    summary = schedule_change_summary(contract, plan)  # before the change: it names the old terms too
    _apply_plan(contract, plan)
    return {"months": plan.months, "residual_percent": str(plan.residual_percent), "summary": summary}


def schedule_change_summary(contract: Contract, plan: SchedulePlan) -> list[str]:
    """The annex's lines of a schedule change (Polish, like every decision document), worded for the
    contract's type: a loan has a loan period and no final value. Numbers through backend/core/money.py."""
    money = lambda value: format_money(value, contract.currency)  # noqa: E731
    period = "Okres pożyczki" if contract.type == Contract.Type.LOAN else "Okres leasingu"
    lines = [
        f"{period}: {plan.months} mies." + _was(f"{contract.months} mies.", plan.months != contract.months)
    ]
    if contract.type != Contract.Type.LOAN:
        residual = residual_from_percent(plan.net_value, plan.residual_percent)
        was = _was(
            f"{format_amount(contract.residual_percent)}%", plan.residual_percent != contract.residual_percent
        )
        lines.append(f"Wartość końcowa: {format_amount(plan.residual_percent)}% ({money(residual)}){was}.")
    first, last = plan.installments[0], plan.installments[-1]
    lines.append(
        f"Liczba przeliczonych rat: {len(plan.installments)} (od raty nr {first.number} płatnej "
        f"{format_date(first.due_date)}); pierwsza rata netto: {money(first.net)}."
    )
    lines.append(f"Ostatnia rata nr {last.number} płatna {format_date(last.due_date)}.")
    return lines


def _was(old: str, changed: bool) -> str:
    """ " (dotychczas: …)" after a term the change changed, "" after one it keeps."""
    return f" (dotychczas: {old})" if changed else ""


@register("apply_client_data_change")
def apply_client_data_change(params: dict, data: dict, subject=None) -> dict:
    portal_request = _request(data, subject)
    client = Client.objects.select_for_update().get(pk=portal_request.client_id)
    changes = {}
    for field in CLIENT_DATA_FIELDS:
        if field in portal_request.form_data:
            new = portal_request.form_data[field]
            old = getattr(client, field)
            if new != old:
                changes[field] = {"old": old, "new": new}
                setattr(client, field, new)
    client.full_clean()
    client.save()
    history.data_changed(portal_request, changes=changes)
    return {"changed_fields": sorted(changes), "summary": client_data_summary(changes)}


def client_data_summary(changes: dict[str, dict]) -> list[str]:
    """The decision's lines of a client data change: each field by the label the forms and the staff's
    before/after table use, old → new (Polish, like every decision document)."""
    if not changes:
        return ["Dane klienta pozostają bez zmian."]
    lines = []
    with translation.override("pl"):
        for field in CLIENT_DATA_FIELDS:
            if field in changes:
                old, new = changes[field]["old"] or "", changes[field]["new"] or ""
                if field == "bank_account":
                    old, new = format_iban(old), format_iban(new)
                lines.append(f"{client_field_label(field)}: {old or '—'} → {new or '—'}.")
    return lines


@register("record_staff_answer")
def record_staff_answer(params: dict, data: dict) -> dict:
    """An answer changes nothing to list in the decision's summary: the document prints the answer itself
    (decision_document.render_docx), so listing it here printed it twice."""
    return {"summary": []}


@register("send_client_reminder")
def send_client_reminder(params: dict, data: dict, subject=None) -> dict:
    portal_request = _request(data, subject)
    history.reminder_sent(portal_request)
    outbox.reminder_sent(portal_request)
    return {"reminded_at": timezone.now().isoformat()}


@register("generate_decision_document")
def generate_decision_document(params: dict, data: dict, subject=None) -> dict:
    from backend.requests_app.decision_document import request_decision_document

    portal_request = _request(data, subject, "contract")  # an annex is titled with its contract's number
    # Rendered by the worker after commit: the step only records what to render (its history row).
    event = request_decision_document(
        portal_request,
        outcome=params.get("outcome", "approved"),
        reason=data.get("reason", ""),
        answer=data.get("answer", ""),
        summary=(data.get("change_result") or {}).get("summary", []),
    )
    return {"history_id": event.pk}
