"""Client pages of the finance, documents and messages part: invoices, archive, settlements, contracts,
insurance policies, client data, documents, messages and help.

Every page reads through the owning app's selectors, scoped to the active client, so another client's
object gives 404. Writes go through the owning app's services; input is checked by the same serializers
and upload checks as the API, so a page and the API never disagree about what is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.contracts.filters import ContractFilter
from backend.contracts.models import Currency
from backend.contracts.selectors import (
    get_active_policy,
    get_contract_for_client,
    get_policy_for_contract,
    list_contract_choices,
    list_contracts_for_client,
    list_items_for_contract,
    list_policies_for_contract,
    list_schedule_rows,
)
from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.filters import parse_id
from backend.documents.filters import DocumentFilter
from backend.documents.selectors import list_documents_for_client
from backend.invoices.filters import InvoiceFilter
from backend.invoices.lessor import format_account, format_nip, get_lessor
from backend.invoices.selectors import (
    SETTLEMENT_FIGURES,
    archive_cutoff,
    get_invoice_detail_for_client,
    get_settlement_summary,
    list_invoices_for_client,
    list_settlement_rows,
)
from backend.invoices.services import create_duplicate
from backend.messaging.apis import CommentInputSerializer, NewThreadInputSerializer, checked_attachments
from backend.messaging.filters import ClientThreadFilter
from backend.messaging.models import MessageThread
from backend.messaging.selectors import get_thread_for_client, list_threads_for_client
from backend.messaging.services import MAX_ATTACHMENTS, add_client_comment, start_thread
from portal_ui.access import client_required
from portal_ui.charts import contract_chart, settlement_charts
from portal_ui.error_summary import error_summary
from portal_ui.nav import optional_url
from portal_ui.sorting import sort_list
from portal_ui.templatetags.portal_format import INVOICE_STATUS_LABELS

PAGE_SIZE = 25
SCHEDULE_FORMATS = {
    "pdf": "contract-schedule-pdf",
    "xlsx": "contract-schedule-xlsx",
    "csv": "contract-schedule-csv",
}
# Sortable columns of each list (`?sort=key`, `?sort=-key`): key → fields in ascending order.
# Choice columns (status, type, kind) are left out: their codes do not sort like their labels.
INVOICE_SORTS = {
    "number": ["number"],
    "contract": ["contract__number"],
    "issue_date": ["issue_date"],
    "due_date": ["due_date"],
    "gross_total": ["gross_total"],
    "remaining": [F("gross_total") - F("paid_amount")],
}
CONTRACT_SORTS = {
    "number": ["number"],
    "item": ["item_name"],
    "start_date": ["start_date"],
    "end_date": ["end_date"],
    "net_value": ["net_value"],
    "currency": ["currency"],
    "capital_remaining": ["capital_remaining"],
}
DOCUMENT_SORTS = {
    "title": ["title"],
    "contract": ["contract__number"],
    "issued_on": ["issued_on"],
    "size": ["size"],
}
THREAD_SORTS = {
    "subject": ["subject"],
    "contract": ["contract__number"],
    "last_message_at": ["last_message_at"],
    "message_count": ["message_count"],
}
# The session remembers a duplicate just generated, so the next page view starts its download once.
DUPLICATE_DOWNLOAD_KEY = "portal_duplicate_download"


def _or_404(selector: Callable[..., Any], **kwargs) -> Any:
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise Http404 from exc


def _paginate(request: HttpRequest, rows, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """Return the requested page and the query string of the other parameters (filters) to keep."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _filtered(filterset_class, request: HttpRequest, queryset):
    """Return the filterset bound to the query string; invalid fields are reported and left out."""
    filterset = filterset_class(request.GET, queryset=queryset)
    return filterset, filterset.qs


def _filters_used(request: HttpRequest) -> bool:
    """Return whether any filter is set; the page and the sort order are not filters."""
    return any(value for key, value in request.GET.items() if key not in ("page", "sort"))


def _list_page(
    request: HttpRequest, template: str, *, filterset_class, queryset, sorts, default_sort: str, **extra
) -> HttpResponse:
    """Render a filtered, sortable, paginated client list; `extra` goes into the template context."""
    filterset, rows = _filtered(filterset_class, request, queryset)
    rows, sort = sort_list(request, rows, columns=sorts, default=default_sort)
    page, query = _paginate(request, rows)
    context = {
        "sort": sort,
        "filter": filterset,
        "page": page,
        "query": query,
        "filtered": _filters_used(request),
        **extra,
    }
    return render(request, template, context)


