"""Client pages of documents (Dokumenty: compensation notes, balance confirmations, annexes...) and help
(Pomoc, the contact to customer service).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backend.clients.access_rules import Area
from backend.contracts.selectors import list_contract_choices
from backend.core.lessor import get_lessor
from backend.documents.filters import DocumentFilter
from backend.documents.selectors import list_documents_for_client
from portal_ui.access import client_area_required, client_required
from portal_ui.client_lists import list_page

# Sortable columns (`?sort=key`, `?sort=-key`): key → fields in ascending order; the type is left out.
DOCUMENT_SORTS = {
    "title": ["title"],
    "contract": ["contract__number"],
    "issued_on": ["issued_on"],
    "size": ["size"],
}


# --- documents (Dokumenty) ------------------------------------------------------------------------


@require_GET
@client_area_required(Area.DOCUMENTS)
def document_list(request: HttpRequest) -> HttpResponse:
    """Dokumenty: compensation notes, balance confirmations, annexes... with filters and downloads."""
    client = request.active_client
    return list_page(
        request,
        "portal_ui/client/document_list.html",
        filterset_class=DocumentFilter,
        queryset=list_documents_for_client(client=client),
        sorts=DOCUMENT_SORTS,
        default_sort="-issued_on",
        contracts=list_contract_choices(client=client),
    )


# --- help (Pomoc, Kontakt z BOK) --------------------------------------------------------------------


@require_GET
@client_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal_ui/client/help.html", {"lessor": get_lessor()})
