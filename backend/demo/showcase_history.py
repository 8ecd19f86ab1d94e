"""Eight weeks of decided requests of the other demo companies, so that the back office's dashboard opens
with a history to draw: requests opened and decided per week, the median time to decision per type.

Made through the same serializer and services as the API (engine, history rows, outbox), then moved back
in time: a request's submission, its instance and its history rows get the day it was submitted, its
decision the day it was decided (1 to 6 days later); they are made in the order they were submitted, and
one moved back into last year takes that year's number. Deterministic (its own random seed) and idempotent:
nothing is added once another company than the demo login's has a request.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract
from backend.core.exceptions import PortalError
from backend.core.models import OutboxEvent
from backend.requests_app import services, task_hands
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.numbering import renumber_for_year
from workflows.models import ProcessInstance

logger = logging.getLogger(__name__)

COMPANIES = 12
WEEKS = 8
REASONS = (
    "Wniosek nie spełnia warunków umowy.",
    "Zmiana nie jest możliwa przed końcem roku umowy.",
)


def _plans(rng: random.Random, contract: Contract) -> list[tuple[str, Contract | None, dict, dict]]:
    """(kind, contract, data, staff decision) of one company's decided requests."""
    plans = [
        (
            "other_request",
            None,
            {"subject": "Pytanie o fakturę", "message": "Prosimy o korektę adresu na fakturze."},
            {"decision": "approve", "answer": "Korekta została wystawiona."},
        ),
        (
            "payment_date_change",
            contract,
            {
                "payment_day": rng.choice([day for day in (15, 20, 25) if day != contract.payment_day]),
                "reason": "cash_flow",
            },
            {"decision": "reject", "reason": rng.choice(REASONS)},
        ),
        (
            "schedule_change",
            contract,
            {"months": contract.months + 12, "installment_option": "auto"},
            {"decision": "reject", "reason": rng.choice(REASONS)},
        ),
    ]
    return rng.sample(plans, rng.randint(1, len(plans)))


def _number_of_its_year(portal_request: PortalRequest, *, submitted) -> None:
    """A request to be moved back into last year (in January) takes a number of that year, as numbers
    count per year. Done before staff decide, so their decision document and notices name it; the
    submission's outbox rows, written with this year's number and delivered only after commit, are
    corrected with it."""
    number = renumber_for_year(portal_request.number, year=timezone.localtime(submitted).year)
    if number == portal_request.number:
        return
    PortalRequest.objects.filter(pk=portal_request.pk).update(number=number)
    portal_request.number = number
    for event in OutboxEvent.objects.filter(
        subject_type=PortalRequest._meta.label_lower, subject_id=portal_request.pk
    ):
        OutboxEvent.objects.filter(pk=event.pk).update(payload={**event.payload, "number": number})


def _move_back(portal_request: PortalRequest, *, submitted, decided) -> None:
    """Put the request, its instance and its history on the days it was submitted and decided."""
    PortalRequest.objects.filter(pk=portal_request.pk).update(
        created_at=submitted, updated_at=decided, decided_at=decided
    )
    ProcessInstance.objects.filter(pk=portal_request.process_instance_id).update(
        created_at=submitted, updated_at=decided
    )
    events = list(RequestEvent.objects.filter(request=portal_request).order_by("created_at", "id"))
    for index, event in enumerate(events):
        # The submission first, the rest on the day of the decision, in their order.
        moment = submitted if index == 0 else decided + timedelta(seconds=index)
        RequestEvent.objects.filter(pk=event.pk).update(created_at=moment)


def seed_decision_history(*, submit, staff: User, demo_client: Client, seed: int = 7) -> int:
    """Decided requests of up to COMPANIES other companies over the last WEEKS weeks; return how many."""
    if PortalRequest.objects.exclude(client=demo_client).exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    owners = (
        ClientMembership.objects.filter(role=ClientMembership.Role.OWNER)
        .exclude(client=demo_client)
        .select_related("user", "client")
        .order_by("client_id", "id")
    )
    planned: list[tuple] = []  # (submitted, decided, owner, kind, contract, data, decision)
    seen: set[int] = set()
    for membership in owners:
        if len(seen) >= COMPANIES:
            break
        if membership.client_id in seen:
            continue
        contract = (
            Contract.objects.filter(client=membership.client, status=Contract.Status.ACTIVE)
            .order_by("number")
            .first()
        )
        if contract is None:
            continue
        seen.add(membership.client_id)
        for kind, on_contract, data, decision in _plans(rng, contract):
            days_ago = rng.randint(7, WEEKS * 7 - 1)
            submitted = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
            decided = submitted + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 6))
            planned.append((submitted, decided, membership, kind, on_contract, data, decision))
    # Made in the order they were submitted, so each year's numbers follow its days.
    planned.sort(key=lambda plan: plan[0])
    made = 0
    for submitted, decided, membership, kind, on_contract, data, decision in planned:
        try:
            with transaction.atomic():
                portal_request = submit(membership.user, membership.client, kind, on_contract, data)
                if portal_request is None:
                    continue
                _number_of_its_year(portal_request, submitted=submitted)
                task_hands.claim_request(staff=staff, portal_request=portal_request)
                services.complete_staff_task(staff=staff, portal_request=portal_request, data=decision)
                _move_back(portal_request, submitted=submitted, decided=decided)
                made += 1
        except PortalError as refused:
            logger.warning("Demo history request %s left out: %s", kind, refused)
    return made
