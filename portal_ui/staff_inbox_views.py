"""Skrzynka wiadomości: the customer service inbox and one thread with its answers.

Reads and writes go through backend/messaging (the same selectors, input serializers and services as the
staff message API; files through the pages' one attachment path, request_attachments.py), so the page and the API never disagree about what is valid. The
list and the thread page refresh themselves when a client writes (staff_live.js, the outbox push).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.customer_service import NOT_ASSIGNABLE
from backend.clients.selectors import client_name
from backend.core.exceptions import Conflict, NotFound
from backend.messaging.attachments import MAX_ATTACHMENTS, discard_unsent_attachments
from backend.messaging.filters import Queue, StaffInboxFilter
from backend.messaging.idempotency import IdempotencyKeyReused, sent_message
from backend.messaging.inputs import (
    AssignInputSerializer,
    CommentInputSerializer,
    FinalAnswerInputSerializer,
    InternalNoteInputSerializer,
)
from backend.messaging.models import MessageThread
from backend.messaging.selectors import (
    count_inbox_queues,
    get_thread_for_staff,
    list_threads_for_staff,
)
from backend.messaging.staff_writes import add_internal_note, assign_thread, reply_as_staff, set_final_answer
from portal_ui.access import staff_required
from portal_ui.assignees import assignee_choices
from portal_ui.client_lists import filters_used, page_of
from portal_ui.error_summary import filled, form_errors
from portal_ui.form_keys import new_form_key, posted_form_key
from portal_ui.list_memory import remember_query
from portal_ui.page_limits import over_limit
from portal_ui.request_attachments import has_posted_attachments, posted_message_attachments
from portal_ui.sorting import sort_list
from portal_ui.text_limits import max_length
from portal_ui.thread_messages import thread_page_notes_part, thread_page_part

# Sortable columns of the inbox: key → fields in ascending order.
INBOX_SORTS = {
    "subject": ["subject"],
    "client": ["client__name"],
    "contract": ["contract__number"],
    "last_message_at": ["last_message_at"],
    "waiting_since": ["waiting_since"],
    "message_count": ["message_count"],
    "assignee": ["assignee__last_name", "assignee__first_name", "assignee__email"],
}
# The forms of the thread page: action → the text field it posts, and the input that checks it (as `body`).
TEXT_ACTIONS = {"reply": "body", "final-answer": "final_answer", "note": "note"}
TEXT_SERIALIZERS = {
    "reply": CommentInputSerializer,
    "final-answer": FinalAnswerInputSerializer,
    "note": InternalNoteInputSerializer,
}


def _thread_or_404(thread_id: int) -> MessageThread:
    try:
        return get_thread_for_staff(thread_id=thread_id, with_messages=False)  # a part: thread_page_part
    except NotFound as exc:
        raise Http404 from exc


@require_GET
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Every client's threads, filtered, sorted and paginated, with the count of each working view."""
    params = request.GET.copy()
    if params.get("client_name", "").strip():
        # A name typed into the form replaces the client a thread's "All threads of this client" chose (the
        # form carries it along hidden): the new search is what the user asked for.
        params.pop("client", None)
    filterset = StaffInboxFilter(params, queryset=list_threads_for_staff(), request=request)
    queue = request.GET.get("queue", "")
    # The unanswered queue's own order (the filter's): the client waiting longest first.
    default = "waiting_since" if queue == Queue.UNANSWERED else "-last_message_at"
    rows, sort = sort_list(request, filterset.qs, columns=INBOX_SORTS, default=default)
    page = page_of(request, rows)
    remember_query(request)  # the thread page's way back returns to the inbox as it is now
    params.pop("page", None)
    queues = _queue_tiles(request, params, current=queue)
    values = {name: filterset.form.cleaned_data.get(name) or "" for name in filterset.filters}
    # A refused date (an inverted range, a malformed day) stays in its field as typed, beside its error.
    for name in ("date_from", "date_to"):
        values[name] = values[name].isoformat() if values[name] else params.get(name, "")
    return render(
        request,
        "portal_ui/staff/inbox/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": params.urlencode(),
            "sort": sort,
            # A bad value (an unknown view, a malformed date) is left out of the list, so it shows as unset.
            "values": values,
            "client_filter": _client_filter(values["client"], params),
            "filtered": filters_used(params, filterset.errors),
            "filter_errors": filterset.errors,
            "queues": queues,
            "queue_counts_filtered": queues[0]["matching"],
            "queue": queue,
            "statuses": MessageThread.Status.choices,
            "categories": MessageThread.Category.choices,
            "assignees": [("me", _("Me")), ("none", _("Nobody (unassigned)"))],
        },
    )