def _int_param(request: HttpRequest, name: str) -> int | None:
    """An id from the query string; anything else (text, "²", 2**70) is ignored rather than a 500."""
    return parse_id(request.GET.get(name))


# --- invoices and the archive (Faktury, Archiwum) -------------------------------------------------


def _invoice_list(request: HttpRequest, *, archive: bool) -> HttpResponse:
    client = request.active_client
    return _list_page(
        request,
        "portal_ui/client/invoice_list.html",
        filterset_class=InvoiceFilter,
        queryset=list_invoices_for_client(client=client, archive=archive),
        sorts=INVOICE_SORTS,
        default_sort="-issue_date",
        archive=archive,
        contracts=list_contract_choices(client=client),
        statuses=list(INVOICE_STATUS_LABELS.items()),
        currencies=Currency.choices,
    )


@require_GET
@client_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Faktury: invoices of the last year with filters."""
    return _invoice_list(request, archive=False)


@require_GET
@client_required
def archive_list(request: HttpRequest) -> HttpResponse:
    """Archiwum: invoices issued one year ago or earlier, with the same filters."""
    return _invoice_list(request, archive=True)


@require_GET
@client_required
def invoice_page(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Szczegóły faktury: lines, payments, compensations, the remaining amount and the duplicates."""
    invoice = _or_404(get_invoice_detail_for_client, client=request.active_client, invoice_id=invoice_id)
    duplicates = list(invoice.duplicates.all())
    download = None
    pending = request.session.pop(DUPLICATE_DOWNLOAD_KEY, None)
    if pending and pending.get("invoice") == invoice.pk:
        download = next((d for d in duplicates if d.pk == pending.get("duplicate")), None)
    archived = invoice.issue_date <= archive_cutoff(timezone.localdate())
    context = {"invoice": invoice, "duplicates": duplicates, "download": download, "archived": archived}
    return render(request, "portal_ui/client/invoice_detail.html", context)


