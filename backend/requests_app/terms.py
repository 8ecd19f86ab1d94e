"""What a client learns before submitting a request: its fee and how long a decision usually takes.

The time comes from the process history: the median and the 80th percentile from submit to decision
over the requests of that kind decided in the last 90 days; below MIN_DECISIONS the portal says it has
no data rather than guess from two cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend.contracts.buyout_services import fee_percent as buyout_fee_percent
from backend.core.language import active_lang
from backend.core.money import format_amount, format_money
from backend.requests_app.models import RequestFee, RequestKind
from backend.requests_app.selectors import decision_durations

WINDOW = timedelta(days=90)
MIN_DECISIONS = 5
MAX_SAMPLES_PER_KIND = 5000  # the most recent decisions; enough for a stable median at any scale


@dataclass(frozen=True)
class DecisionTime:
    median: timedelta
    p80: timedelta
    count: int


@dataclass(frozen=True)
class RequestTerms:
    kind: str
    fee: Decimal | None  # None: no fee set for the kind
    currency: str
    fee_note: str
    decision_time: DecisionTime | None  # None: fewer than MIN_DECISIONS in the window


def _percentile(sorted_values: list[timedelta], fraction: float) -> timedelta:
    """Nearest-rank percentile: the smallest value with at least `fraction` of the values at or below it."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def decision_times(*, now: datetime | None = None) -> dict[str, DecisionTime]:
    """Per kind with enough decisions in the window: median and 80th percentile from submit to decision."""
    now = now or timezone.now()
    durations = decision_durations(since=now - WINDOW, until=now, per_kind_limit=MAX_SAMPLES_PER_KIND)
    result = {}
    for kind, values in durations.items():
        if len(values) >= MIN_DECISIONS:
            values.sort()
            median = _percentile(values, 0.5)
            result[kind] = DecisionTime(median=median, p80=_percentile(values, 0.8), count=len(values))
    return result


def request_terms(*, now: datetime | None = None) -> dict[str, RequestTerms]:
    """The terms of every request kind, in two queries."""
    fees = {fee.kind: fee for fee in RequestFee.objects.all()}
    times = decision_times(now=now)
    return {
        kind.value: RequestTerms(
            kind=kind.value,
            fee=fees[kind.value].amount if kind.value in fees else None,
            currency=fees[kind.value].currency if kind.value in fees else "PLN",
            fee_note=fees[kind.value].note if kind.value in fees else "",
            decision_time=times.get(kind.value),
        )
        for kind in RequestKind
    }


def _days(duration: timedelta) -> int:
    return max(1, math.ceil(duration.total_seconds() / 86400))


def _charge_text(kind: str) -> str:
    """What a kind costs besides its fee row: a buyout's early termination fee, which the quote charges
    (the same setting the quote reads; the request itself is free), "" for the other kinds."""
    if kind != RequestKind.EARLY_TERMINATION:
        return ""
    return _("Early termination fee: %(percent)s%% of the capital remaining") % {
        "percent": format_amount(buyout_fee_percent(), lang=active_lang())
    }


def fee_text(terms: RequestTerms) -> str:
    charge = _charge_text(terms.kind)
    if terms.fee is None or (terms.fee == 0 and charge):
        # A zero fee next to a charge would read "No fee" for something that costs money.
        return charge
    if terms.fee == 0:
        return _("No fee")
    text = _("Fee: %(amount)s") % {"amount": format_money(terms.fee, terms.currency, lang=active_lang())}
    text = f"{text} ({terms.fee_note})" if terms.fee_note else text
    return f"{text}; {charge}" if charge else text


def decision_time_text(terms: RequestTerms) -> str:
    """E.g. "Decision usually within 2 days (8 in 10 within 5 days)", or that there is no data yet."""
    time = terms.decision_time
    if time is None:
        return _("Time to decision: no data yet")
    median, p80 = _days(time.median), _days(time.p80)
    usually = ngettext(
        "Decision usually within %(days)d day", "Decision usually within %(days)d days", median
    ) % {"days": median}
    most = ngettext("8 in 10 within %(days)d day", "8 in 10 within %(days)d days", p80) % {"days": p80}
    return f"{usually} ({most})"


def terms_json(terms: RequestTerms) -> dict:
    """The API form: amounts as strings (Decimal), durations in hours."""
    time = terms.decision_time
    return {
        "fee": None if terms.fee is None else str(terms.fee),
        "currency": terms.currency,
        "fee_note": terms.fee_note,
        "fee_text": fee_text(terms),
        "decision_median_hours": None if time is None else round(time.median.total_seconds() / 3600, 1),
        "decision_p80_hours": None if time is None else round(time.p80.total_seconds() / 3600, 1),
        "decisions_counted": 0 if time is None else time.count,
        "decision_time_text": decision_time_text(terms),
    }