def _queue_tiles(request: HttpRequest, params, *, current: str) -> list[dict]:
    """The working views, each linked with the inbox's search and filters (the sort and the page are each
    view's own) and counting the threads they find in it: a search counts in every view, as the task
    list's tiles do, so staff see where else it found threads. Without a filter: every thread."""
    kept = params.copy()
    for name in ("queue", "sort", "page"):
        kept.pop(name, None)
    filters = StaffInboxFilter(kept, queryset=list_threads_for_staff(), request=request)
    matching = filters_used(kept, filters.errors)
    counts = count_inbox_queues(user=request.user, threads=filters.qs if matching else None)
    tiles = []
    for key, label in Queue.CHOICES:
        query = kept.copy()
        query["queue"] = key
        tiles.append(
            {
                "key": key,
                "label": label,
                "count": counts[key],
                "query": query.urlencode(),
                "matching": matching,
                "current": key == current,
            }
        )
    return tiles


def _client_filter(client_id: int | str, params) -> dict | None:
    """The chip of a one-client list (hidden in the form otherwise): whose threads, and the link without it."""
    if not client_id:
        return None
    without = params.copy()
    without.pop("client", None)
    return {"name": client_name(client_id=client_id) or f"#{client_id}", "remove": without.urlencode()}


def _thread_context(request: HttpRequest, thread: MessageThread, **extra) -> dict:
    return {
        "thread": thread,
        **thread_page_part(request, thread, url_name="staff-message-page"),
        **thread_page_notes_part(request, thread),
        "mine": thread.assignee_id == request.user.pk,
        "closed": thread.status == MessageThread.Status.CLOSED,
        # (id, name), the user marked "(me)" and the holder left out in thread.html, as on the task page
        "staff_members": assignee_choices(request.user),
        "max_attachments": MAX_ATTACHMENTS,
        # The most characters of each text, the `maxlength` and the count as typed (_char_counter.html).
        "text_limits": {
            field: max_length(TEXT_SERIALIZERS[action], "body") for action, field in TEXT_ACTIONS.items()
        },
        "values": {},
        "errors": {},
        "failed_action": "",
        # One-time keys of the reply and final answer forms: a form posted again writes nothing.
        "form_keys": {"reply": new_form_key(), "final": new_form_key()},
        **extra,
    }


