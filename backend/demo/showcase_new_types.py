"""The demo login's requests of the newer types (#16), each in a state worth showing after `make run`:
a complaint whose answer deadline staff extended, a buyout quote with staff's counter-offer waiting for
the client, and an issued permit to go abroad with its verification code.

Made through the same services as the pages and the API (quote → request → counter; submit → extend;
submit → DMN rules → permit, or staff approval with a reason when the demo data fail a rule). A request
the rules refuse is left out with a warning rather than failing the seeding.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts import buyout_services as quotes
from backend.contracts.models import Contract
from backend.core.exceptions import PortalError
from backend.permits.effects import contract_vehicles
from backend.requests_app import buyout_services, decisions, services, task_hands
from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.models import PortalRequest, RequestKind, RequestStatus

logger = logging.getLogger(__name__)
# showcase_requests._submit: (user, client, kind, contract, data) → the request, or None when refused.
Submit = Callable[[User, Client, str, Contract | None, dict], PortalRequest | None]

COMPLAINT = {
    "subject": "Opłata za monit na fakturze",
    "message": "Na fakturze za październik naliczono opłatę za monit, choć rata była zapłacona w terminie.",
}
EXTENSION_REASON = (
    "Sprawa wymaga wyjaśnień z bankiem płatnika; potrzebujemy potwierdzenia daty wpływu raty. "
    "Odpowiemy najpóźniej w nowym terminie."
)
COUNTER_REASON = "Rabat za terminowe płatności przez cały okres umowy."
PERMIT_APPROVAL = (
    "Wyjazd służbowy potwierdzony przez opiekuna klienta; zgoda wydana mimo niespełnionej reguły."
)


def _submitted(portal_request: PortalRequest | None) -> PortalRequest:
    if portal_request is None:  # the serializer refused the demo data (logged by submit)
        raise PortalError("refused by the request serializer")
    return portal_request


def _contact(user: User) -> dict:
    return {"name": user.get_full_name() or user.email, "phone": "+48 600 100 200", "email": user.email}


def _complaint(
    submit: Submit, user: User, client: Client, staff: User, contracts: list[Contract]
) -> PortalRequest:
    portal_request = _submitted(submit(user, client, RequestKind.COMPLAINT, contracts[0], COMPLAINT))
    task_hands.claim_request(staff=staff, portal_request=portal_request)
    received = portal_request.complaint_clock.received_on
    return decisions.extend_deadline(
        staff=staff,
        request_id=portal_request.pk,
        new_deadline=received + timedelta(days=45),
        reason=EXTENSION_REASON,
    )


def _buyout(
    submit: Submit, user: User, client: Client, staff: User, contracts: list[Contract]
) -> PortalRequest:
    contract = contracts[-1]
    quote = quotes.create_quote(
        user=user, client=client, contract=contract, effective_date=timezone.localdate() + timedelta(days=30)
    )
    portal_request, _created = buyout_services.submit_buyout_request(
        user=user,
        client=client,
        contract_id=contract.pk,
        quote_id=quote.pk,
        contact=_contact(user),
        declarations=dict.fromkeys(KIND_DECLARATIONS[RequestKind.EARLY_TERMINATION], True),
    )
    task_hands.claim_request(staff=staff, portal_request=portal_request)
    counter_total = (quote.total * Decimal("0.98")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return buyout_services.counter_offer(
        staff=staff, request_id=portal_request.pk, total=counter_total, reason=COUNTER_REASON
    )


def _permit(
    submit: Submit, user: User, client: Client, staff: User, contracts: list[Contract]
) -> PortalRequest:
    today = timezone.localdate()
    trip = {
        "countries": ["DE", "CZ", "AT"],
        "date_from": (today + timedelta(days=7)).isoformat(),
        "date_to": (today + timedelta(days=20)).isoformat(),
    }
    vehicles = contract_vehicles(contracts[0])
    if vehicles:  # the first of them when the contract has several (the form's choice)
        trip["item_id"] = vehicles[0].pk
    portal_request = _submitted(submit(user, client, RequestKind.VEHICLE_ABROAD_PERMIT, contracts[0], trip))
    if portal_request.status != RequestStatus.COMPLETED:  # a rule failed: staff issue it with a reason
        task_hands.claim_request(staff=staff, portal_request=portal_request)
        portal_request = services.complete_staff_task(
            staff=staff,
            portal_request=portal_request,
            data={"decision": "approve", "answer": PERMIT_APPROVAL},
        )
    return portal_request


def seed_new_type_requests(
    *, submit: Submit, user: User, client: Client, staff: User, contracts: list[Contract]
) -> int:
    """Make the three showcase requests of the demo login; return how many were made."""
    made = 0
    for name, make in (("complaint", _complaint), ("early_termination", _buyout), ("permit", _permit)):
        try:
            with transaction.atomic():
                make(submit, user, client, staff, contracts)
            made += 1
        except PortalError as refused:
            logger.warning("Demo request %s left out: %s", name, refused)
    return made
