"""The benchmark scenario over the REST API: a payment day change, submit → ask client → reply → approve.

Two drivers of the same four requests: `InProcessPortal` (DRF APIClient in this process, for bench 1)
and `HttpPortal` (httpx against a running ASGI server, for the throughput, push and memory benches).
Both need Django set up on the database the portal uses (people and sessions are made here).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from bench.common import Skip

try:
    from django.urls import reverse

    reverse("requests")
    reverse("staff-requests-ask", kwargs={"request_id": 1})
except Exception as error:  # the request API is another helper's work: skip until it lands
    raise Skip(f"the request API of backend/requests_app is not there yet ({error})") from error

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY  # noqa: E402
from backend.requests_app.catalogue import KIND_DECLARATIONS, PAYMENT_DAYS  # noqa: E402

KIND = "payment_date_change"
STEPS = ("submit", "ask_client", "reply", "approve")


@dataclass
class Customer:
    """One client company with its user and a contract whose payment day the scenario keeps changing."""

    user: object
    client_id: int
    contract_id: int
    payment_day: int
    cookies: dict[str, str] = field(default_factory=dict)

    def next_body(self) -> dict:
        new_day = next(day for day in PAYMENT_DAYS if day != self.payment_day)
        self.payment_day = new_day
        return {
            "kind": KIND,
            "contract_id": self.contract_id,
            "contact": {"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": "anna@firma.pl"},
            "declarations": dict.fromkeys(KIND_DECLARATIONS[KIND], True),
            "data": {"payment_day": new_day, "reason": "cash_flow"},
            "attachment_ids": [],
        }


def make_people(customers: int) -> tuple[object, list[Customer]]:
    """Create one staff member and `customers` client companies, each with a user and a contract."""
    from backend.accounts.models import User
    from tests.factories import ClientFactory, ContractFactory, MembershipFactory, UserFactory

    staff = UserFactory(role=User.Role.STAFF)
    made = []
    for _ in range(customers):
        client = ClientFactory()
        user = UserFactory()
        MembershipFactory(user=user, client=client)
        contract = ContractFactory(client=client)
        made.append(
            Customer(
                user=user, client_id=client.pk, contract_id=contract.pk, payment_day=contract.payment_day
            )
        )
    return staff, made


def signed_in(browser, user):
    """Log `user` in as after the whole login: password and, for staff, the authenticator code."""
    from backend.accounts.second_factor import VERIFIED_SESSION_KEY

    browser.force_login(user)
    session = browser.session
    session[VERIFIED_SESSION_KEY] = "totp"
    session.save()
    return browser


def session_cookies(user, *, client_id: int | None = None) -> dict[str, str]:
    """Log `user` in (a session row in the database) and return the cookies a browser would send."""
    from django.conf import settings
    from django.test import Client

    browser = Client()
    signed_in(browser, user)
    if client_id is not None:
        session = browser.session
        session[ACTIVE_CLIENT_SESSION_KEY] = client_id
        session.save()
    # An unmasked 32-character secret is a valid CSRF token when cookie and header carry the same.
    return {
        settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: secrets.token_hex(16),
    }


class InProcessPortal:
    """The scenario through DRF's APIClient: full middleware stack, no network."""

    def __init__(self, staff, customer: Customer):
        from django.db import connection
        from rest_framework.test import APIClient

        self.connection = connection
        self.customer = customer
        self.client_api = signed_in(APIClient(), customer.user)
        self.staff_api = signed_in(APIClient(), staff)

    @classmethod
    def create(cls) -> InProcessPortal:
        staff, customers = make_people(1)
        return cls(staff, customers[0])

    def _post(self, api, url: str, body: dict, expected: int = 200) -> dict:
        response = api.post(url, body, format="json")
        if response.status_code != expected:
            raise RuntimeError(f"POST {url} → {response.status_code}: {response.content[:500]!r}")
        return response.json()

    def run_scenario(self, *, timed: bool = False):
        """Run the four steps; with `timed`, return (step, ms, SQL queries) for each."""
        from bench.common import QueryCounter

        request_id = None
        results = []

        def step(name: str, call):
            with QueryCounter(self.connection) as counted:
                started = time.perf_counter()
                body = call()
                elapsed = (time.perf_counter() - started) * 1000
            results.append((name, elapsed, counted.count))
            return body

        request_id = step(
            "submit", lambda: self._post(self.client_api, "/api/requests/", self.customer.next_body(), 201)
        )["id"]
        step(
            "ask_client",
            lambda: self._post(
                self.staff_api,
                f"/api/staff/requests/{request_id}/ask-client/",
                {"question": "Prosimy o skan."},
            ),
        )
        step(
            "reply",
            lambda: self._post(
                self.client_api, f"/api/requests/{request_id}/reply/", {"message": "W załączeniu."}
            ),
        )
        final = step(
            "approve",
            lambda: self._post(
                self.staff_api, f"/api/staff/requests/{request_id}/approve/", {"comment": "Zgoda."}
            ),
        )
        if final["status"] not in {"approved", "completed"}:
            raise RuntimeError(f"scenario ended in status {final['status']!r}")
        return results if timed else None

    def time_lightest_call(self) -> float:
        """Milliseconds of the cheapest authenticated API call (the unread-notice count)."""
        started = time.perf_counter()
        response = self.client_api.get("/api/notices/unread-count/")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/notices/unread-count/ → {response.status_code}")
        return elapsed

    def close(self) -> None:
        self.connection.close()


class HttpPortal:
    """The scenario over HTTP against a running ASGI server (httpx, asyncio)."""

    def __init__(self, base_url: str, staff_cookies: dict[str, str]):
        self.base_url = base_url
        self.staff_cookies = staff_cookies

    @staticmethod
    def headers(cookies: dict[str, str]) -> dict[str, str]:
        from django.conf import settings

        return {"X-CSRFToken": cookies[settings.CSRF_COOKIE_NAME]}

    async def post(self, http, cookies: dict[str, str], url: str, body: dict, expected: int = 200) -> dict:
        response = await http.post(
            self.base_url + url, json=body, cookies=cookies, headers=self.headers(cookies)
        )
        if response.status_code != expected:
            raise RuntimeError(f"POST {url} → {response.status_code}: {response.text[:300]}")
        return response.json()

    async def run_scenario(self, http, customer: Customer, on_step=None) -> list[tuple[str, float]]:
        """Run the four steps for `customer`; return (step, ms) of each. `on_step(name)` runs before each."""
        timings = []

        async def step(name: str, cookies: dict[str, str], url: str, body: dict, expected: int = 200) -> dict:
            if on_step is not None:
                on_step(name)
            started = time.perf_counter()
            result = await self.post(http, cookies, url, body, expected)
            timings.append((name, (time.perf_counter() - started) * 1000))
            return result

        client = customer.cookies
        request_id = (await step("submit", client, "/api/requests/", customer.next_body(), 201))["id"]
        await step(
            "ask_client",
            self.staff_cookies,
            f"/api/staff/requests/{request_id}/ask-client/",
            {"question": "Prosimy o skan umowy."},
        )
        await step("reply", client, f"/api/requests/{request_id}/reply/", {"message": "Odpowiedź."})
        final = await step("approve", self.staff_cookies, f"/api/staff/requests/{request_id}/approve/", {})
        if final["status"] not in {"approved", "completed"}:
            raise RuntimeError(f"scenario ended in status {final['status']!r}")
        return timings
