"""Client pages that update live over the portal WebSocket, and the bank hand-off's landing page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from backend.contracts.models import Contract
from backend.core.middleware import get_active_client


@login_required
def contract_placeholder(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Show the contract the bank hand-off opened, until the contracts area has its details page."""
    client = get_active_client(request)
    contract = Contract.objects.filter(pk=contract_id, client=client).first() if client else None
    if contract is None:
        raise Http404
    return render(request, "portal_ui/live/contract.html", {"contract": contract})
