"""A demo stand-in for the parent bank's online banking (BANK_SIMULATOR_ENABLED; off in production).

It plays the bank's side of the hand-off: a bank login, the "Loans and leasing" list with the lease
contract, and a button that signs a short-lived assertion with the bank's private key and posts it to
the portal's /sso/bank/ from an auto-submitting form, exactly as the real bank's page would.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable

import jwt
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backend.clients.access_rules import Area, user_contract_condition
from backend.contracts.models import Contract
from backend.sso.keys import load_private_key_pem
from backend.sso.models import BankCustomerLink

SESSION_KEY = "bank_simulator_customer"
ASSERTION_LIFETIME_SECONDS = 60


def simulator_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 unless the demo bank is on (off by default in production, refused there by core.safety)."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.BANK_SIMULATOR_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def sign_assertion(
    *, bank_customer_id: str, contract_number: str, lifetime: int = ASSERTION_LIFETIME_SECONDS
) -> str:
    """Return the bank's signed hand-off assertion (ES256) for one customer and contract."""
    now = int(time.time())
    claims = {
        "iss": settings.BANK_SSO_ISSUER,
        "aud": settings.BANK_SSO_AUDIENCE,
        "sub": bank_customer_id,
        "contract": contract_number,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, load_private_key_pem(), algorithm="ES256")


def _contracts_of(bank_customer_id: str) -> list[Contract]:
    # The real bank keeps its own list; the simulator borrows the portal's through the link table.
    link = BankCustomerLink.objects.select_related("user").filter(bank_customer_id=bank_customer_id).first()
    if link is None:
        return []
    # Only the contracts the portal would open for this user (role, contract set, active membership).
    return list(
        Contract.objects.filter(user_contract_condition(link.user, area=Area.CONTRACTS))
        .select_related("client")
        .order_by("number")[:20]
    )


@simulator_only
def bank_login(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        customer_id = request.POST.get("customer_id", "").strip()[:64]
        if customer_id and request.POST.get("password"):
            request.session[SESSION_KEY] = customer_id
            return redirect("bank_simulator_loans")
        error = "Podaj identyfikator i hasło. / Enter the customer id and a password."
    demo_customers = BankCustomerLink.objects.select_related("user").order_by("bank_customer_id")[:10]
    return render(request, "bank_simulator/login.html", {"error": error, "demo_customers": demo_customers})


@simulator_only
def bank_loans(request: HttpRequest) -> HttpResponse:
    customer_id = request.session.get(SESSION_KEY)
    if not customer_id:
        return redirect("bank_simulator_login")
    return render(
        request,
        "bank_simulator/loans.html",
        {"customer_id": customer_id, "contracts": _contracts_of(customer_id)},
    )


@simulator_only
@require_POST
def bank_handoff(request: HttpRequest) -> HttpResponse:
    customer_id = request.session.get(SESSION_KEY)
    if not customer_id:
        return redirect("bank_simulator_login")
    assertion = sign_assertion(
        bank_customer_id=customer_id, contract_number=request.POST.get("contract", "").strip()[:32]
    )
    return render(
        request,
        "bank_simulator/handoff.html",
        {"assertion": assertion, "portal_sso_url": reverse("sso_bank")},
    )


@simulator_only
@require_POST
def bank_logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("bank_simulator_login")
