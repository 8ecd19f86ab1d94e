"""Client pages that update live over the portal WebSocket, and the bank hand-off's landing page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from backend.contracts.models import Contract
from backend.core.exceptions import NotFound
from backend.core.middleware import get_active_client
from backend.requests_app.selectors import get_request_for_client
from notifications.texts import stage_label


@login_required
def contract_placeholder(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Show the contract the bank hand-off opened, until the contracts area has its details page."""
    client = get_active_client(request)
    contract = Contract.objects.filter(pk=contract_id, client=client).first() if client else None
    if contract is None:
        raise Http404
    return render(request, "portal_ui/live/contract.html", {"contract": contract})


def _request_of_active_client(request: HttpRequest, request_id: int):
    client = get_active_client(request)
    if client is None:
        raise Http404
    try:
        return get_request_for_client(client=client, request_id=request_id)
    except NotFound as exc:
        raise Http404 from exc


def _status_context(portal_request) -> dict:
    history = [
        (event, stage_label(event.stage) if event.stage else "") for event in portal_request.events.all()
    ]
    return {"portal_request": portal_request, "stage": stage_label(portal_request.stage), "history": history}


@login_required
def request_live(request: HttpRequest, request_id: int) -> HttpResponse:
    """The processing view of one request: stage, waiting banner and history, kept current live."""
    portal_request = _request_of_active_client(request, request_id)
    return render(request, "portal_ui/live/request.html", _status_context(portal_request))


@login_required
def request_live_status(request: HttpRequest, request_id: int) -> HttpResponse:
    """The part of the processing view that changes; the page re-fetches it when an event arrives."""
    portal_request = _request_of_active_client(request, request_id)
    return render(request, "portal_ui/live/_request_status.html", _status_context(portal_request))
