"""Client request pages (Wnioski): the list and the processing view with reply, comment and cancel.

Each step is a thin adapter over the API's own input serializer and service (form → serializer →
service → redirect, or the page again with form_errors); the submit wizard is request_submit_views.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from backend.clients.access_rules import Area
from backend.contracts.selectors import list_contract_choices
from backend.core.exceptions import NotFound, PortalError, RequestClosed, TaskNotReady
from backend.requests_app import client_waits, selectors, services
from backend.requests_app.catalogue import request_stage_label
from backend.requests_app.endings import request_ending
from backend.requests_app.inputs import (
    MessageInputSerializer,
    ReplyInputSerializer,
    RequestListQuerySerializer,
)
from backend.requests_app.models import OPEN_STATUSES, PortalRequest, RequestEvent, RequestKind, RequestStatus
from portal_ui.access import client_area_required
from portal_ui.acting_for import acting_for_checked
from portal_ui.client_lists import active_filter_count, paginate, query_filters
from portal_ui.error_summary import filled, form_errors
from portal_ui.list_memory import remember_query
from portal_ui.page_limits import counted
from portal_ui.request_attachments import posted_attachments
from portal_ui.request_display import form_data_rows, history_message, history_rows
from portal_ui.sorting import sort_list
from portal_ui.text_limits import max_length

# Sortable columns of the list: key → fields in ascending order (choice columns sort by code, so not them).
REQUEST_SORTS = {
    "number": ["number"],
    "contract": ["contract__number"],
    "submitted": ["created_at"],
    "decided": ["decided_at"],
}


def _request_or_404(request: HttpRequest, request_id: int) -> PortalRequest:
    try:
        return selectors.get_request_for_client(client=request.active_client, request_id=request_id)
    except NotFound as exc:
        raise Http404 from exc


# --------------------------------------------------------------------------------------------------
# List


@client_area_required(Area.REQUESTS)
def request_list(request: HttpRequest) -> HttpResponse:
    """Wnioski: the active client's requests with filters, newest first."""
    filters = {key: request.GET.get(key, "").strip() for key in ("status", "kind", "contract")}
    # The API's query serializer reads them ("open", the page's own status, aside): a refused value is
    # shown at its field and not applied.
    wants_open = filters["status"] == "open"
    valid, filter_errors = query_filters(
        RequestListQuerySerializer, {**filters, "status": "" if wants_open else filters["status"]}
    )
    filters = {key: "" if key in filter_errors else value for key, value in filters.items()}
    queryset = selectors.list_requests_for_client(client=request.active_client, filters=valid)
    if wants_open:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    queryset, sort = sort_list(request, queryset, columns=REQUEST_SORTS, default="-submitted")
    page, query = paginate(request, queryset)
    remember_query(request)  # the request page's way back returns to the list as it is now
    page.object_list = list(page.object_list)
    for portal_request in page.object_list:
        portal_request.stage_label = request_stage_label(portal_request)
    return render(
        request,
        "portal_ui/requests/list.html",
        {
            "page": page,
            "sort": sort,
            "filters": filters,
            "filtered": any(filters.values()),
            "filter_count": active_filter_count(filters, filter_errors),
            "filter_errors": filter_errors,
            "query": query,
            "statuses": [("open", _("Open")), *RequestStatus.choices],
            "kinds": RequestKind.choices,
            "contracts": list_contract_choices(client=request.active_client),
        },
    )


# --------------------------------------------------------------------------------------------------
# Processing view


def _page_context(request: HttpRequest, portal_request: PortalRequest, **extra) -> dict:
    questions = [e for e in portal_request.events.all() if e.kind == RequestEvent.Kind.QUESTION]
    return {
        "last_question": questions[-1] if questions else None,
        # In the reader's language where the row keeps both (a counter-offer's amount), as in the history.
        "last_question_text": history_message(questions[-1], portal_request) if questions else "",
        # Reply by which day, and what happens after it (None unless the request waits for the client).
        "client_wait": client_waits.client_wait(portal_request),
        "reply_attachments": [],
        "comment_attachments": [],
        "portal_request": portal_request,
        "stage": request_stage_label(portal_request),
        "history": history_rows(portal_request, for_client=True),
        "can_cancel": portal_request.status in OPEN_STATUSES,
        # Ended: no comment form, but why it is closed and how to go on (a new request, a message).
        "ending": request_ending(portal_request),
        "form_rows": form_data_rows(portal_request),
        "reply_values": {"message": ""},
        "reply_errors": {},
        "comment_values": {"message": ""},
        "comment_errors": {},
        # The most characters of the reply and the comment, counted as typed (_char_counter.html).
        "text_limits": {
            action: max_length(input_class, "message")
            for action, (input_class, _step, _done) in MESSAGE_STEPS.items()
        },
        **extra,
    }


