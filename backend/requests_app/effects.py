"""The service-task functions the BPMN processes call: what an approved request changes.

The plans they apply come from change_plans.py, the same functions the client's preview and the submit's
validation use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.clients.models import Client
from backend.contracts import buyout_services
from backend.contracts.models import Contract
from backend.contracts.schedule import Installment, ScheduleError, residual_from_percent
from backend.contracts.selectors import buyout_holds, change_refusal, lock_contract
from backend.contracts.services import change_payment_day, end_date_for, replace_unpaid_installments
from backend.core.exceptions import PortalValidationError
from backend.core.identifiers import format_iban
from backend.core.language import in_each_language
from backend.core.money import format_amount, format_date, format_money
from backend.requests_app import history, outbox
from backend.requests_app.buyout_effects import expired_counter_offer, request_for_quote
from backend.requests_app.change_plans import (
    APPROVED_VALUES_KEY,
    CLIENT_DATA_FIELDS,
    CONVERSION_KEY,
    SchedulePlan,
    client_field_label,
    contract_value_plan_for,
    schedule_change_plan_for,
)
from backend.requests_app.client_waits import wait_end_has_come
from backend.requests_app.models import PortalRequest
from backend.requests_app.price_conversion import conversion_line
from workflows.contract import Outcome, get_contract
from workflows.service_tasks import TIMER_DUES_KEY, declare_domain_errors, register

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


class ContractNotOpen(PortalValidationError):
    """The approval would change a contract that ended (or that an agreed buyout ends) since the submit:
    staff read why next to the decision and reject the request."""

    code = "contract_not_open"


declare_domain_errors(ContractNotOpen)


def _locked_contract(portal_request: PortalRequest) -> Contract:
    """Lock and read the request's contract, refusing one no longer open to changes (the submit's rule,
    contracts.selectors.change_refusal, checked again at approval) or held by an open early termination
    request (contract_change_refusal); the request keeps it, so the decision document's title
    (generate_decision_document, later in the same step) reads no row again."""
    contract = lock_contract(portal_request.contract_id)
    refusal = contract_change_refusal(contract)
    if refusal is not None:
        raise refusal
    portal_request.contract = contract
    return contract


class BuyoutInProgress(PortalValidationError):
    """The approval would change the schedule an open early termination request's quote was computed
    from: staff decide that request first. Ending its quote here instead would decide the client's buyout
    request by another request's approval, and leave it waiting for an answer to a quote that is gone.
    `holder`: that request (the task page links to it)."""

    code = "buyout_in_progress"
    holder: PortalRequest | None = None


declare_domain_errors(BuyoutInProgress)


def contract_change_refusal(contract: Contract) -> ContractNotOpen | BuyoutInProgress | None:
    """Why an approval may not change the contract now, None when it may: it is no longer open to changes
    (contracts.selectors.change_refusal), or an open early termination request holds a quote on it
    (requested, or countered and waiting for an answer: contracts.selectors.buyout_holds), whose figures are
    those of the schedule today, so a change of the schedule, value or payment day waits for that request's
    decision. Read-only: the approval raises it under the contract's lock (_locked_contract), the task page
    says it before the staff member decides (approval_refusal)."""
    agreed, in_progress = buyout_holds(contract)  # both checks in one read
    refusal = change_refusal(contract, agreed=agreed)
    if refusal:
        return ContractNotOpen(refusal, fields={"decision": [refusal]})
    if in_progress is None:
        return None
    holder = request_for_quote(in_progress)
    message = _(
        "The early termination request %(request)s of this contract is open with the quote %(quote)s, "
        "computed from the current schedule: decide that request first, then this change."
    ) % {"request": holder.number if holder else "—", "quote": in_progress.number}
    error = BuyoutInProgress(message, fields={"decision": [message]})
    error.holder = holder
    return error


# The operations that change a contract's schedule, value or payment day, each through _locked_contract:
# registered by _contract_change, so approval_refusal knows which approvals the check above refuses.
_CONTRACT_CHANGES: set[str] = set()


def _contract_change(name: str) -> Callable[[Callable], Callable]:
    """Register the service task `name` (workflows.service_tasks.register) as one changing the contract."""
    _CONTRACT_CHANGES.add(name)
    return register(name)


def approval_refusal(portal_request: PortalRequest) -> ContractNotOpen | BuyoutInProgress | None:
    """The refusal approving the request would meet now, None when none: its type's approval changes the
    contract (workflows.contract: the operations an approval runs) and contract_change_refusal refuses it.
    Read without a lock, for the staff task page to say before the decision; the approval checks again."""
    declared = get_contract(portal_request.kind)
    applies = declared.effects.get(Outcome.APPROVED, ()) if declared else ()
    if portal_request.contract_id is None or not _CONTRACT_CHANGES.intersection(applies):
        return None
    return contract_change_refusal(portal_request.contract)


def _keep_approved_installment(portal_request: PortalRequest, first: Installment) -> None:
    """Keep on the request the first installment the approval re-planned, the annex's new installment:
    the decided request shows it beside the previous one (kept at submit) without recomputing it from a
    contract that later changes may have re-planned again."""
    portal_request.form_data = {
        **portal_request.form_data,
        APPROVED_VALUES_KEY: {"net_installment": {"number": first.number, "net": str(first.net)}},
    }
    PortalRequest.objects.filter(pk=portal_request.pk).update(form_data=portal_request.form_data)


@_contract_change("apply_payment_date_change")
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


@_contract_change("apply_contract_value_change")
def apply_contract_value_change(params: dict, data: dict, subject=None) -> dict:
    portal_request = _request(data, subject)
    contract = _locked_contract(portal_request)
    old_value = contract.net_value
    plan = contract_value_plan_for(contract, portal_request.form_data)
    _apply_plan(contract, plan)
    first = plan.installments[0]
    _keep_approved_installment(portal_request, first)
    # A foreign price, converted at the approval's rate (price_conversion.py): the letter names both amounts.
    conversion = portal_request.form_data.get(CONVERSION_KEY)
    return {
        "old_net_value": str(old_value),
        "new_net_value": str(plan.net_value),
        "summary": [
            *([conversion_line(conversion, lang="pl")] if conversion else []),
            f"Dotychczasowa wartość netto umowy: {format_money(old_value, contract.currency)}.",
            f"Nowa wartość netto umowy: {format_money(plan.net_value, contract.currency)}.",
            # The balance the re-planned installments start from: the contract page's capital remaining.
            f"Kapitał do spłaty od raty nr {first.number}: "
            f"{format_money(first.capital_remaining + first.capital, contract.currency)}.",
            f"Nowa rata netto: {format_money(first.net, contract.currency)}.",
        ],
    }


@_contract_change("apply_schedule_change")
def apply_schedule_change(params: dict, data: dict, subject=None) -> dict:
    portal_request = _request(data, subject)
    contract = _locked_contract(portal_request)
    plan = schedule_change_plan_for(contract, portal_request.form_data)
    summary = schedule_change_summary(contract, plan)  # before the change: it names the old terms too
    _apply_plan(contract, plan)
    _keep_approved_installment(portal_request, plan.installments[0])
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
    portal_request = _request(data, subject, "process_instance")  # its timers' due times: wait_end_has_come
    if wait_end_has_come(portal_request):
        # Beat was down past the wait's end too: its timer fires in this sweep, right after this reminder,
        # and tells the client the wait is over. A reminder now would ask for what is no longer awaited.
        return {}
    # A buyout counter-offer past its date cannot be accepted: the reminder says so instead of asking.
    expired = expired_counter_offer(portal_request)
    # A late sweep fires a cycle's missed reminders once (workflows/engine/timers.py): one row, one e-mail,
    # the row telling staff the due times it stands for.
    history.reminder_sent(portal_request, **late_reminder_texts(data.get(TIMER_DUES_KEY) or []))
    outbox.reminder_sent(portal_request, offer_expired_on=expired.counter_valid_until if expired else None)
    return {"reminded_at": timezone.now().isoformat()}


def late_reminder_texts(due_times: list[str]) -> dict:
    """The row of a reminder sent late — several missed ones, or one due on an earlier day than today: its
    Polish message, and its data (the due times, the English message: request_display.history_message shows
    the reader's); nothing for one sent on its day. Staff's detail: the client reads the row's title alone
    (selectors.STAFF_DETAIL_KINDS)."""
    days = list(dict.fromkeys(timezone.localdate(datetime.fromisoformat(due)) for due in due_times))
    if len(due_times) == 1 and days[0] < timezone.localdate():
        texts = in_each_language(
            lambda lang: (
                _("Sent late: the reminder due on %(date)s.") % {"date": format_date(days[0], lang=lang)}
            )
        )
    elif len(due_times) > 1:
        texts = in_each_language(
            lambda lang: (
                _("Sent late: one reminder for those due on %(dates)s.")
                % {"dates": ", ".join(format_date(day, lang=lang) for day in days)}
            )
        )
    else:
        return {}
    return {"message": texts["pl"], "data": {"late_for": due_times, "message_en": texts["en"]}}


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
