"""Customer service's client pages: find a client (/staff/clients/?q=) and read one (/staff/clients/<id>/).

Read-only: the answers to a caller ("was my payment booked", "what is my next installment", "which of my
users see contract Y") from the selectors the client's own pages use, and the invoice PDF staff may send.
Customer service and admins only (as Aktywacja klientów): analysts model flows, they do not serve clients.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backend.clients.models import Client, ClientMembership
from backend.clients.selectors import list_members
from backend.core.services import record_audit
from backend.documents.downloads import pdf_response
from backend.invoices.pdf import invoice_document_for, invoice_pdf, invoice_pdf_filename
from backend.invoices.selectors import (
    get_invoice_detail_for_client,
    get_settlement_summary,
    list_invoices_for_client,
    list_settlement_rows,
)
from backend.messaging.selectors import list_threads_for_client
from backend.requests_app.catalogue import request_stage_label
from backend.requests_app.models import OPEN_STATUSES
from backend.requests_app.selectors import list_requests_for_client
from backend.requests_app.staff_client_search import MIN_QUERY, search_clients_for_staff
from backend.requests_app.staff_clients import get_client_for_staff, list_contract_overviews
from portal_ui.access import staff_required
from portal_ui.client_lists import or_404
from portal_ui.staff_activation_views import ISSUERS

# The audit log's code of a client's invoice downloaded by staff (backend/core/audit_labels.py names it).
STAFF_INVOICE_DOWNLOADED = "staff_invoice_downloaded"
# Rows per page of each list of the client page; each list pages on its own parameter. None: one page
# (a company's contracts and users are tens, not thousands).
PAGE_SIZES = {
    "invoices": 20,
    "payments": 10,
    "requests": 10,
    "threads": 10,
    "contracts": None,
    "balances": None,
    "users": None,
}
# The rows the overview shows of the long lists before they are asked for: the newest of those that grow
# every month, the first of a big fleet's contracts and users. On a phone each row is a card: the
# overview of a demo-sized client was ~13,000 px tall.
PREVIEW_SIZES = {"invoices": 5, "payments": 5, "contracts": 5, "balances": 5, "users": 5}
# A preview hides three rows or more: six or seven rows are shown whole, not five and a link to one more.
PREVIEW_ORPHANS = 2


def _check_customer_service(request: HttpRequest) -> None:
    if request.user.role not in ISSUERS:
        raise PermissionDenied(_("Only customer service reads a client's data."))


def _section_page(request: HttpRequest, rows, section: str, *, preview: bool = False) -> Page:
    """The page of one section's list (`?invoices_page=2`): past the end the last, nonsense the first.
    Its `previous_url` and `next_url` keep the other sections' pages and land on the section.

    `preview`: a long list (PREVIEW_SIZES) opens as its newest rows only, with `all_url` to its pages, so
    the client's overview stays a screenful a list on a phone (its rows are cards there); asking for a page
    of it (`?invoices_page=1`) lists it in full pages."""
    param = f"{section}_page"
    try:
        number = max(int(request.GET.get(param, "")), 1)
    except ValueError:
        number = 1

    def url(to: int) -> str:
        params = request.GET.copy()
        params[param] = str(to)
        return f"?{params.urlencode()}#{section}"

    if preview and section in PREVIEW_SIZES and param not in request.GET:
        page = Paginator(rows, PREVIEW_SIZES[section], orphans=PREVIEW_ORPHANS).get_page(1)
        page.previous_url = page.next_url = ""
        page.all_url = url(1) if page.has_next() else ""
        return page
    page = Paginator(rows, PAGE_SIZES[section] or max(len(rows), 1)).get_page(number)
    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    page.all_url = ""
    return page


@require_GET
@staff_required
def client_search(request: HttpRequest) -> HttpResponse:
    """Find a client by NIP, REGON, contract, invoice or serial number, phone, e-mail or name."""
    _check_customer_service(request)
    query = request.GET.get("q", "").strip()[:100]
    context = {"query": query, "min_query": MIN_QUERY, "results": search_clients_for_staff(query=query)}
    return render(request, "portal_ui/staff/clients/search.html", context)


@require_GET
@staff_required
def client_page(request: HttpRequest, client_id: int) -> HttpResponse:
    """One client as customer service reads it out: company, contracts, invoices, payments, users,
    requests and message threads."""
    _check_customer_service(request)
    client = or_404(get_client_for_staff, client_id=client_id)
    today = timezone.localdate()
    summary = get_settlement_summary(client=client, today=today)
    archive = request.GET.get("invoices") == "archive"
    # Newest first, open and decided together; the engine's state is not shown (and may be large).
    client_requests = list_requests_for_client(client=client).defer("process_instance__state")
    requests_page = _section_page(request, client_requests.order_by("-created_at", "-id"), "requests")
    for portal_request in requests_page.object_list:
        portal_request.stage_label = request_stage_label(portal_request)
        portal_request.is_open = portal_request.status in OPEN_STATUSES
    context = {
        "client": client,
        "contracts": _section_page(
            request,
            list_contract_overviews(client=client, summary=summary, today=today),
            "contracts",
            preview=True,
        ),
        "archive": archive,
        # The archive is asked for: listed in full pages at once.
        "invoices": _section_page(
            request,
            list_invoices_for_client(client=client, archive=archive, today=today),
            "invoices",
            preview=not archive,
        ),
        "balances": _section_page(request, summary["contracts"], "balances", preview=True),
        "settlement_totals": summary["totals"],
        "payments": _section_page(
            request, list_settlement_rows(client=client, figure="paid", today=today), "payments", preview=True
        ),
        "members": _section_page(request, _member_rows(client), "users", preview=True),
        "requests": requests_page,
        "threads": _section_page(
            request, list_threads_for_client(client=client).select_related("assignee"), "threads"
        ),
    }
    return render(request, "portal_ui/staff/clients/detail.html", context)


def _member_rows(client: Client) -> list[dict]:
    """The company's users with their status as customer service says it: an account not activated yet
    is "awaiting activation" (the Aktywacja klientów page sends the link and code)."""
    rows = []
    for membership in list_members(client=client):
        person = membership.person
        if membership.status == ClientMembership.Status.ACTIVE and not person.activated:
            status = _("Awaiting activation")
        else:
            status = membership.get_status_display()
        rows.append(
            {
                "membership": membership,
                "person": person,
                "status": status,
                # An invited person's account is not the company's yet: nothing to activate from here.
                "activation_query": person.email
                if membership.status != ClientMembership.Status.INVITED
                else "",
                "contracts": None
                if membership.all_contracts or membership.role == ClientMembership.Role.OWNER
                else [contract.number for contract in membership.contracts.all()],
            }
        )
    return rows


@require_GET
@staff_required
def invoice_pdf_download(request: HttpRequest, client_id: int, invoice_id: int) -> HttpResponse:
    """The client's invoice as the client downloads it, for customer service to send; every download is
    in the audit log (staff reading a client's document)."""
    _check_customer_service(request)
    client = or_404(get_client_for_staff, client_id=client_id)
    invoice = or_404(get_invoice_detail_for_client, client=client, invoice_id=invoice_id)
    record_audit(
        action=STAFF_INVOICE_DOWNLOADED,
        request=request,
        user=request.user,
        client_id=client.pk,
        invoice_id=invoice.pk,
        invoice_number=invoice.number,
    )
    return pdf_response(
        request, invoice_pdf(invoice_document_for(invoice)), filename=invoice_pdf_filename(invoice)
    )
