"""Client pages of messages (Wiadomości): the correspondence, a new message and a comment on a thread.

Thin adapters over backend/messaging: the API's input serializers (backend/messaging/inputs.py) and its
services, so a page and the API never disagree about what is valid. Files take the one attachment path of
every page (request_attachments.py): checked and stored when posted, then bound by id with the message.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.clients.access_rules import Area
from backend.clients.models import Client
from backend.contracts.selectors import list_contract_choices
from backend.drafts.services import discard_draft
from backend.messaging.attachments import MAX_ATTACHMENTS
from backend.messaging.client_writes import add_client_comment, start_thread
from backend.messaging.filters import ClientThreadFilter
from backend.messaging.idempotency import IdempotencyKeyReused, sent_message, sent_thread
from backend.messaging.inputs import CommentInputSerializer, NewThreadInputSerializer
from backend.messaging.models import Message, MessageThread
from backend.messaging.selectors import get_thread_for_client, list_threads_for_client
from notifications.services import mark_notices_about_read
from portal_ui.access import client_area_required
from portal_ui.acting_for import acting_for_checked, switch_notice, switched_away_from
from portal_ui.client_lists import list_page, or_404
from portal_ui.error_summary import error_summary, filled, form_errors
from portal_ui.form_keys import new_form_key, posted_form_key
from portal_ui.page_limits import counted
from portal_ui.request_attachments import posted_message_attachments
from portal_ui.text_limits import max_length
from portal_ui.thread_messages import thread_page_part

# Sortable columns (`?sort=key`, `?sort=-key`): key → fields in ascending order.
THREAD_SORTS = {
    "subject": ["subject"],
    "contract": ["contract__number"],
    "last_message_at": ["last_message_at"],
    "message_count": ["message_count"],
}


def _error_summary(errors: dict[str, list[str]], *, body_label: str | None = None) -> list[dict]:
    """Return the errors in form order with their field labels, for the summary above the form.

    `body_label` is the text field's visible label where it is not "Message" (a comment's "Your comment").
    """
    labels = {
        "subject": _("Subject"),
        "category": _("Category"),
        "contract_id": _("Contract"),
        "body": body_label or _("Message"),
        "attachments": _("Attachments"),
    }
    return error_summary(errors, labels, id_prefix="id_")


def _thread_sent_before(request: HttpRequest, serializer, client: Client) -> MessageThread | None:
    """The thread an earlier post of this form made (a double click, a re-sent page), looked up before this
    post's files are stored: answered like that post, which said "sent" once. A key that came back with
    another text is left to start_thread, which refuses it next to the form."""
    key = posted_form_key(request)
    if not key or not serializer.is_valid():
        return None
    # Everything but the files, which are not stored yet (start_thread compares those by content).
    fields = {name: value for name, value in serializer.thread_fields().items() if name != "attachment_ids"}
    try:
        return sent_thread(user=request.user, client=client, idempotency_key=key, **fields)
    except IdempotencyKeyReused:
        return None


def _comment_sent_before(request: HttpRequest, serializer, thread: MessageThread) -> Message | None:
    """The comment an earlier post of this form added, as _thread_sent_before."""
    key = posted_form_key(request)
    if not key or not serializer.is_valid():
        return None
    body = serializer.validated_data["body"]
    try:
        return sent_message(thread=thread, user=request.user, idempotency_key=key, body=body)
    except IdempotencyKeyReused:
        return None


def _checked_input(serializer, request: HttpRequest) -> tuple[dict[str, list[str]], list]:
    """Validate the form and take its files (kept or newly stored); return the errors and the attachments."""
    errors = {} if serializer.is_valid() else form_errors(serializer.errors)
    attachments, problems = posted_message_attachments(request, client=request.active_client)
    if problems:
        errors["attachments"] = problems
    return errors, attachments


@require_GET
@client_area_required(Area.MESSAGES)
def message_list(request: HttpRequest) -> HttpResponse:
    """Wiadomości: the history of the correspondence, latest activity first."""
    client = request.active_client
    return list_page(
        request,
        "portal_ui/client/message_list.html",
        filterset_class=ClientThreadFilter,
        queryset=list_threads_for_client(client=client),
        sorts=THREAD_SORTS,
        default_sort="-last_message_at",
        contracts=list_contract_choices(client=client),
    )


@require_http_methods(["GET", "POST"])
@acting_for_checked(shows_form_again=Area.MESSAGES, draft_key=lambda kwargs: "message:new")
@client_area_required(Area.MESSAGES)
@counted("messages")
def message_new(request: HttpRequest) -> HttpResponse:
    """Nowa wiadomość: every field is required; attachments are checked by their content."""
    client = request.active_client
    values = {"subject": "", "category": "", "contract_id": request.GET.get("contract", ""), "body": ""}
    context: dict = {}
    errors: dict[str, list[str]] = {}
    attachments: list = []
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        serializer = NewThreadInputSerializer(data=filled(values), context={"client": client})
        previous = switched_away_from(request)
        if previous is not None:
            # Nothing is sent, nor any file stored, for a company the form was not written for.
            context.update(switch_notice(request, previous, draft_key="message:new"))
        elif (sent := _thread_sent_before(request, serializer, client)) is not None:
            messages.info(request, _("This message had already been sent: nothing was sent a second time."))
            return redirect("message-page", thread_id=sent.pk)
        else:
            errors, attachments = _checked_input(serializer, request)
        if not errors and previous is None:
            fields = serializer.thread_fields() | {"attachment_ids": [a.pk for a in attachments]}
            try:
                thread = start_thread(
                    user=request.user, client=client, idempotency_key=posted_form_key(request), **fields
                )
            except IdempotencyKeyReused as exc:
                errors = {"form": [exc.form_message]}
            else:
                discard_draft(user=request.user, client=client, form_key="message:new")
                messages.success(
                    request, _("Your message has been sent. We will answer as soon as possible.")
                )
                return redirect("message-page", thread_id=thread.pk)
        status = 409 if previous is not None or "form" in errors else 400
    context |= {
        "values": values,
        "errors": errors,
        "error_summary": _error_summary(errors),
        "kept_attachments": attachments if errors else [],
        "contracts": list_contract_choices(client=client),
        "categories": MessageThread.Category.choices,
        "max_attachments": MAX_ATTACHMENTS,
        # The message's most characters: its maxlength and counter (_char_counter.html).
        "body_limit": max_length(NewThreadInputSerializer, "body"),
        "form_key": new_form_key(),
    }
    return render(request, "portal_ui/client/message_new.html", context, status=status)


def _thread_context(request: HttpRequest, thread: MessageThread, **extra) -> dict:
    return {
        "thread": thread,
        **thread_page_part(request, thread, url_name="message-page"),
        "closed": thread.status == MessageThread.Status.CLOSED,
        "max_attachments": MAX_ATTACHMENTS,
        # The message's most characters: its maxlength and counter (_char_counter.html).
        "body_limit": max_length(CommentInputSerializer, "body"),
        "form_key": new_form_key(),
        **extra,
    }


@require_GET
@client_area_required(Area.MESSAGES)
def message_page(request: HttpRequest, thread_id: int) -> HttpResponse:
    """One thread: its messages, the lessor's final answer and "Dodaj komentarz".

    Opening it reads the answers: the user's notices about the thread are marked read (the bell drops).
    """
    thread = or_404(
        get_thread_for_client, client=request.active_client, thread_id=thread_id, with_messages=False
    )
    mark_notices_about_read(user=request.user, subject=thread)
    context = _thread_context(request, thread, comment_open="comment" in request.GET, body="", errors={})
    return render(request, "portal_ui/client/message_detail.html", context)


@require_POST
@acting_for_checked(
    back=lambda kwargs: reverse("message-page", args=[kwargs["thread_id"]]) + "?comment=1#comment-dialog",
    draft_key=lambda kwargs: f"message:reply:{kwargs['thread_id']}",
    text_field="body",
)
@client_area_required(Area.MESSAGES)
@counted("messages")
def message_comment(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Dodaj komentarz: on an error the page comes back with the dialog open and the text kept."""
    body = request.POST.get("body", "")
    thread = or_404(
        get_thread_for_client, client=request.active_client, thread_id=thread_id, with_messages=False
    )
    serializer = CommentInputSerializer(data=filled({"body": body}))
    if (sent := _comment_sent_before(request, serializer, thread)) is not None:
        return redirect(reverse("message-page", args=[thread.pk]) + f"#message-{sent.pk}")
    errors, attachments = _checked_input(serializer, request)
    if not errors:
        try:
            comment = add_client_comment(
                user=request.user,
                thread=thread,
                body=serializer.validated_data["body"],
                attachment_ids=[a.pk for a in attachments],
                idempotency_key=posted_form_key(request),
            )
        except IdempotencyKeyReused as exc:
            errors = {"body": [exc.form_message]}
    if errors:
        context = _thread_context(
            request,
            thread,
            comment_open=True,
            body=body,
            errors=errors,
            error_summary=_error_summary(errors, body_label=_("Your comment")),
            kept_attachments=attachments,
        )
        return render(request, "portal_ui/client/message_detail.html", context, status=400)
    discard_draft(user=request.user, client=request.active_client, form_key=f"message:reply:{thread.pk}")
    messages.success(request, _("Your comment has been sent."))
    # At the comment just sent, at the thread's end: forms.js focuses it and says the message beside it.
    return redirect(reverse("message-page", args=[thread.pk]) + f"#message-{comment.pk}")