@require_POST
@client_required
def invoice_duplicate(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Generuj dokument: record a duplicate, then show it on the details page, which starts its download."""
    invoice = _or_404(get_invoice_detail_for_client, client=request.active_client, invoice_id=invoice_id)
    duplicate = create_duplicate(invoice=invoice, user=request.user)
    # Post/redirect/get: a reload of the page never makes a second duplicate.
    request.session[DUPLICATE_DOWNLOAD_KEY] = {"invoice": invoice.pk, "duplicate": duplicate.pk}
    messages.success(request, _("The duplicate of invoice %(number)s is ready.") % {"number": invoice.number})
    return redirect(reverse("invoice-page", args=[invoice.pk]) + "#duplicates")


# --- settlements (Stan rozliczeń) ------------------------------------------------------------------


@require_GET
@client_required
def settlements(request: HttpRequest) -> HttpResponse:
    """Stan rozliczeń: due, overdue, paid and compensated amounts, in total and per contract."""
    client = request.active_client
    context = {
        "summary": get_settlement_summary(client=client),
        "contracts": list_contract_choices(client=client),
        "charts": settlement_charts(client=client),
    }
    return render(request, "portal_ui/client/settlements.html", context)


FIGURE_TITLES = {
    "due": lambda: _("Amounts due"),
    "overdue": lambda: _("Overdue amounts"),
    "paid": lambda: _("Payments received"),
    "compensations": lambda: _("Compensations"),
}


@require_GET
@client_required
def settlement_page(request: HttpRequest, figure: str) -> HttpResponse:
    """The rows behind one settlement figure, optionally of one contract (`?contract=`)."""
    if figure not in SETTLEMENT_FIGURES:
        raise Http404
    client = request.active_client
    contract_id = _int_param(request, "contract")
    contract = None
    if contract_id is not None:
        contract = _or_404(get_contract_for_client, client=client, contract_id=contract_id)
    rows = list_settlement_rows(client=client, figure=figure, contract_id=contract_id)
    page, query = _paginate(request, rows)
    context = {
        "figure": figure,
        "title": FIGURE_TITLES[figure](),
        "contract": contract,
        "page": page,
        "query": query,
    }
    return render(request, "portal_ui/client/settlement_rows.html", context)


@require_GET
@client_required
def schedule_download(request: HttpRequest) -> HttpResponse:
    """The schedule tiles' form: send the browser to the chosen contract's download in the chosen format."""
    contract_id = _int_param(request, "contract")
    url_name = SCHEDULE_FORMATS.get(request.GET.get("format", ""))
    if contract_id is None or url_name is None:
        messages.error(request, _("Choose a contract and a format to download the schedule."))
        return redirect(reverse("settlements") + "#schedule")
    contract = _or_404(get_contract_for_client, client=request.active_client, contract_id=contract_id)
    return redirect(url_name, contract_id=contract.pk)


# --- contracts and policies (Umowy, Polisy) --------------------------------------------------------


@require_GET
@client_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """Umowy: every contract with its item, capital remaining and status."""
    return _list_page(
        request,
        "portal_ui/client/contract_list.html",
        filterset_class=ContractFilter,
        queryset=list_contracts_for_client(client=request.active_client),
        sorts=CONTRACT_SORTS,
        default_sort="-start_date",
    )


@require_GET
@client_required
def contract_page(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Szczegóły umowy: data, HARMONOGRAM, PRZEDMIOTY and Polisy on one page with section tabs."""
    contract = _or_404(get_contract_for_client, client=request.active_client, contract_id=contract_id)
    schedule = list(list_schedule_rows(contract=contract))
    context = {
        "contract": contract,
        "schedule": schedule,
        "paid_count": sum(1 for row in schedule if row.paid),
        "items": list_items_for_contract(contract=contract),
        "policies": list_policies_for_contract(contract=contract),
        "chart": contract_chart(contract=contract),
    }
    return render(request, "portal_ui/client/contract_detail.html", context)


@require_GET
@client_required
def policy_page(request: HttpRequest, contract_id: int, policy_id: int) -> HttpResponse:
    contract = _or_404(get_contract_for_client, client=request.active_client, contract_id=contract_id)
    policy = _or_404(get_policy_for_contract, contract=contract, policy_id=policy_id)
    return render(request, "portal_ui/client/policy_detail.html", {"contract": contract, "policy": policy})


@require_GET
@client_required
def policies(request: HttpRequest) -> HttpResponse:
    """Polisy ubezpieczeniowe: the active policy of the chosen contract (the first one by default)."""
    client = request.active_client
    choices = list_contract_choices(client=client)
    contract_id = _int_param(request, "contract")
    if contract_id is None and choices:
        contract_id = choices[0][0]
    contract = policy = None
    if contract_id is not None:
        contract = _or_404(get_contract_for_client, client=client, contract_id=contract_id)
        try:
            policy = get_active_policy(contract=contract)
        except NotFound:
            policy = None
    context = {"contracts": choices, "contract": contract, "policy": policy}
    return render(request, "portal_ui/client/policies.html", context)


# --- client data (Dane klienta) ----------------------------------------------------------------------


@require_GET
@client_required
def client_data(request: HttpRequest) -> HttpResponse:
    """Dane klienta: read-only; "Zmień dane" opens the client data change request."""
    client = request.active_client
    context = {
        "client": client,
        "nip": format_nip(client.nip),
        "bank_account": format_account(client.bank_account),
    }
    return render(request, "portal_ui/client/client_data.html", context)


@require_GET
@client_required
def client_data_change(request: HttpRequest) -> HttpResponse:
    """Zmień dane: the client data change request; a notice until the request pages exist."""
    # The request wizard ("request-new") skips to step 2 for `?kind=`; until it exists, a notice.
    new_request_url = optional_url("request-new")
    if new_request_url:
        return redirect(f"{new_request_url}?kind=client_data_change")
    return render(request, "portal_ui/client/client_data_change.html")


# --- documents (Dokumenty) ------------------------------------------------------------------------


@require_GET
@client_required
def document_list(request: HttpRequest) -> HttpResponse:
    """Dokumenty: compensation notes, balance confirmations, annexes... with filters and downloads."""
    client = request.active_client
    return _list_page(
        request,
        "portal_ui/client/document_list.html",
        filterset_class=DocumentFilter,
        queryset=list_documents_for_client(client=client),
        sorts=DOCUMENT_SORTS,
        default_sort="-issued_on",
        contracts=list_contract_choices(client=client),
    )


# --- messages (Wiadomości) ------------------------------------------------------------------------


def _field_errors(error: Exception) -> dict[str, list[str]]:
    """Return field → messages of a DRF ValidationError or a PortalValidationError."""
    if isinstance(error, PortalValidationError):
        fields = {name: [str(m) for m in msgs] for name, msgs in (error.fields or {}).items()}
        return fields or {"__all__": [str(error.message)]}
    detail = getattr(error, "detail", {})
    if isinstance(detail, dict):
        return {
            name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for name, msgs in detail.items()
        }
    return {"__all__": [str(m) for m in detail] if isinstance(detail, list) else [str(detail)]}


def _error_summary(errors: dict[str, list[str]]) -> list[dict]:
    """Return the errors in form order with their field labels, for the summary above the form."""
    labels = {
        "subject": _("Subject"),
        "category": _("Category"),
        "contract_id": _("Contract"),
        "body": _("Message"),
        "attachments": _("Attachments"),
    }
    return error_summary(errors, labels, id_prefix="id_")


def _filled(data: dict[str, str]) -> dict[str, str]:
    """Leave out empty fields, so a missing value reads "This field is required." rather than invalid."""
    return {name: value for name, value in data.items() if value.strip()}


@require_GET
@client_required
def message_list(request: HttpRequest) -> HttpResponse:
    """Wiadomości: the history of the correspondence, latest activity first."""
    client = request.active_client
    return _list_page(
        request,
        "portal_ui/client/message_list.html",
        filterset_class=ClientThreadFilter,
        queryset=list_threads_for_client(client=client),
        sorts=THREAD_SORTS,
        default_sort="-last_message_at",
        contracts=list_contract_choices(client=client),
    )


@require_http_methods(["GET", "POST"])
@client_required
def message_new(request: HttpRequest) -> HttpResponse:
    """Nowa wiadomość: every field is required; attachments are checked by their content."""
    from rest_framework.exceptions import ValidationError

    client = request.active_client
    contracts = list_contract_choices(client=client)
    values = {"subject": "", "category": "", "contract_id": request.GET.get("contract", ""), "body": ""}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        serializer = NewThreadInputSerializer(data=_filled(values), context={"client": client})
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError as error:
            errors = _field_errors(error)
        try:
            files = checked_attachments(request)
        except PortalValidationError as error:
            errors.update(_field_errors(error))
        if not errors:
            data = serializer.validated_data
            thread = start_thread(
                user=request.user,
                client=client,
                subject=data["subject"],
                category=data["category"],
                body=data["body"],
                contract=data["contract"],
                files=files,
            )
            messages.success(request, _("Your message has been sent. We will answer as soon as possible."))
            return redirect("message-page", thread_id=thread.pk)
        status = 400
    context = {
        "values": values,
        "errors": errors,
        "error_summary": _error_summary(errors),
        "files_lost": bool(errors) and bool(request.FILES),
        "contracts": contracts,
        "categories": MessageThread.Category.choices,
        "max_attachments": MAX_ATTACHMENTS,
    }
    return render(request, "portal_ui/client/message_new.html", context, status=status)


def _thread_context(thread: MessageThread, **extra) -> dict:
    return {"thread": thread, "max_attachments": MAX_ATTACHMENTS, **extra}


@require_GET
@client_required
def message_page(request: HttpRequest, thread_id: int) -> HttpResponse:
    """One thread: its messages, the lessor's final answer and "Dodaj komentarz"."""
    thread = _or_404(get_thread_for_client, client=request.active_client, thread_id=thread_id)
    context = _thread_context(thread, comment_open="comment" in request.GET, body="", errors={})
    return render(request, "portal_ui/client/message_detail.html", context)


@require_POST
@client_required
def message_comment(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Dodaj komentarz: on an error the page comes back with the dialog open and the text kept."""
    from rest_framework.exceptions import ValidationError

    client = request.active_client
    thread = _or_404(get_thread_for_client, client=client, thread_id=thread_id)
    body = request.POST.get("body", "")
    serializer = CommentInputSerializer(data=_filled({"body": body}))
    errors: dict[str, list[str]] = {}
    try:
        serializer.is_valid(raise_exception=True)
    except ValidationError as error:
        errors = _field_errors(error)
    try:
        files = checked_attachments(request)
    except PortalValidationError as error:
        errors.update(_field_errors(error))
    if errors:
        context = _thread_context(
            thread,
            comment_open=True,
            body=body,
            errors=errors,
            error_summary=_error_summary(errors),
            files_lost=bool(request.FILES),
        )
        return render(request, "portal_ui/client/message_detail.html", context, status=400)
    add_client_comment(user=request.user, thread=thread, body=serializer.validated_data["body"], files=files)
    messages.success(request, _("Your comment has been sent."))
    return redirect(reverse("message-page", args=[thread.pk]) + "#messages")


# --- help (Pomoc, Kontakt z BOK) --------------------------------------------------------------------


@require_GET
@client_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal_ui/client/help.html", {"lessor": get_lessor()})
