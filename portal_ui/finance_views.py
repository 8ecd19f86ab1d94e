"""Client pages of the finances: invoices (Faktury), the archive (Archiwum), settlements (Stan rozliczeń)
and the schedule downloads. Reads go through the owning apps' selectors, scoped to the active client.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.clients.access_rules import Area, can
from backend.contracts.models import Currency
from backend.contracts.selectors import (
    default_contract_id,
    get_contract_for_client,
    list_agreed_buyouts_for_client,
    list_contract_choices,
)
from backend.core.exceptions import PortalError
from backend.core.language import active_lang
from backend.core.table_files import CSV_CONTENT_TYPE, DEFAULT_CSV_DIALECT, XLSX_CONTENT_TYPE, csv_dialect_for
from backend.documents.downloads import attachment_response, download_filename
from backend.invoices.accounting import parse_month, scope_sentence
from backend.invoices.accounting_exports import (
    accounting_export_response,
    get_accounting_export,
    list_accounting_exports,
    start_accounting_export,
)
from backend.invoices.filters import InvoiceFilter
from backend.invoices.ksef import rate_statement, vat_in_pln
from backend.invoices.list_exports import FORMATS, list_file, list_totals
from backend.invoices.selectors import (
    SETTLEMENT_FIGURES,
    archive_cutoff,
    contract_count,
    get_invoice_detail_for_client,
    get_settlement_summary,
    invoice_history_start,
    limited_contract_numbers,
    list_invoices_for_client,
    list_settlement_rows,
)
from backend.invoices.services import create_duplicate
from portal_ui.access import client_area_required
from portal_ui.acting_for import acting_for_checked
from portal_ui.charts import settlement_charts
from portal_ui.client_lists import int_param, list_page, or_404, paginate
from portal_ui.form_keys import new_form_key, posted_form_key
from portal_ui.page_limits import counted
from portal_ui.sorting import sort_list, within_currency
from portal_ui.templatetags.portal_format import INVOICE_STATUS_LABELS, currency_tags

SCHEDULE_FORMATS = {
    "pdf": "contract-schedule-pdf",
    "xlsx": "contract-schedule-xlsx",
    "csv": "contract-schedule-csv",
}
# Sortable columns (`?sort=key`, `?sort=-key`): key → fields in ascending order; status is left out,
# its codes do not sort like its labels.
INVOICE_SORTS = {
    "number": ["number"],
    "contract": ["contract__number"],
    "issue_date": ["issue_date"],
    "due_date": ["due_date"],
    "gross_total": within_currency("gross_total"),
    "remaining": within_currency(F("gross_total") - F("paid_amount")),
}
# The session remembers a duplicate just generated, so the next page view starts its download once.
DUPLICATE_DOWNLOAD_KEY = "portal_duplicate_download"
# ... and the month the accounting ZIP form was refused, so the list page shows it with its message once.
ACCOUNTING_ZIP_REFUSAL_KEY = "portal_accounting_zip_refusal"


# --- what a limited user sees, and the lists' files ------------------------------------------------


def contract_scope(client) -> dict | None:
    """For a user who sees only some of the company's contracts (a limited accountant): their numbers,
    how many the company has and the sentence the ZIP and the files say; None for one who sees all."""
    numbers = limited_contract_numbers(client=client)
    if numbers is None:
        return None
    total = contract_count(client=client)
    return {"numbers": numbers, "total": total, "sentence": scope_sentence(numbers, of=total)}


def _list_download(request: HttpRequest, kind: str, rows: QuerySet, *, title: str, name: tuple[str, ...]):
    """`?download=csv|xlsx` on a list page: exactly its filtered, sorted rows as a file (None: the page)."""
    fmt = request.GET.get("download")
    if fmt is None:
        return None
    if fmt not in FORMATS:
        raise Http404
    if not can(getattr(request, "active_membership", None), Area.EXPORTS):
        raise PermissionDenied
    scope = contract_scope(request.active_client)
    lang = active_lang()
    content = list_file(kind, rows, fmt=fmt, lang=lang, title=title, scope=scope["sentence"] if scope else "")
    today = timezone.localdate()
    limited = ("selected_contracts",) if scope else ()  # not the company's complete list: said in the name
    filename = download_filename(*name, *limited, f"{today:%Y-%m-%d}", extension=fmt)
    content_type = XLSX_CONTENT_TYPE if fmt == "xlsx" else CSV_CONTENT_TYPE
    return attachment_response(content, filename=filename, content_type=content_type)


# --- invoices and the archive (Faktury, Archiwum) -------------------------------------------------


def _invoice_list(request: HttpRequest, *, archive: bool) -> HttpResponse:
    client = request.active_client
    invoices = list_invoices_for_client(client=client, archive=archive)
    # The filtered set the page lists (every page of it): its totals, and its file when asked for.
    filtered = InvoiceFilter(request.GET, queryset=invoices).qs
    title = _("Archived invoices") if archive else _("Invoices")
    download = _list_download(
        request,
        "invoices",
        sort_list(request, filtered, columns=INVOICE_SORTS, default="-issue_date")[0],
        title=title,
        name=("archive",) if archive else ("invoices",),
    )
    if download is not None:
        return download
    # The "for the accountant" form: the month refused a moment ago with its message, else empty.
    accounting_zip = request.session.pop(ACCOUNTING_ZIP_REFUSAL_KEY, None) or {}
    return list_page(
        request,
        "portal_ui/client/invoice_list.html",
        filterset_class=InvoiceFilter,
        queryset=invoices,
        sorts=INVOICE_SORTS,
        default_sort="-issue_date",
        archive=archive,
        totals=list_totals("invoices", filtered),
        contract_scope=contract_scope(client),
        history_start=invoice_history_start(client=client) if archive else None,
        can_export=can(getattr(request, "active_membership", None), Area.EXPORTS),
        contracts=list_contract_choices(client=client),
        statuses=list(INVOICE_STATUS_LABELS.items()),
        currencies=Currency.choices,
        accounting_zip=accounting_zip,
        # The user's ZIPs of this client: progress while the worker builds them, then the link.
        accounting_exports=(
            list_accounting_exports(user=request.user, client=client)
            if can(getattr(request, "active_membership", None), Area.EXPORTS)
            else []
        ),
    )


@require_GET
@client_area_required(Area.INVOICES)
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Faktury: invoices of the last year with filters."""
    return _invoice_list(request, archive=False)


