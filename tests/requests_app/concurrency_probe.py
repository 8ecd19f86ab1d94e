"""Run by test_staff_tasks in a subprocess on a file-based SQLite database: two writers at once.

Prints one JSON line: the HTTP statuses of two simultaneous staff decisions, two simultaneous client
replies and two simultaneous claims.
"""

from __future__ import annotations

import json

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from backend.accounts.models import User  # noqa: E402
from backend.requests_app.models import PortalRequest  # noqa: E402
from tests.concurrency import released_together, verified  # noqa: E402
from tests.factories import ClientFactory, ContractFactory, MembershipFactory, UserFactory  # noqa: E402
from tests.requests_app.helpers import submission  # noqa: E402


def logged_in(user) -> APIClient:
    return verified(APIClient(), user)


def at_once(calls) -> list[int]:
    """Each (api, path, body) posted from its own thread, all released together; the statuses."""
    return released_together(
        [
            lambda api=api, path=path, body=body: api.post(path, body, format="json").status_code
            for api, path, body in calls
        ]
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    company = ClientFactory()
    client_user = UserFactory(email="klient@firma.pl")
    MembershipFactory(user=client_user, client=company)
    client_api = logged_in(client_user)

    def payment_day_change() -> int:
        # A contract each: a contract takes one open request of a kind at a time.
        body = submission(
            "payment_date_change",
            contract=ContractFactory(client=company),
            data={"payment_day": 20, "reason": "cash_flow"},
        )
        return client_api.post("/api/requests/", body, format="json").json()["id"]

    first, second, third = payment_day_change(), payment_day_change(), payment_day_change()
    staff_a = logged_in(UserFactory(email="a@leasing.example", role=User.Role.STAFF))
    staff_b = logged_in(UserFactory(email="b@leasing.example", role=User.Role.STAFF))

    decisions = at_once(
        [
            (staff_a, f"/api/staff/requests/{first}/approve/", {}),
            (staff_b, f"/api/staff/requests/{first}/reject/", {"reason": "Brak podstaw."}),
        ]
    )
    staff_a.post(
        f"/api/staff/requests/{second}/ask-client/", {"question": "Proszę o dokumenty."}, format="json"
    )
    other_tab = logged_in(client_user)
    replies = at_once(
        [
            (client_api, f"/api/requests/{second}/reply/", {"message": "Pierwsza"}),
            (other_tab, f"/api/requests/{second}/reply/", {"message": "Druga"}),
        ]
    )
    reply_events = PortalRequest.objects.get(pk=second).events.filter(kind="reply").count()
    claims = at_once(
        [
            (staff_a, f"/api/staff/requests/{third}/claim/", {}),
            (staff_b, f"/api/staff/requests/{third}/claim/", {}),
        ]
    )
    print(
        json.dumps(
            {"decisions": decisions, "replies": replies, "reply_events": reply_events, "claims": claims}
        )
    )


if __name__ == "__main__":
    main()
