"""Requests of the demo login, made through the same serializer and services as the API, so that after
`make run` the staff workspace (dashboard, task list, charts) and the client's request list have work to
show: one waiting for staff, one claimed, one waiting for the client's reply, one decided; and one of
each newer type in a telling state (showcase_new_types.py).

Idempotent: nothing is added once the demo client has any request. A request the rules refuse (the demo
contract does not allow it) is left out rather than failing the seeding.
"""

from __future__ import annotations

import logging

from django.db import transaction

from backend.accounts.models import User
from backend.clients.active import resolve_membership
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.core.exceptions import PortalError
from backend.demo.showcase_history import seed_decision_history
from backend.demo.showcase_new_types import seed_new_type_requests
from backend.requests_app import services, task_hands
from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.models import PortalRequest
from backend.requests_app.validation import RequestSubmitInputSerializer

logger = logging.getLogger(__name__)

DEMO_CLIENT_EMAIL = "klient@demo.pl"
DEMO_STAFF_EMAIL = "bok@leasing.example"


def _plans(contracts: list[Contract], user: User) -> list[tuple[str, Contract | None, dict, str]]:
    """(kind, contract, data, what staff do next) of each demo request."""
    first, last = contracts[0], contracts[-1]
    # The demo's contracts follow today's date, so the first one may already pay on the 20th: the rules
    # refuse an unchanged day.
    new_day = 25 if first.payment_day == 20 else 20
    return [
        ("payment_date_change", first, {"payment_day": new_day, "reason": "cash_flow"}, ""),
        (
            "other_request",
            None,
            {"subject": "Pytanie o polisę", "message": "Czy mogę zmienić ubezpieczyciela?"},
            "claim",
        ),
        ("schedule_change", last, {"months": last.months + 12, "installment_option": "auto"}, "ask"),
        ("client_data_change", None, {"phone": "+48 22 765 43 21"}, "approve"),
    ]


def _submit(
    user: User, client: Client, kind: str, contract: Contract | None, data: dict
) -> PortalRequest | None:
    body = {
        "kind": kind,
        "contact": {
            "name": user.get_full_name() or user.email,
            "phone": "+48 600 100 200",
            "email": user.email,
        },
        "declarations": dict.fromkeys(KIND_DECLARATIONS[kind], True),
        "data": data,
        "attachment_ids": [],
    }
    if contract is not None:
        body["contract_id"] = contract.pk
    serializer = RequestSubmitInputSerializer(data=body, context={"client": client})
    if not serializer.is_valid():
        logger.warning("Demo request %s left out: %s", kind, serializer.errors)
        return None
    valid = serializer.validated_data
    portal_request, _created = services.submit_request(
        user=user,
        client=client,
        kind=valid["kind"],
        contract=valid["contract"],
        contact=dict(valid["contact"]),
        declarations=valid["declarations"],
        data=valid["data"],
        attachment_ids=[],
    )
    return portal_request


def _demo_login() -> tuple[User, User, Client] | None:
    """The demo client login, the demo staff member and the company the login opens with (or None)."""
    user = User.objects.filter(email=DEMO_CLIENT_EMAIL).first()
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is None or staff is None:
        return None
    membership = resolve_membership(user=user, session=None)
    return (user, staff, membership.client) if membership is not None else None


def seed_demo_requests() -> int:
    """Create the demo login's requests; return how many were made (0 when they exist already)."""
    login = _demo_login()
    if login is None:
        return 0
    user, staff, client = login
    if PortalRequest.objects.filter(client=client).exists():
        return 0
    contracts = list(Contract.objects.filter(client=client, status=Contract.Status.ACTIVE).order_by("number"))
    if not contracts:
        return 0
    made = 0
    for kind, contract, data, next_step in _plans(contracts, user):
        try:
            with transaction.atomic():
                portal_request = _submit(user, client, kind, contract, data)
                if portal_request is None:
                    continue
                if next_step:
                    task_hands.claim_request(staff=staff, portal_request=portal_request)
                if next_step == "ask":
                    question = "Proszę potwierdzić, od którego miesiąca ma obowiązywać nowy harmonogram."
                    services.complete_staff_task(
                        staff=staff,
                        portal_request=portal_request,
                        data={"decision": "ask_client", "question": question},
                    )
                elif next_step == "approve":
                    services.complete_staff_task(
                        staff=staff, portal_request=portal_request, data={"decision": "approve"}
                    )
                made += 1
        except PortalError as refused:
            logger.warning("Demo request %s left out: %s", kind, refused)
    # The newer types: a complaint with an extended deadline, a counter-offer waiting, an issued permit.
    made += seed_new_type_requests(submit=_submit, user=user, client=client, staff=staff, contracts=contracts)
    return made


def seed_demo_history() -> int:
    """Eight weeks of decided requests of the other companies, for the dashboard's charts; return how many."""
    login = _demo_login()
    if login is None:
        return 0
    _user, staff, client = login
    return seed_decision_history(submit=_submit, staff=staff, demo_client=client)
