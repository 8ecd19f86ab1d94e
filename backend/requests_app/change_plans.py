"""What a contract or client data change would do, planned before it is applied.

Shared by the client's form and preview (the quote endpoint), the submit's validation, the staff's figures
and the service task that applies the change after approval (effects.py), so the client sees before
submitting exactly what will be applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend.clients.models import Client
from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.schedule import (
    Installment,
    ScheduleError,
    compute_schedule,
    kept_installment_count,
    residual_from_percent,
)
from backend.contracts.selectors import invoiced_installments
from backend.contracts.services import vat_rate_for
from backend.core.language import active_lang
from backend.core.money import format_amount, format_money, to_money
from backend.requests_app.models import RequestKind

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
# form_data key of a value change's price converted to the contract's currency at approval, at the rate
# staff typed (price_conversion.py): what the approval adds to the contract instead of the foreign price.
CONVERSION_KEY = "price_conversion"
# form_data key of the figures an approved contract change set, as the approval computed them (effects.py):
# the same numbers its annex states, so a decided request shows the new installment beside the previous one.
APPROVED_VALUES_KEY = "approved_values"
# The highest net value a change may give a contract. Its money fields hold 12 digits before the grosze; a
# value a tenth of that leaves room for what is computed from it (VAT, interest, a buyout's total), so no
# derived amount outgrows its column (a EUR price typed within the field's 14 digits, converted at 4 zł,
# was stored beyond them and every page reading the contract failed).
MAX_CONTRACT_NET_VALUE = Decimal("99999999999.99")


def client_field_label(field: str) -> str:
    """A client data field's label as a form, a summary, a table or a decision heads it ("E-mail",
    "Telefon"), in the active language. The model's verbose name stays lowercase: Django also reads it
    mid-sentence (validation messages)."""
    return capfirst(str(Client._meta.get_field(field).verbose_name))


class InstallmentOptionError(ScheduleError):
    """A plan the chosen installment option cannot give: the message says what to change, and the form
    shows it at that option (validation.py), not as a message of the whole form."""


class ForeignCurrencyPrice(ScheduleError):
    """A value change priced in another currency than the contract's and not (yet) converted: the portal
    fetches no rates, so it neither previews nor applies it until staff approve it with a rate."""


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


def replanned_installments(contract: Contract, *, today: date | None = None) -> list[ScheduleRow]:
    """The installments a schedule change would re-plan, as they are now ([] when none is left): the
    rows of the form's table of new amounts."""
    try:
        return _replanned_rows(contract, today or timezone.localdate())[1]
    except ScheduleError:
        return []


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
        _refuse_value_above_limit(contract, new_net_value)
        _refuse_value_not_above_repaid(
            contract, new_net_value, kept_rows=kept_rows, outstanding=outstanding, percent=percent
        )
    if installment_option == "keep":
        fixed = [first.net] * (remaining - 1)
    elif installment_option == "amount":
        fixed = [to_money(v) for v in (net_installments or [])]
        if len(fixed) not in {remaining - 1, remaining}:
            raise ScheduleError(
                ngettext(
                    "Give %(count)d net installment amount, one for each remaining installment.",
                    "Give %(count)d net installment amounts, one for each remaining installment.",
                    remaining,
                )
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

    def schedule(count: int, fixed: list[Decimal] | None) -> list[Installment]:
        return compute_schedule(
            financed_amount=financed,
            residual_value=residual_from_percent(new_net_value, percent),
            annual_rate_percent=contract.annual_rate,
            months=count,
            payment_day=contract.payment_day,
            first_month=first.due_date,
            vat_rate=vat_rate_for(contract),
            first_number=first.number,
            net_installments=fixed,
        )

    try:
        installments = schedule(remaining, fixed)
    except ScheduleError as exc:
        if installment_option == "keep" and str(exc) == REPAYS_MORE:
            raise _keep_refusal(contract, first.net, kept, remaining, percent, schedule) from exc
        raise ScheduleError(_translate_schedule_error(str(exc))) from exc
    return SchedulePlan(installments, new_months, percent, new_net_value)


REPAYS_MORE = "The installments repay more than the financed amount."


def _keep_refusal(contract, installment, kept, remaining, percent, schedule) -> InstallmentOptionError:
    """Why the current installment cannot stay with this period or final value, and what to change: the
    longest period it repays the capital in (the search runs the same computation, fewer installments
    repay less), else that the final value is out of its reach."""
    lang = active_lang()

    def works(count: int) -> bool:
        try:
            schedule(count, [installment] * (count - 1))
        except ScheduleError:
            return False
        return True

    low, high = 0, remaining - 1  # `high` fails (the refused plan); find the largest count that works
    while high - low > 1:
        middle = (low + high) // 2
        if works(middle):
            low = middle
        else:
            high = middle
    values = {
        "installment": format_money(installment, contract.currency, lang=lang),
        "months": kept + low,
        "percent": format_amount(percent, lang=lang),
    }
    if low < 1:
        return InstallmentOptionError(
            _(
                "At the current installment of %(installment)s the capital is repaid before the final value "
                "of %(percent)s%% is reached: lower the final value or choose “Adjust the installment "
                "automatically”."
            )
            % values
        )
    return InstallmentOptionError(
        ngettext(
            "At the current installment of %(installment)s the capital is repaid within a period of "
            "%(months)d month: choose a period of at most %(months)d month, or “Adjust the installment "
            "automatically” for the period and final value you want (the installment then changes).",
            "At the current installment of %(installment)s the capital is repaid within a period of "
            "%(months)d months: choose a period of at most %(months)d months, or “Adjust the installment "
            "automatically” for the period and final value you want (the installment then changes).",
            kept + low,
        )
        % values
    )


def _refuse_value_above_limit(contract: Contract, new_net_value: Decimal) -> None:
    """Refuse a net value no contract can hold (MAX_CONTRACT_NET_VALUE): typed, or a foreign price converted."""
    if new_net_value > MAX_CONTRACT_NET_VALUE:
        raise ScheduleError(
            _("The net amount after the change can be at most %(max)s.")
            % {"max": format_money(MAX_CONTRACT_NET_VALUE, contract.currency, lang=active_lang())}
        )


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
    """The plan of a value change. A price in another currency than the contract's (the client may give
    one, FEATURES.md) enters the contract only converted at approval (data[CONVERSION_KEY]); before that,
    ForeignCurrencyPrice: never added to the contract as if it were its own."""
    currency = data.get("currency") or contract.currency
    if currency == contract.currency:
        return plan_schedule_change(contract, net_value=Decimal(str(data["net_amount"])))
    conversion = data.get(CONVERSION_KEY) or {}
    if conversion.get("contract_currency") != contract.currency:
        raise ForeignCurrencyPrice(
            _(
                "The price is in %(currency)s and the contract in %(contract_currency)s: approve it with the "
                "exchange rate of %(currency)s to %(contract_currency)s and its date, and the portal converts "
                "the price at that rate."
            )
            % {"currency": currency, "contract_currency": contract.currency}
        )
    return plan_schedule_change(contract, net_value=Decimal(conversion["converted"]))
