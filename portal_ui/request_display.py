"""What a request's pages show of it, on the client's processing view and on the staff task page alike:
the submitted data in the user's language, a client data change as old → new, and the history rows.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from backend.contracts.schedule import ScheduleError
from backend.core.identifiers import format_iban
from backend.core.language import active_lang
from backend.documents.models import Document
from backend.permits.display import PERMIT_HIDDEN, PERMIT_LABELS, permit_value
from backend.requests_app.catalogue import (
    INSTALLMENT_OPTIONS,
    PAYMENT_DAY_REASONS,
    VALUE_CHANGE_OPTIONS,
    request_stage_label,
)
from backend.requests_app.change_plans import (
    APPROVED_VALUES_KEY,
    CHANGED_FIGURES,
    CLIENT_DATA_FIELDS,
    CONVERSION_KEY,
    PREVIOUS_VALUES_KEY,
    ForeignCurrencyPrice,
    client_field_label,
    contract_figures,
    contract_value_plan_for,
    schedule_change_plan_for,
)
from backend.requests_app.models import (
    OPEN_STATUSES,
    PortalRequest,
    RequestEvent,
    RequestKind,
    RequestStatus,
    client_status_label,
)
from backend.requests_app.price_conversion import conversion_text
from portal_ui.templatetags.portal_format import amount, money

# Inputs of the submit form typed as amounts ("1 234,56"): parsed on the way in, formatted on the way out.
DECIMAL_FIELDS = {"net_amount", "residual_percent"}
# Submitted data that are money: shown with the request's currency ("350 000,50 zł").
MONEY_FIELDS = {"net_amount", "net_installments"}

# A repair's row says what was done (its note, the reason, is the row's text), not only "repaired".
REPAIR_TITLES = {
    "retry": gettext_lazy("Administrator retried the process's steps"),
    "suspend": gettext_lazy("Process suspended by an administrator"),
    "resume": gettext_lazy("Process resumed by an administrator"),
    "edit_data": gettext_lazy("Task data corrected by an administrator"),
    "move_token": gettext_lazy("Process moved back to an earlier task by an administrator"),
    "cancel": gettext_lazy("Cancelled by an administrator"),
    "resolve_incident": gettext_lazy("Incident resolved by an administrator"),
}


def history_rows(portal_request: PortalRequest, *, for_client: bool = False) -> list[dict]:
    """The request's history (its prefetched events), each with the label of the stage it happened in and,
    for a status change, of the status it led to (an approval's two changes, approved then completed,
    happen in the same stage); `for_client`: statuses as the client reads them."""
    rows = []
    last_stage = None
    for event in portal_request.events.all():
        title = event.kind_label  # a document still being rendered is not called issued
        stage = request_stage_label(portal_request, event.stage) if event.stage else ""
        status = ""
        if event.kind == RequestEvent.Kind.STAGE_CHANGED:
            status = client_status_label(event.status_to) if for_client else _status_label(event.status_to)
            if event.stage and event.stage == last_stage:
                # Same stage, new status (approved → completed): not a second "Stage changed" to the same stage.
                title, stage = _("Status changed"), ""
        if event.kind == RequestEvent.Kind.REPAIRED:
            title = REPAIR_TITLES.get((event.data or {}).get("action", ""), title)
        if event.kind in (RequestEvent.Kind.SUBMITTED, RequestEvent.Kind.STAGE_CHANGED) and event.stage:
            last_stage = event.stage
        # Said once where the stage already says it ("Zrealizowany · status: Zrealizowany").
        rows.append(
            {
                "event": event,
                "title": title,
                "stage": stage,
                "status": "" if status.lower() == stage.lower() else status,
                "message": history_message(event, portal_request),
            }
        )
    return rows


def history_message(event: RequestEvent, portal_request: PortalRequest) -> str:
    """The row's text in the reader's language: a row the process wrote in both languages (a permit's
    failed rule, worded in its DMN table) keeps the English one in data["message_en"]; a generated
    decision document's row (stored in Polish) is titled again from its kind and numbers."""
    data = event.data or {}
    # A permit's row keeps its title, which is in both of the permit's languages.
    if event.kind == RequestEvent.Kind.DOCUMENT and "permit_code" not in data:
        return _decision_document_title(data.get("document_kind", ""), portal_request)
    if event.kind == RequestEvent.Kind.ASSIGNED:  # the colleague is named in the row's data
        return _("Assigned to %(name)s.") % {"name": data.get("assignee_name", "")}
    english = data.get("message_en")
    return str(english) if english and active_lang() == "en" else event.message


