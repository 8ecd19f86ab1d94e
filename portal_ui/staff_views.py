"""Back-office pages of requests: the task list and one task with its decisions.

Rules and input checks come from backend/requests_app (services and the API's input serializers);
a conflict (someone else claimed or finished the task) comes back as a readable message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from backend.accounts.customer_service import NOT_ASSIGNABLE
from backend.clients.models import Client
from backend.core.exceptions import NotFound, PortalError, PortalValidationError
from backend.core.language import active_lang
from backend.core.money import currency_symbol
from backend.core.next_url import redirect_to_next
from backend.permits.display import trip_started_warning
from backend.requests_app import client_waits, selectors, services, task_hands
from backend.requests_app.catalogue import request_stage_label, stage_choices
from backend.requests_app.decisions import (
    DECISION_INPUTS,
    Decision,
    decide_request,
    decision_field_rules,
    staff_decision_waits,
)
from backend.requests_app.effects import approval_refusal
from backend.requests_app.inputs import (
    MAX_RATE_AGE_DAYS,
    MessageInputSerializer,
    RequestNoteInputSerializer,
    StaffAssignInputSerializer,
)
from backend.requests_app.internal_notes import MAX_NOTE_LENGTH, add_internal_note
from backend.requests_app.models import OPEN_STATUSES, PortalRequest, RequestKind, RequestType
from backend.requests_app.price_conversion import PLN, RATE_FIELDS, RATE_INPUTS, formula, price_to_convert
from backend.requests_app.selectors_task_list import count_task_scopes, list_staff_tasks
from backend.requests_app.task_notes import taken_note
from portal_ui.access import staff_required
from portal_ui.assignees import assignee_choices
from portal_ui.client_lists import paginate
from portal_ui.error_summary import filled, form_errors
from portal_ui.page_limits import over_limit
from portal_ui.request_attachments import has_posted_attachments, posted_attachments
from portal_ui.request_display import client_data_changes, client_field_labels, form_data_rows, history_rows
from portal_ui.task_list_memory import landed_elsewhere, list_url, next_task, remember_landed, remember_list
from portal_ui.task_list_query import SCOPE_STAGES, TaskRows, scope_query, task_rows
from portal_ui.text_limits import max_length

# The task page's forms: action → the decision it takes (the comment form takes none) and its text inputs.
DECISION_ACTIONS = {"ask": Decision.ASK_CLIENT, "approve": Decision.APPROVE, "reject": Decision.REJECT}
TEXT_INPUTS = {
    "ask": ("question",),
    "approve": ("answer", "comment", *RATE_FIELDS),
    "reject": ("reason",),
    "comment": ("message",),
}


def request_or_404(request_id: int):
    try:
        return selectors.get_request_for_staff(request_id=request_id)
    except NotFound as exc:
        raise Http404 from exc


@staff_required
def task_list(request: HttpRequest) -> HttpResponse:
    """User tasks waiting for staff (or the client, every open or closed request), filtered by type, stage,
    contract, client, due date and assignee, or found by a search."""
    listed = task_rows(request)
    filters, due = listed.filters, listed.due
    page, query = paginate(request, listed.rows)
    in_list = list_staff_tasks(staff=request.user, filters={"scope": filters["scope"]})
    client_ids = set(in_list.values_list("client_id", flat=True))
    shown = [r.pk for r in page.object_list]
    remember_list(request, shown=shown)  # the task page's way back and "next"
    # The scope is which list this is (the tiles above), not a filter to clear; a refused date counts not.
    applied = sum(1 for k, v in filters.items() if k not in ("scope", "due_before") and v) + (due is not None)
    return render(
        request,
        "portal_ui/staff/task_list.html",
        {
            "page": page,
            "sort": listed.sort,
            "filters": filters,
            "filter_errors": listed.filter_errors,
            "filtered": applied > 0,
            # Said on the folded filters of a phone ("Filtry (2 aktywne)").
            "filter_count": applied,
            "scopes": _scope_tiles(request, listed, current_count=page.paginator.count),
            "query": query,
            "kinds": RequestKind.choices,
            "types": RequestType.choices,
            # Named as the current versions name them (of the type filtered by, else of every type).
            "stages": stage_choices(SCOPE_STAGES[filters["scope"]], process_key=filters["kind"] or None),
            "clients": Client.objects.filter(pk__in=client_ids).order_by("name").values_list("id", "name"),
            # A supervisor picks a colleague too: the people a task can be given to, oneself once ("Me").
            "assignees": [
                ("me", _("Me")),
                ("none", _("Nobody (unclaimed)")),
                *assignee_choices(request.user, leave_out_self=True),
            ],
            "now": timezone.now(),
            # Claimed from "unclaimed" (released from "mine"): its row is gone, the list says where it went.
            "landed_elsewhere": landed_elsewhere(request, listed.rows, shown=shown),
        },
    )


def _scope_tiles(request: HttpRequest, listed: TaskRows, *, current_count: int) -> list[dict]:
    """The lists of requests (whose turn it is, all open ones, the closed ones), each linked with the
    filters that list has and saying how many requests it shows with them: a search counts in every list
    (`matching`), so staff see where else it found requests."""
    labels = {
        "": _("Waiting for customer service"),
        "client": _("Waiting for the client"),
        "open": _("All open requests"),
        "closed": pgettext("task list", "Closed"),  # not the "Closed" of a thread or a contract
    }
    current = listed.filters["scope"]
    queries = {scope: scope_query(listed, scope) for scope in labels}
    matching = any(query != (f"scope={scope}" if scope else "") for scope, query in queries.items())
    counts = {} if matching else count_task_scopes()  # no filter: every count in one query

    def count(scope: str) -> int:
        if scope == current:
            return current_count
        if matching:  # the rows the tile's link shows: one COUNT per other list
            return task_rows(request, QueryDict(queries[scope])).rows.count()
        return counts[scope]

    return [
        {
            "key": scope,
            "label": label,
            "query": queries[scope],
            "count": count(scope),
            "matching": matching,
            "current": scope == current,
        }
        for scope, label in labels.items()
    ]


def task_context(request: HttpRequest, portal_request, **extra) -> dict:
    instance = portal_request.process_instance
    # A suspended process takes no decision (workflows/steps.py refuses it): the page says so, no forms.
    suspended = instance is not None and instance.suspended
    can_decide = staff_decision_waits(portal_request)
    held_by_colleague = (
        portal_request.assignee_id is not None and portal_request.assignee_id != request.user.pk
    )
    return {
        "portal_request": portal_request,
        "stage": request_stage_label(portal_request),
        "history": history_rows(portal_request),
        # A client data change shows each changed field as old → new instead of the new values alone.
        "data_changes": (changes := client_data_changes(portal_request)),
        "form_rows": [
            row
            for row in form_data_rows(portal_request)
            if not changes or row[0] not in client_field_labels()
        ],
        "can_decide": can_decide,
        "suspended": suspended,
        # What else is pending on the same contract: deciding one may change what another was based on.
        "other_open_requests": selectors.other_open_requests(portal_request),
        # The approve form's answer labelled and marked required when the task's form requires it, and
        # the fewest characters each decision's text takes (its `minlength`: confirm.js asks no question
        # about a decision the server would refuse as too short); the form is read once for both.
        "answer_required": (rules := decision_field_rules(portal_request)).answer_required,
        "min_lengths": rules.min_lengths,
        # A price in another currency than the contract's: the approve form takes the exchange rate.
        "rate_form": rate_form(portal_request) if can_decide else None,
        # An approval its contract refuses (ended, or an open early termination's quote holds it): said in
        # place of the approve form, by the check the approval makes (effects.approval_refusal).
        "approval_refusal": approval_refusal(portal_request) if can_decide else None,
        # A permit decided after its departure (or return: refused at approval) date: said before deciding.
        "trip_warning": trip_started_warning(portal_request.form_data)
        if can_decide and portal_request.kind == RequestKind.VEHICLE_ABROAD_PERMIT
        else "",
        "mine": portal_request.assignee_id == request.user.pk,
        # An open request's task can be given to a colleague (who covers an absence, a supervisor's call).
        "can_assign": portal_request.status in OPEN_STATUSES,
        "staff_members": assignee_choices(request.user),
        # The most characters the note and the comment take, counted as typed (_char_counter.html).
        "text_limits": {"note": MAX_NOTE_LENGTH, "message": max_length(MessageInputSerializer, "message")},
        # The request's contract (no staff contract page: the header links here) and the client's wait.
        "contract_card": selectors.contract_card(portal_request),
        "client_wait": client_waits.client_wait(portal_request),
        # Who decided, asked or took the task, when this user can no longer decide it (task_notes).
        "taken_note": taken_note(portal_request, request.user),
        "task_list_url": list_url(request, portal_request),
        # After a decision, on a request that waits for no staff or that a colleague holds: the way on to
        # the next task, or that the list has none left.
        "offer_next": (offer := not can_decide or held_by_colleague),
        "next_task": next_task(request, portal_request) if offer else None,
        "unsent": None,
        "values": {},
        "errors": {},
        "form_attachments": [],
        "failed_action": "",
        **extra,
    }


def rate_form(portal_request) -> dict | None:
    """What the approve form's exchange rate fields show (a price in another currency than the contract's,
    else None): the price, the NBP rate each input asks for (1 EUR = … zł), the formula with a placeholder
    per rate and for the amount, which rate_preview.js fills in while the rates are typed, whether each
    rate multiplies or divides, and the dates a rate can have."""
    price = price_to_convert(portal_request)
    if price is None:
        return None
    lang = active_lang()
    today = timezone.localdate()
    inputs = list(zip(RATE_INPUTS, price.rate_currencies, strict=False))  # contract_rate: EUR↔CHF only
    return {
        "price": price,
        "pln": currency_symbol(PLN, lang=lang),
        "fields": [
            {"name": name, "currency": currency, "divides": currency == price.contract_currency}
            for name, currency in inputs
        ],
        "formula": formula(price, [f"{{{name}}}" for name, _currency in inputs], "{converted}", lang=lang),
        "symbol": currency_symbol(price.contract_currency, lang=lang),
        "today": today.isoformat(),
        "earliest": (today - timedelta(days=MAX_RATE_AGE_DAYS)).isoformat(),
    }


@staff_required
def task_page(request: HttpRequest, request_id: int) -> HttpResponse:
    portal_request = request_or_404(request_id)
    return render(request, "portal_ui/staff/task_page.html", task_context(request, portal_request))


def _back(request: HttpRequest, request_id: int) -> HttpResponse:
    fallback = reverse("staff-task-page", kwargs={"request_id": request_id})
    return redirect_to_next(request, request.POST.get("next"), fallback)


@require_POST
@staff_required
def task_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    """Claim, unclaim, ask the client, approve, reject or comment; conflicts become a message.

    The same input serializers and services as the staff API; the request is read only to show an error.
    """
    ref = selectors.request_ref(request_id=request_id)
    try:
        if action == "claim":
            task_hands.claim_request(staff=request.user, portal_request=ref)
            messages.success(request, _("You have taken the task."))
            remember_landed(request, request_id=request_id, back_to=request.POST.get("next", ""))
            return _back(request, request_id)
        if action == "unclaim":
            task_hands.unclaim_request(staff=request.user, portal_request=ref)
            messages.success(request, _("You have released the task."))
            remember_landed(request, request_id=request_id, back_to=request.POST.get("next", ""))
            return _back(request, request_id)
        if action == "assign":
            return _assign(request, request_id)
        if action == "note":
            return _note(request, request_id)
        if action not in TEXT_INPUTS:
            raise Http404
        return _write(request, request_id, action)
    except NotFound as exc:
        raise Http404 from exc
    except PortalError as exc:
        if exc.status == 409:
            # A claim too late says who decided or took the task (the service's message, as in the API).
            messages.error(request, exc.message)
            return redirect("staff-task-page", request_id=request_id)
        raise


def _assign(request: HttpRequest, request_id: int) -> HttpResponse:
    """Give the task to a colleague: the staff API's input and service; a stale page's choice is a 409."""
    data = {"assignee_id": request.POST.get("assignee_id") or None}
    if "expected_assignee_id" in request.POST:  # who the page showed holding the task ("" nobody)
        data["expected_assignee_id"] = request.POST["expected_assignee_id"] or None
    serializer = StaffAssignInputSerializer(data=data)
    if not serializer.is_valid():
        # Said at the field (aria-invalid, forms.js focuses it), like the page's other forms.
        errors = {"assignee_id": [str(NOT_ASSIGNABLE)]}
        context = task_context(request, request_or_404(request_id), errors=errors, failed_action="assign")
        return render(request, "portal_ui/staff/task_page.html", context, status=400)
    assignee = serializer.validated_data["assignee_id"]
    task_hands.assign_request(
        staff=request.user,
        portal_request=selectors.request_ref(request_id=request_id),
        assignee=assignee,
        **serializer.expectation(),
    )
    if assignee.pk == request.user.pk:
        messages.success(request, _("You have taken the task."))
    else:
        name = assignee.get_full_name() or assignee.email
        messages.success(request, _("The task has been assigned to %(name)s.") % {"name": name})
    return redirect("staff-task-page", request_id=request_id)


def _note(request: HttpRequest, request_id: int) -> HttpResponse:
    """Write an internal note for colleagues (the staff API's input and service): no step, any status. A
    refused note comes back in its field with the reason, the typed text kept."""
    values = {"note": request.POST.get("note", "")}
    serializer = RequestNoteInputSerializer(data=values)
    if serializer.is_valid():
        try:
            note = add_internal_note(
                staff=request.user,
                portal_request=selectors.request_ref(request_id=request_id),
                text=serializer.validated_data["note"],
            )
        except PortalValidationError as exc:
            errors = form_errors(exc, inputs=values.keys())
        else:
            messages.success(request, _("Your internal note has been added. The client does not see it."))
            # Back at the new note in the history, far below the page's top: forms.js focuses it and says
            # the message beside it.
            return redirect(f"{reverse('staff-task-page', args=[request_id])}#note-{note.pk}")
    else:
        errors = form_errors(serializer.errors, inputs=values.keys())
    context = task_context(
        request, request_or_404(request_id), values=values, errors=errors, failed_action="note"
    )
    return render(request, "portal_ui/staff/task_page.html", context, status=400)


def _write(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    """Take the decision or add the comment; on an error the page comes back with the text and files kept."""
    if action == "comment":  # reaches the client, as the API's comment: its "messages" limit
        refused = over_limit(request, "messages")
        if refused is not None:
            return refused
    values = {name: request.POST.get(name, "") for name in TEXT_INPUTS[action]}
    inputs = values.keys() | {"attachment_ids"}
    attachments, problems = [], []
    if has_posted_attachments(request):  # a file belongs to the request's client: read it only then
        attachments, problems = posted_attachments(request, client=request_or_404(request_id).client)
    decision = DECISION_ACTIONS.get(action)
    input_class = DECISION_INPUTS[decision] if decision else MessageInputSerializer
    serializer = input_class(data={**filled(values), "attachment_ids": [a.pk for a in attachments]})
    if problems:
        errors = {"attachment_ids": problems}
    elif not serializer.is_valid():
        errors = form_errors(serializer.errors, inputs=inputs)
    else:
        stepped = None  # a comment takes no step
        try:
            if decision is None:
                services.add_comment(
                    user=request.user,
                    portal_request=selectors.request_ref(request_id=request_id),
                    **serializer.validated_data,
                )
            else:
                stepped = decide_request(
                    actor=request.user, request_id=request_id, decision=decision, **serializer.validated_data
                )
        except PortalError as exc:
            if exc.status == 409:
                texts = [text for name, text in values.items() if name not in RATE_FIELDS]
                return refused_page(request, request_id, exc, texts=texts, attachments=attachments)
            if exc.status == 404:
                raise
            errors = form_errors(exc, inputs=inputs)
        else:
            done = DONE_MESSAGES[action]()
            messages.success(request, done if stepped is None else step_done(done, stepped))
            return redirect("staff-task-page", request_id=request_id)
    context = task_context(
        request,
        request_or_404(request_id),
        values=values,
        errors=errors,
        form_attachments=attachments,
        failed_action=action,
    )
    return render(request, "portal_ui/staff/task_page.html", context, status=400)


def refused_page(
    request: HttpRequest,
    request_id: int,
    exc: PortalError,
    *,
    texts: Iterable[str],
    attachments: list | None = None,
) -> HttpResponse:
    """A decision refused because someone else got there first (decided, asked, took the task): the page as
    it is now, saying who did what, with the typed text (and files) kept to copy or send as a comment."""
    portal_request = request_or_404(request_id)
    unsent = {
        "error": exc.message,  # who decided, asked or took it, and when (requests_app.task_notes)
        "text": "\n\n".join(text.strip() for text in texts if text and text.strip()),
        # An open request still takes a comment to the client; a closed one: the text to copy.
        "open": portal_request.status in OPEN_STATUSES,
    }
    context = task_context(request, portal_request, unsent=unsent, form_attachments=attachments or [])
    return render(request, "portal_ui/staff/task_page.html", context, status=409)


def step_done(done: str, stepped: PortalRequest) -> str:
    """What a staff step did and, when it claimed the unclaimed task (services.complete_staff_task) and the
    request goes on (a question, an extension, a counter-offer), that the task is now the staff member's:
    one message, which the page opens with the keyboard on (forms.js). After a final decision no task is
    left to hold: the history and the API's `claimed` still say who decided."""
    if stepped.claimed_in_step and stepped.status in OPEN_STATUSES:
        return f"{done} {_('The task is now assigned to you.')}"
    return done


DONE_MESSAGES = {
    "ask": lambda: _("The question has been sent; the request now waits for the client."),
    "approve": lambda: _("The request has been approved."),
    "reject": lambda: _("The request has been rejected."),
    "comment": lambda: _("Your comment has been added."),
}