@require_GET
@staff_required
def thread_page(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(thread_id)
    return render(request, "portal_ui/staff/inbox/thread.html", _thread_context(request, thread))


@require_POST
@staff_required
def thread_action(request: HttpRequest, thread_id: int, action: str) -> HttpResponse:
    """Reply, give the final answer, add an internal note, assign, take over or release the thread."""
    thread = _thread_or_404(thread_id)
    page_url = reverse("staff-message-page", args=[thread.pk])
    try:
        if action in ("assign", "take-over", "release"):
            return _assign(request, thread, action, page_url)
        if action not in TEXT_ACTIONS:
            raise Http404
        return _write(request, thread, action, page_url)
    except Conflict as exc:
        # A colleague changed the thread meanwhile (gave the final answer, took it), or a stale copy of a
        # form already sent came back: the page as it is now, saying so beside the form, with what was
        # typed kept.
        text = exc.form_message if isinstance(exc, IdempotencyKeyReused) else exc.message
        return _refused(request, thread_id, action, text)


def _refused(request: HttpRequest, thread_id: int, action: str, message: str) -> HttpResponse:
    thread = _thread_or_404(thread_id)
    field = TEXT_ACTIONS.get(action)
    if field is None:
        context = _thread_context(request, thread, errors={"assignee_id": [message]}, failed_action="assign")
        return render(request, "portal_ui/staff/inbox/thread.html", context, status=409)
    text = request.POST.get(field, "")
    extra: dict = {"values": {field: text}, "errors": {field: [message]}, "failed_action": action}
    if thread.status == MessageThread.Status.CLOSED and thread.final_answer_by is not None:
        by = thread.final_answer_by.get_full_name() or thread.final_answer_by.email
        # No answer form on a closed thread: the text comes back in a box of its own (thread.html).
        extra["unsent"] = {
            "text": text,
            "error": _(
                "Meanwhile %(name)s gave the final answer and closed the thread: your text was not sent. "
                "It is below: keep it as an internal note, or send it once a comment of the client "
                "reopens the thread."
            )
            % {"name": by},
        }
    context = _thread_context(request, thread, **extra)
    return render(request, "portal_ui/staff/inbox/thread.html", context, status=409)


def _assign(request: HttpRequest, thread: MessageThread, action: str, page_url: str) -> HttpResponse:
    raw = {"take-over": request.user.pk, "release": None}.get(action, request.POST.get("assignee_id") or None)
    data = {"assignee_id": raw}
    if "expected_assignee_id" in request.POST:  # who the page showed holding the thread ("" nobody)
        data["expected_assignee_id"] = request.POST["expected_assignee_id"] or None
    serializer = AssignInputSerializer(data=data)
    # "Assign" with nobody chosen would release the thread: releasing has its own button.
    if (action == "assign" and raw is None) or not serializer.is_valid():
        context = _thread_context(
            request,
            thread,
            errors={"assignee_id": [str(NOT_ASSIGNABLE)]},
            failed_action="assign",
        )
        return render(request, "portal_ui/staff/inbox/thread.html", context, status=400)
    assignee = serializer.validated_data["assignee_id"]
    assign_thread(user=request.user, thread=thread, assignee=assignee, **serializer.expectation())
    if assignee is None:
        messages.success(request, _("The thread is unassigned now."))
    elif assignee.pk == request.user.pk:
        messages.success(request, _("You handle this thread now."))
    else:
        name = assignee.get_full_name() or assignee.email
        messages.success(request, _("The thread has been assigned to %(name)s.") % {"name": name})
    return redirect(page_url)


def _write(request: HttpRequest, thread: MessageThread, action: str, page_url: str) -> HttpResponse:
    if action != "note":  # a reply or a final answer reaches the client: the API's "messages" limit
        refused = over_limit(request, "messages")
        if refused is not None:
            return refused
    field = TEXT_ACTIONS[action]
    text = request.POST.get(field, "")
    serializer = TEXT_SERIALIZERS[action](data=filled({"body": text}))
    # The form's text input is named after the action; the serializer's field is `body`.
    errors = {} if serializer.is_valid() else {field: form_errors(serializer.errors).get("body", [])}
    key = posted_form_key(request)
    if action != "note" and not errors:
        body = serializer.validated_data["body"]
        if sent_message(thread=thread, user=request.user, idempotency_key=key, body=body) is not None:
            # The form posted again (a double click): answered as the first post was, which said "sent".
            return redirect(page_url)
    attachments = []
    if action == "reply" and has_posted_attachments(request, field="attachments"):
        attachments, problems = posted_message_attachments(request, client=thread.client)
        if problems:
            errors["attachments"] = problems
    if errors:
        context = _thread_context(
            request,
            thread,
            values={field: text},
            errors=errors,
            failed_action=action,
            kept_attachments=attachments,
        )
        return render(request, "portal_ui/staff/inbox/thread.html", context, status=400)
    body = serializer.validated_data["body"]
    if action == "reply":
        uploaded = [a.pk for a in attachments]
        try:
            reply_as_staff(
                user=request.user,
                thread=thread,
                body=body,
                attachment_ids=uploaded,
                idempotency_key=key,
            )
        except Conflict:
            discard_unsent_attachments(user=request.user, attachment_ids=uploaded)  # no reply will hold them
            raise
        messages.success(request, _("Your reply has been sent to the client."))
    elif action == "final-answer":
        set_final_answer(user=request.user, thread=thread, body=body, idempotency_key=key)
        messages.success(request, _("The final answer has been given; the thread is closed."))
    else:
        note = add_internal_note(user=request.user, thread=thread, body=body)
        messages.success(request, _("Your internal note has been added. The client does not see it."))
        # At the new note, the notes card's last (far down on a phone): forms.js focuses it and says the
        # message beside it, as on the task page.
        return redirect(f"{page_url}#note-{note.pk}")
    # No #fragment: the page opens on this confirmation (data-focus-start, forms.js).
    return redirect(page_url)