def _decision_document_title(kind: str, portal_request: PortalRequest) -> str:
    """The decision letter's or annex's title as the Documents list shows it; the document itself is in
    Polish only, which a reader of another language is told (it is not translated)."""
    contract_number = portal_request.contract.number if portal_request.contract_id else ""
    title = Document.generated_title(
        kind, request_number=portal_request.number, contract_number=contract_number
    )
    if active_lang() == "pl":
        return title
    return f"{title} ({pgettext('document language', 'in Polish')})"


def _status_label(status: str) -> str:
    return str(RequestStatus(status).label) if status in RequestStatus.values else status


def _amount_text(value) -> str:
    # The filter gives "" for what is not a number: such stored data is shown as it is.
    return amount(value) or str(value)


def _money_text(value, currency: str) -> str:
    return money(value, currency) or str(value)


def _currency(portal_request: PortalRequest, data: dict) -> str:
    """The currency of the request's amounts: the one submitted (a value change), else the contract's."""
    if data.get("currency"):
        return str(data["currency"])
    return portal_request.contract.currency if portal_request.contract_id else "PLN"


def form_data_rows(portal_request: PortalRequest) -> list[tuple[str, str]]:
    """Return the submitted data as (label, value) rows in the user's language."""
    data = portal_request.form_data or {}
    labels = {
        "payment_day": _("New payment day"),
        "reason": _("Reason"),
        "reason_other": _("Reason (other)"),
        "option": _("Kind of change"),
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
    figures = _replaced_figures(portal_request)
    rows = []
    for key, value in data.items():
        # Internal references: the old values feed "old → new", the buyout quote has its own card, a
        # permit's vehicle is named by "vehicle".
        if key in {PREVIOUS_VALUES_KEY, APPROVED_VALUES_KEY, "quote_id"} or key in PERMIT_HIDDEN:
            continue
        if key == CONVERSION_KEY:  # the approval's conversion of a foreign price: both amounts and the rate
            rows.append((_("Price converted at approval"), conversion_text(value, lang=active_lang())))
            continue
        if key == "bank_account":
            value = format_iban(value)
        if key in PERMIT_LABELS:  # the permit to go abroad: countries by name, dates as dates
            rows.append((str(PERMIT_LABELS[key]), permit_value(key, value)))
            continue
        label = client_field_label(key) if key in CLIENT_DATA_FIELDS else str(labels.get(key, key))
        if key in choices:
            value = choices[key].get(value, value)
        if key in BEFORE_LABELS:  # the contract's figure the change replaces first: current → requested
            rows.extend(_before_row(portal_request, key, figures))
        # Amounts through the portal's one formatter ("2 500,00 zł"), like the schedule and the preview.
        if key in MONEY_FIELDS:
            currency = _currency(portal_request, data)
            values = value if isinstance(value, list) else [value]
            value = "; ".join(_money_text(v, currency) for v in values)
        elif isinstance(value, list):
            value = "; ".join(_amount_text(v) for v in value)
        elif key in DECIMAL_FIELDS:
            value = _amount_text(value)
        rows.append((label, str(value)))
    return rows + _installment_rows(portal_request, figures)


# A submitted input → the contract figure it replaces (change_plans.CHANGED_FIGURES) and that figure's labels
# while the request is open (the contract's own, "Current …") and once decided ("Previous …").
BEFORE_LABELS = {
    "payment_day": ("payment_day", gettext_lazy("Current payment day"), gettext_lazy("Previous payment day")),
    "net_amount": (
        "net_value",
        gettext_lazy("Current net value of the contract"),
        gettext_lazy("Previous net value of the contract"),
    ),
    "months": (
        "months",
        gettext_lazy("Current lease period (months)"),
        gettext_lazy("Previous lease period (months)"),
    ),
    "residual_percent": (
        "residual_percent",
        gettext_lazy("Current final value %"),
        gettext_lazy("Previous final value %"),
    ),
}


def _replaced_figures(portal_request: PortalRequest) -> dict:
    """The contract figures a contract change replaces: while the request is open the contract's own (still
    the old ones: what an approval changes from), once decided those kept at submit (a request submitted
    before they were kept shows none)."""
    if portal_request.kind not in CHANGED_FIGURES:
        return {}
    if portal_request.status in OPEN_STATUSES and portal_request.contract_id:
        return contract_figures(portal_request.contract, portal_request.kind)
    return dict((portal_request.form_data or {}).get(PREVIOUS_VALUES_KEY) or {})


def _before_row(portal_request: PortalRequest, key: str, figures: dict) -> list[tuple[str, str]]:
    figure, current, previous = BEFORE_LABELS[key]
    value = figures.get(figure)
    if value in (None, "") or (portal_request.form_data or {}).get(key) in (None, ""):
        return []
    label = current if portal_request.status in OPEN_STATUSES else previous
    if key == "net_amount":
        # The contract's own value, in its own currency (the price may be in another one).
        currency = portal_request.contract.currency if portal_request.contract_id else "PLN"
        value = _money_text(value, currency)
    elif key == "residual_percent":
        value = _amount_text(value)
    return [(str(label), str(value))]


def _installment_rows(portal_request: PortalRequest, figures: dict) -> list[tuple[str, str]]:
    """A value or schedule change's effect on the installments: the first one it re-plans as it is now and
    as the change makes it, from the plan the client's preview and the approval use (change_plans.py); once
    decided, the installment as it was and, once approved, the one the approval set (its annex's figure)."""
    current = figures.get("net_installment")
    if not current or portal_request.kind not in PLANS:
        return []
    currency = portal_request.contract.currency
    number = current["number"]
    if portal_request.status not in OPEN_STATUSES:
        label = _("Previous net installment (no. %(number)s)") % {"number": number}
        rows = [(label, _money_text(current["net"], currency))]
        approved = ((portal_request.form_data or {}).get(APPROVED_VALUES_KEY) or {}).get("net_installment")
        if approved:
            label = _("New net installment (no. %(number)s)") % {"number": approved["number"]}
            rows.append((label, _money_text(approved["net"], currency)))
        return rows
    after = _("Net installment after the change (no. %(number)s)") % {"number": number}
    rows = [
        (
            _("Current net installment (no. %(number)s)") % {"number": number},
            _money_text(current["net"], currency),
        )
    ]
    try:
        plan = PLANS[portal_request.kind](portal_request.contract, portal_request.form_data)
    except ForeignCurrencyPrice:
        # Not a wrong plan but none: the price must first be had in the contract's currency.
        reason = _("the price is in %(currency)s, the contract in %(contract_currency)s") % {
            "currency": (portal_request.form_data or {}).get("currency"),
            "contract_currency": currency,
        }
        return [*rows, (after, _("cannot be computed: %(reason)s") % {"reason": reason})]
    except ScheduleError as exc:
        # The change cannot be applied as it stands (e.g. installments paid since): approving would say so.
        return [*rows, (after, _("cannot be computed: %(reason)s") % {"reason": exc})]
    return [*rows, (after, _money_text(plan.installments[0].net, currency))]


# The plan each contract change's approval applies (change_plans.py): the same function as the client's preview.
PLANS = {
    RequestKind.CONTRACT_VALUE_CHANGE: contract_value_plan_for,
    RequestKind.SCHEDULE_CHANGE: schedule_change_plan_for,
}


def client_field_labels() -> set[str]:
    """The labels of the client data fields in the active language."""
    return {client_field_label(field) for field in CLIENT_DATA_FIELDS}


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
        label = client_field_label(field)
        rows.append({"field": field, "label": label, "old": old, "new": new})
    return rows
