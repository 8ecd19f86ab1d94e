"""Correspondence between a client and the lessor's customer service (Wiadomości).

A thread holds the client's messages, staff replies and, once staff set it, the final answer of the
lessor, which closes the thread. A client comment on a closed thread opens it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.core import idempotency
from backend.core.choice_labels import ChoiceLabels

# The one-time key of a message form (a UUID the page puts in it) or the API's Idempotency-Key.
IDEMPOTENCY_KEY_MAX_LENGTH = idempotency.MAX_LENGTH


def author_name_for_client(author, *, from_staff: bool) -> str:
    """How an author appears to the client, on pages and in the API alike: staff as the lessor's customer
    service, never by their own name or e-mail; a client user by name (the e-mail when there is none)."""
    if from_staff:
        return gettext("Customer service")
    return author.get_full_name() or author.email


class MessageThread(ChoiceLabels, models.Model):
    class Category(models.TextChoices):
        INVOICES = "invoices", _("Invoices and payments")
        SCHEDULE = "schedule", _("Repayment schedule")
        CONTRACT = "contract", _("Contract")
        LEASED_ITEM = "leased_item", _("Leased item")
        INSURANCE = "insurance", _("Insurance")
        DOCUMENTS = "documents", _("Documents")
        OTHER = "other", _("Other matter")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="message_threads", verbose_name=_("client")
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="message_threads"
    )
    subject = models.CharField(_("subject"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    final_answer = models.TextField(_("final answer"), blank=True)
    final_answer_at = models.DateTimeField(_("final answer date"), null=True, blank=True)
    final_answer_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The staff member who handles the thread; empty while nobody has taken it.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_threads",
        verbose_name=_("assignee"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    # The form's one-time key: a double click or a re-sent post of the form returns this thread.
    idempotency_key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                # Scoped to the writer and the company written for, as a request's key is.
                fields=["created_by", "client", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_thread_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["client", "-last_message_at"], name="thread_client_latest"),
            models.Index(fields=["status", "-last_message_at"], name="thread_status_latest"),
            # The unfiltered staff inbox is sorted by the latest activity over every client.
            models.Index(fields=["-last_message_at", "-id"], name="thread_latest"),
            models.Index(fields=["assignee", "status"], name="thread_assignee_status"),
        ]
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")

    def __str__(self) -> str:
        return self.subject

    @property
    def final_answer_author_for_client(self) -> str:
        return (
            author_name_for_client(self.final_answer_by, from_staff=True) if self.final_answer_by_id else ""
        )


class Message(models.Model):
    thread = models.ForeignKey(MessageThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("message"))
    is_from_staff = models.BooleanField(_("from staff"), default=False)
    is_final_answer = models.BooleanField(_("final answer"), default=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    # The form's one-time key: a double click or a re-sent post of a comment or reply returns this message.
    idempotency_key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "author", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_message_idempotency_key",
            )
        ]
        indexes = [models.Index(fields=["thread", "created_at"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.body[:40]}"

    @property
    def author_name_for_client(self) -> str:
        return author_name_for_client(self.author, from_staff=self.is_from_staff)


class MessageAttachment(models.Model):
    """A checked file (PDF, DOC, DOCX, ZIP) stored under a random name; served only after a permission check.

    Uploaded before its message (like a request's attachment), so the message is empty until it is sent.
    """

    client = models.ForeignKey("clients.Client", null=True, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="messages/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=128)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class InternalNote(models.Model):
    """A note staff leave on a thread for each other; kept apart from Message so no client read can reach it."""

    thread = models.ForeignKey(MessageThread, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="note_thread_created")]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.body[:40]}"
