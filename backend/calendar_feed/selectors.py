"""What a user's calendar shows: installment due dates, policy and contract ends, request deadlines.

Only the clients the user belongs to now (a revoked membership empties the feed at once), only what is
still ahead (from a month back), and a bounded number of rows per kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.access_rules import Area, user_contract_condition
from backend.contracts.models import Contract, InsurancePolicy, ScheduleRow
from backend.core.money import format_money
from backend.requests_app.client_waits import client_wait
from backend.requests_app.models import PortalRequest, RequestEvent, RequestStatus

PAST_DAYS = 31
AHEAD_DAYS = 2 * 366
MAX_INSTALLMENTS = 2000


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across refreshes, so calendar apps update an event instead of duplicating it
    day: date
    summary: str
    description: str
    path: str  # the portal page of the event


def calendar_events(*, user: User, today: date | None = None) -> list[CalendarEvent]:
    """Return the user's events in date order; an empty list for staff and users without clients."""
    if not user.is_active or not user.is_client_user:
        return []
    today = today or timezone.localdate()
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    # Only the contracts each membership's role and contract set allow (backend/clients/access_rules.py).
    contracts = Contract.objects.filter(user_contract_condition(user, area=Area.CONTRACTS))
    lang = user.language
    events: list[CalendarEvent] = []

    rows = (
        ScheduleRow.objects.filter(contract__in=contracts, paid=False, due_date__range=(start, end))
        .select_related("contract")
        .order_by("due_date", "contract__number", "number")[:MAX_INSTALLMENTS]
    )
    for row in rows:
        events.append(
            CalendarEvent(
                uid=f"installment-{row.pk}",
                day=row.due_date,
                summary=_("Installment %(number)s of contract %(contract)s: %(amount)s")
                % {
                    "number": row.number,
                    "contract": row.contract.number,
                    "amount": format_money(row.gross, row.contract.currency, lang=lang),
                },
                description=_("Repayment schedule of contract %(contract)s")
                % {"contract": row.contract.number},
                path=f"/contracts/{row.contract_id}/",
            )
        )

    policies = InsurancePolicy.objects.filter(
        contract__in=contracts, status=InsurancePolicy.Status.ACTIVE, period_end__range=(start, end)
    ).select_related("contract")
    for policy in policies:
        events.append(
            CalendarEvent(
                uid=f"policy-end-{policy.pk}",
                day=policy.period_end,
                summary=_("Insurance policy %(number)s ends (contract %(contract)s)")
                % {"number": policy.number, "contract": policy.contract.number},
                description=_("Insurer: %(insurer)s") % {"insurer": policy.insurer},
                path="/policies/",
            )
        )

    for contract in contracts.filter(status=Contract.Status.ACTIVE, end_date__range=(start, end)):
        events.append(
            CalendarEvent(
                uid=f"contract-end-{contract.pk}",
                day=contract.end_date,
                summary=_("Contract %(contract)s ends") % {"contract": contract.number},
                description=_("End of the lease period"),
                path=f"/contracts/{contract.pk}/",
            )
        )

    waiting = PortalRequest.objects.filter(
        user_contract_condition(user, area=Area.REQUESTS, contract_field="contract_id"),
        status=RequestStatus.WAITING_FOR_CLIENT,
        process_instance__isnull=False,
    ).select_related("process_instance__process_version")
    # What client_wait reads of the history (the question, the reminder), in one query for all of them.
    waiting = waiting.prefetch_related(
        Prefetch(
            "events",
            queryset=RequestEvent.objects.filter(
                kind__in=[RequestEvent.Kind.QUESTION, RequestEvent.Kind.REMINDER]
            ),
        )
    )
    for portal_request in waiting:
        # The day the reply is due (the staff page's cancel time; a complaint's deadline), not the next
        # timer (the day-14 reminder). It is fixed for the wait, so it keys the UID: a calendar app
        # updates the event when the reminder fires, and a new question gets a new event.
        wait = client_wait(portal_request)
        if wait is None or wait.reply_by is None:
            continue
        events.append(
            CalendarEvent(
                uid=f"request-{portal_request.pk}-reply-by-{int(wait.reply_by.timestamp())}",
                day=wait.reply_by_day,
                summary=_("Request %(number)s: we are waiting for your reply")
                % {"number": portal_request.number},
                description=" ".join(
                    (_("Answer the question about the request in the Client Portal."), wait.reply_by_text())
                ),
                path=f"/requests/{portal_request.pk}/",
            )
        )
    return sorted(events, key=lambda event: (event.day, event.uid))
