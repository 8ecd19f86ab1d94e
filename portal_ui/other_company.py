"""A link to an object of another company of the user's: say so and offer the switch, never a bare 404.

A user of several companies opens a link (an e-mail's "Open in the Client Portal", a bookmark, the login's
?next=) to a request, thread, contract, invoice or buyout of company B while company A is active: the
page's selector, bound to A, finds nothing (404) or A's role refuses the area (403). One middleware, keyed
by the page's URL name, answers such a GET instead with a page naming B and a button that switches to B
(the switcher's view) and opens the same address. The object is looked up with B's membership bound to B
through the page's own selector and role check (clients/access_rules.py), so the offer is made exactly when
the page would open after the switch; nothing of the object is shown before it. Anyone else (no active
membership in B, a role or contract set there that does not cover it, an unknown id) keeps the 404 or 403
as it was: nothing tells an outsider that the object exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from backend.clients import access_rules
from backend.clients.access_rules import Area
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract
from backend.contracts.selectors import get_contract_for_client
from backend.core.exceptions import NotFound, is_api_request
from backend.invoices.models import Invoice
from backend.invoices.selectors import get_invoice_detail_for_client
from backend.messaging.models import MessageThread
from backend.messaging.selectors import get_thread_for_client
from backend.requests_app.models import PortalRequest
from backend.requests_app.selectors import get_request_for_client


@dataclass(frozen=True)
class ObjectPage:
    """A client page of one object: its id in the URL, its model, its area and the page's own selector."""

    id_kwarg: str
    model: type[models.Model]
    area: str
    selector: Callable[..., Any]


PAGES: dict[str, ObjectPage] = {
    "request-page": ObjectPage("request_id", PortalRequest, Area.REQUESTS, get_request_for_client),
    "message-page": ObjectPage("thread_id", MessageThread, Area.MESSAGES, get_thread_for_client),
    "contract-page": ObjectPage("contract_id", Contract, Area.CONTRACTS, get_contract_for_client),
    "buyout-page": ObjectPage("contract_id", Contract, Area.REQUESTS, get_contract_for_client),
    "invoice-page": ObjectPage("invoice_id", Invoice, Area.INVOICES, get_invoice_detail_for_client),
}


def owning_company(request: HttpRequest) -> Client | None:
    """The other company of the user's whose page this address is, when the role there opens it."""
    match = request.resolver_match
    page = PAGES.get(match.url_name) if match is not None else None
    active = getattr(request, "active_client", None)
    if page is None or not request.user.is_authenticated or not request.user.is_client_user:
        return None
    object_id = match.kwargs.get(page.id_kwarg)
    client_id = page.model.objects.filter(pk=object_id).values_list("client_id", flat=True).first()
    if client_id is None or (active is not None and client_id == active.pk):
        return None  # no such object, or the active company's own: its 404/403 stands
    membership = (
        ClientMembership.objects.select_related("client")
        .filter(user=request.user, client_id=client_id, status=ClientMembership.Status.ACTIVE)
        .first()
    )
    if not access_rules.can(membership, page.area):
        return None
    company = membership.client
    access_rules.bind(company, membership)  # the selector filters by that membership's contracts
    try:
        page.selector(client=company, **{page.id_kwarg: object_id})
    except NotFound:
        return None
    return company


class OtherCompanyMiddleware:
    """Below ActiveClientMiddleware: turns a page's 404 or 403 into the switch offer (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Http404 | PermissionDenied):
            return None
        if request.method not in ("GET", "HEAD") or is_api_request(request):
            return None
        company = owning_company(request)
        if company is None:
            return None
        # 404 as before for the active company (no such page there); the body offers the other one.
        return render(
            request,
            "portal_ui/client/other_company.html",
            {"company": company, "next_url": request.get_full_path()},
            status=404,
        )