@client_area_required(Area.REQUESTS)
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    """Realizacja wniosku: stage, the waiting banner, reply, comments, history, attachments, cancel."""
    portal_request = _request_or_404(request, request_id)
    # `?comment`: the comment form opened without JS (the opener is a plain link).
    context = _page_context(request, portal_request, open_dialog="comment" in request.GET)
    return render(request, "portal_ui/requests/detail.html", context)


@client_area_required(Area.REQUESTS)
def request_status(request: HttpRequest, request_id: int) -> HttpResponse:
    """The changing part of the processing view; the live script re-fetches it on every push."""
    portal_request = _request_or_404(request, request_id)
    return render(request, "portal_ui/requests/_status.html", _page_context(request, portal_request))


# --------------------------------------------------------------------------------------------------
# Steps: the same input serializer and service as the API; the request is read only to show an error.

# action → (input, service, message once done); the services take the inputs' fields as keywords.
MESSAGE_STEPS = {
    "reply": (ReplyInputSerializer, services.reply_to_request, lambda: _("Your reply has been sent.")),
    "comment": (MessageInputSerializer, services.add_comment, lambda: _("Your comment has been added.")),
}


STALE_REPLY = gettext_noop(
    "The lessor no longer waits for this reply: the question has already been answered or the request has "
    "moved on. Your text is kept here; send it as a comment if it is still needed."
)


def _message_post(request: HttpRequest, request_id: int, *, action: str) -> HttpResponse:
    """Send a reply or a comment; on an error the page comes back with the text and files kept."""
    input_class, step, done = MESSAGE_STEPS[action]
    values = {"message": request.POST.get("message", "")}
    attachments, problems = posted_attachments(request, client=request.active_client)
    serializer = input_class(data={**filled(values), "attachment_ids": [a.pk for a in attachments]})
    if problems:
        errors = {"attachment_ids": problems}
    elif not serializer.is_valid():
        errors = form_errors(serializer.errors, inputs=values.keys() | {"attachment_ids"})
    else:
        ref = selectors.request_ref(client=request.active_client, request_id=request_id)
        try:
            step(user=request.user, portal_request=ref, **serializer.validated_data)
        except PortalError as exc:
            errors = form_errors(exc, inputs=values.keys() | {"attachment_ids"})
            if action == "reply" and isinstance(exc, TaskNotReady):
                # The question was answered meanwhile (another tab, a colleague, the e-mail link) or the request
                # moved on: the reply form is gone from the page, so its text and files go to the comment form.
                # A complaint's wait that ended without a reply says when, and what follows.
                said = exc.message if isinstance(exc, client_waits.WaitEnded) else _(STALE_REPLY)
                action, errors = "comment", {"form": [said]}
        else:
            messages.success(request, done())
            return redirect("request-page", request_id=request_id)
    extra = {
        f"{action}_values": values,
        f"{action}_errors": errors,
        f"{action}_attachments": attachments,
        "open_dialog": action == "comment",
    }
    portal_request = _request_or_404(request, request_id)
    if portal_request.status not in OPEN_STATUSES:
        # Ended meanwhile (the reply deadline passed): no form takes the text; it is shown to copy elsewhere.
        extra.update(open_dialog=False, unsent_text=values["message"], unsent_error=RequestClosed().message)
    return render(
        request, "portal_ui/requests/detail.html", _page_context(request, portal_request, **extra), status=400
    )


def _request_page(kwargs: dict) -> str:
    return reverse("request-page", args=[kwargs["request_id"]])


@require_POST
@acting_for_checked(
    back=_request_page, draft_key=lambda kwargs: f"request:reply:{kwargs['request_id']}", text_field="message"
)
@client_area_required(Area.REQUESTS)
def request_reply(request: HttpRequest, request_id: int) -> HttpResponse:
    return _message_post(request, request_id, action="reply")


@require_POST
@acting_for_checked(
    back=lambda kwargs: _request_page(kwargs) + "?comment=1#comment-dialog",
    draft_key=lambda kwargs: f"request:comment:{kwargs['request_id']}",
    text_field="message",
)
@client_area_required(Area.REQUESTS)
@counted("messages")
def request_comment(request: HttpRequest, request_id: int) -> HttpResponse:
    return _message_post(request, request_id, action="comment")


@require_POST
@acting_for_checked(back=_request_page)
@client_area_required(Area.REQUESTS)
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    ref = selectors.request_ref(client=request.active_client, request_id=request_id)
    try:
        services.cancel_request(user=request.user, portal_request=ref)
    except NotFound as exc:
        raise Http404 from exc
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("request-page", request_id=request_id)