@require_GET
@client_area_required(Area.INVOICES)
def archive_list(request: HttpRequest) -> HttpResponse:
    """Archiwum: invoices issued one year ago or earlier, with the same filters."""
    return _invoice_list(request, archive=True)


@require_POST  # starts a job: never from another site's link (CSRF), nor a prefetch
@client_area_required(Area.EXPORTS, post_only_reads=True)
@counted("zip_exports")
def accounting_zip(request: HttpRequest) -> HttpResponse:
    """Dla księgowości (the form on Faktury and Archiwum): starts the month's ZIP as the API does
    (`parse_month`, `start_accounting_export`; the worker builds it) and goes back to the page, which shows
    its progress and then the link; a refused month comes back with the message next to the field and the
    month kept."""
    value = request.POST.get("month", "")
    try:
        month = parse_month(value, today=timezone.localdate())
        start_accounting_export(user=request.user, client=request.active_client, month=month)
    except PortalError as exc:  # the month, an empty month, too many ZIPs being prepared at once
        request.session[ACCOUNTING_ZIP_REFUSAL_KEY] = {
            "month": value[:32],  # shown again in the field; a month is 7 characters
            "errors": exc.fields.get("month") or [exc.message],
        }
    page = "archive" if request.POST.get("from") == "archive" else "invoices"
    return redirect(reverse(page) + "#accounting-zip")


@require_GET
@client_area_required(Area.EXPORTS)
def accounting_export_file(request: HttpRequest, export_id: int) -> HttpResponse:
    """The finished ZIP of the user's export (404 until ready, and for anyone else's)."""
    client = request.active_client
    export = or_404(get_accounting_export, user=request.user, client=client, export_id=export_id)
    return or_404(accounting_export_response, export=export, client=client)


@require_GET
@client_area_required(Area.INVOICES)
def invoice_page(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Szczegóły faktury: lines, payments, compensations, the remaining amount and the duplicates."""
    invoice = or_404(get_invoice_detail_for_client, client=request.active_client, invoice_id=invoice_id)
    duplicates = list(invoice.duplicates.all())
    download = None
    pending = request.session.pop(DUPLICATE_DOWNLOAD_KEY, None)
    if pending and pending.get("invoice") == invoice.pk:
        download = next((d for d in duplicates if d.pk == pending.get("duplicate")), None)
    archived = invoice.issue_date <= archive_cutoff(timezone.localdate())
    context = {
        "invoice": invoice,
        "duplicates": duplicates,
        "download": download,
        "archived": archived,
        "form_key": new_form_key(),  # "Generuj dokument" records one duplicate however often it is posted
        "in_pln": _in_pln(invoice),
    }
    return render(request, "portal_ui/client/invoice_detail.html", context)


def _in_pln(invoice) -> dict | None:
    """A foreign-currency invoice's NBP rate (with its table when kept) and VAT in PLN, the figures of its
    KSeF XML and its PDF."""
    figures = vat_in_pln(invoice)
    if figures is None:
        return None
    return {"statement": rate_statement(figures, lang=active_lang()), "vat": figures.vat}


@require_POST
@acting_for_checked(back=lambda kwargs: reverse("invoice-page", args=[kwargs["invoice_id"]]))
@client_area_required(Area.INVOICES)
@counted("duplicates")
def invoice_duplicate(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Generuj dokument: record a duplicate, then show it on the details page, which starts its download."""
    invoice = or_404(get_invoice_detail_for_client, client=request.active_client, invoice_id=invoice_id)
    duplicate = create_duplicate(invoice=invoice, user=request.user, idempotency_key=posted_form_key(request))
    # Post/redirect/get: a reload of the page never makes a second duplicate.
    pending = {"invoice": invoice.pk, "duplicate": duplicate.pk}
    if request.session.get(DUPLICATE_DOWNLOAD_KEY) != pending:  # else the form posted again: said once
        request.session[DUPLICATE_DOWNLOAD_KEY] = pending
        messages.success(
            request, _("The duplicate of invoice %(number)s is ready.") % {"number": invoice.number}
        )
    # At the duplicate's download link (forms.js focuses it and says the message beside it).
    return redirect(reverse("invoice-page", args=[invoice.pk]) + "#duplicate-download")


# --- settlements (Stan rozliczeń) ------------------------------------------------------------------


@require_GET
@client_area_required(Area.INVOICES)
def settlements(request: HttpRequest) -> HttpResponse:
    """Stan rozliczeń: due, overdue, paid and compensated amounts, in total and per contract."""
    client = request.active_client
    summary = get_settlement_summary(client=client)
    # The per-contract table a page at a time (a fleet client has hundreds of contracts).
    page, query = paginate(request, summary["contracts"])
    context = {
        "summary": summary,
        "currency_tags": currency_tags(summary["totals"]),
        "page": page,
        "query": query,
        "agreed_buyouts": list_agreed_buyouts_for_client(client=client),
        "contracts": list_contract_choices(client=client),
        "schedule_contract": default_contract_id(client=client),  # chosen at first in the schedule's form
        "charts": settlement_charts(client=client),
        "contract_scope": contract_scope(client),
        "history_start": invoice_history_start(client=client),
    }
    return render(request, "portal_ui/client/settlements.html", context)


FIGURE_TITLES = {
    "due": lambda: _("Amounts due"),
    "overdue": lambda: _("Overdue amounts"),
    "paid": lambda: _("Payments received"),
    "compensations": lambda: _("Compensations"),
}


@require_GET
@client_area_required(Area.INVOICES)
def settlement_page(request: HttpRequest, figure: str) -> HttpResponse:
    """The rows behind one settlement figure, optionally of one contract (`?contract=`) and of one currency
    (`?currency=`: the figures are per currency, so each tile opens the rows of its own)."""
    if figure not in SETTLEMENT_FIGURES:
        raise Http404
    client = request.active_client
    contract_id = int_param(request, "contract")
    contract = None
    if contract_id is not None:
        contract = or_404(get_contract_for_client, client=client, contract_id=contract_id)
    # Like the invoice list's filter: a currency it does not know filters nothing.
    currency = request.GET.get("currency", "") if request.GET.get("currency") in Currency.values else ""
    rows = list_settlement_rows(client=client, figure=figure, contract_id=contract_id, currency=currency)
    title = FIGURE_TITLES[figure]()
    download = _list_download(request, figure, rows, title=title, name=("settlements", figure))
    if download is not None:
        return download
    page, query = paginate(request, rows)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("download", None)
    context = {
        "figure": figure,
        "title": title,
        "contract": contract,
        "currency": currency,
        "page": page,
        "query": params.urlencode(),
        "totals": list_totals(figure, rows),
        "contract_scope": contract_scope(client),
        "can_export": can(getattr(request, "active_membership", None), Area.EXPORTS),
    }
    return render(request, "portal_ui/client/settlement_rows.html", context)


@require_GET
@client_area_required(Area.EXPORTS)
def schedule_download(request: HttpRequest) -> HttpResponse:
    """The schedule tiles' form: send the browser to the chosen contract's download in the chosen format."""
    contract_id = int_param(request, "contract")
    url_name = SCHEDULE_FORMATS.get(request.GET.get("format", ""))
    if contract_id is None or url_name is None:
        messages.error(request, _("Choose a contract and a format to download the schedule."))
        return redirect(reverse("settlements") + "#schedule")
    contract = or_404(get_contract_for_client, client=request.active_client, contract_id=contract_id)
    url = reverse(url_name, args=[contract.pk])
    dialect = csv_dialect_for(active_lang())
    if url_name == SCHEDULE_FORMATS["csv"] and dialect != DEFAULT_CSV_DIALECT:
        # The CSV of the page's language: Polish Excel's on a Polish page, plain RFC 4180 on an English one.
        url += f"?dialect={dialect}"
    return redirect(url)
