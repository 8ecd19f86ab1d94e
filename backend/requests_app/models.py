"""Client requests (wnioski): the domain record beside each BPMN process instance.

The status is a django-fsm field changed only by backend/requests_app/lifecycle.py, the one place that
maps engine stages to transitions. History (RequestEvent) is append-only.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from backend.core.choice_labels import ChoiceLabels


class RequestKind(models.TextChoices):
    """The kind of a request; each kind is one BPMN process (bpmn/<kind>.bpmn)."""

    PAYMENT_DATE_CHANGE = "payment_date_change", _("Payment day change")
    CONTRACT_VALUE_CHANGE = "contract_value_change", _("Contract value change / additional equipment")
    SCHEDULE_CHANGE = "schedule_change", _("Schedule change")
    CLIENT_DATA_CHANGE = "client_data_change", _("Client data change")
    OTHER_REQUEST = "other_request", _("Other matter")
    COMPLAINT = "complaint", _("Complaint")
    EARLY_TERMINATION = "early_termination", _("Buyout / early termination")
    VEHICLE_ABROAD_PERMIT = "vehicle_abroad_permit", _("Permit to take the vehicle abroad")


class RequestType(models.TextChoices):
    """The first choice on the submit screen; groups the kinds."""

    CONTRACT_CHANGE = "contract_change", _("Change of the contract")
    CLIENT_DATA = "client_data", _("Client data")
    OTHER = "other", _("Other matter")


class RequestStatus(models.TextChoices):
    # Contexts keep the masculine "wniosek" forms apart from the feminine ones of contracts and policies.
    SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
    IN_REVIEW = "in_review", pgettext_lazy("request status", "In review")
    WAITING_FOR_CLIENT = (
        "waiting_for_client",
        pgettext_lazy("request status", "Waiting for the client's reply"),
    )
    APPROVED = "approved", pgettext_lazy("request status", "Approved")
    REJECTED = "rejected", pgettext_lazy("request status", "Rejected")
    COMPLETED = "completed", pgettext_lazy("request status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("request status", "Cancelled")


OPEN_STATUSES = [RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW, RequestStatus.WAITING_FOR_CLIENT]
# Nothing left to do: decided (approved, rejected), completed or cancelled (the staff's "Closed" list).
CLOSED_STATUSES = [status for status in RequestStatus if status not in OPEN_STATUSES]

# A status as the client reads it on its own request: the staff's wording names the client in the third
# person ("Oczekuje na odpowiedź klienta"), which the client's pages address to the reader instead.
CLIENT_STATUS_LABELS = {
    RequestStatus.WAITING_FOR_CLIENT: pgettext_lazy(
        "request status, to the client", "Waiting for your reply"
    ),
}


def client_status_label(status: str) -> str:
    """The status's label on the client's pages, in the active language."""
    if status in CLIENT_STATUS_LABELS:
        return str(CLIENT_STATUS_LABELS[status])
    return str(RequestStatus(status).label) if status in RequestStatus.values else status


class RequestNumberSequence(models.Model):
    """The last request number given out in a year; incremented under the row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


# The history row of a decision document not rendered yet carries this key (and the render's inputs).
DOCUMENT_PENDING_KEY = "pending"
# After this many failed attempts to render it the pages say the document is delayed, not being prepared.
DOCUMENT_DELAYED_AFTER_ATTEMPTS = 3


class PortalRequest(ChoiceLabels, models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    type = models.CharField(_("type"), max_length=32, choices=RequestType.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=RequestKind.choices, db_index=True)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="portal_requests", verbose_name=_("client")
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_requests",
        verbose_name=_("contract"),
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_phone = models.CharField(_("contact phone"), max_length=32)
    contact_email = models.EmailField(_("contact e-mail"))
    declarations = models.JSONField(_("accepted declarations"), default=list)
    form_data = models.JSONField(_("request data"), default=dict)
    status = FSMField(
        _("status"), default=RequestStatus.SUBMITTED, choices=RequestStatus.choices, protected=False
    )
    stage = models.CharField(_("stage"), max_length=64, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assignee"),
    )
    process_instance = models.OneToOneField(
        "workflows.ProcessInstance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_request",
    )
    decision_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=128, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the staff task that is ready now should be done (set when a staff task becomes ready).
    staff_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Not a column: a staff step sets it on the request it returns when that step claimed the unclaimed
    # task (services.complete_staff_task); any other read of a request says False.
    claimed_in_step: bool = False

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                # Scoped to the acting client: one key never names another client's request.
                fields=["submitted_by", "client", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_request_idempotency_key_per_client",
            )
        ]
        indexes = [models.Index(fields=["client", "status"]), models.Index(fields=["status", "kind"])]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return self.number

    @property
    def waiting_for_client(self) -> bool:
        return self.status == RequestStatus.WAITING_FOR_CLIENT

    @property
    def client_status_display(self) -> str:
        return client_status_label(self.status)

    @property
    def decision_document_state(self) -> str:
        """ "ready", "preparing" (decided; the worker renders it after commit, decision_document.py),
        "delayed" (its rendering failed DOCUMENT_DELAYED_AFTER_ATTEMPTS times; still retried) or ""."""
        if self.decision_document_id:
            return "ready"
        if self.decided_at is None:
            return ""
        render = self.decision_document_render
        if render is None:
            return ""
        return "delayed" if render.delayed else "preparing"

    @property
    def decision_document_render(self) -> DocumentRender | None:
        """The attempts at the pending decision document (an unsaved row while none failed), or None when
        no document is pending: the pages say "being prepared", or "delayed" (staff with its error)."""
        if self.decision_document_id or self.decided_at is None:
            return None
        pending = {f"data__{DOCUMENT_PENDING_KEY}": True}
        event = (
            self.events.filter(kind=RequestEvent.Kind.DOCUMENT, **pending)
            .select_related("render")
            .order_by("pk")
            .first()
        )
        if event is None:
            return None
        return getattr(event, "render", None) or DocumentRender(event=event)

    # Transitions are called only from backend/requests_app/lifecycle.py.
    @transition(
        field=status,
        source=[RequestStatus.SUBMITTED, RequestStatus.WAITING_FOR_CLIENT],
        target=RequestStatus.IN_REVIEW,
    )
    def start_review(self) -> None:
        """Staff review begins (after submit or after the client's reply)."""

    @transition(field=status, source=RequestStatus.IN_REVIEW, target=RequestStatus.WAITING_FOR_CLIENT)
    def wait_for_client(self) -> None:
        """Staff asked the client for information."""

    # From SUBMITTED: a decision table approved it at once, without staff (the permit to go abroad).
    @transition(
        field=status, source=[RequestStatus.IN_REVIEW, RequestStatus.SUBMITTED], target=RequestStatus.APPROVED
    )
    def approve(self) -> None:
        """Staff (or the process's business rules) approved the request."""

    @transition(field=status, source=RequestStatus.IN_REVIEW, target=RequestStatus.REJECTED)
    def reject(self) -> None:
        """Staff rejected the request with a reason."""

    @transition(field=status, source=RequestStatus.APPROVED, target=RequestStatus.COMPLETED)
    def complete(self) -> None:
        """The change was applied and the decision document issued."""

    @transition(field=status, source=OPEN_STATUSES, target=RequestStatus.CANCELLED)
    def cancel(self) -> None:
        """The client withdrew the request, or the reply deadline passed."""


class RequestEvent(ChoiceLabels, models.Model):
    """One row of a request's history: a stage change or a message. Never updated or deleted."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        STAGE_CHANGED = "stage_changed", _("Stage changed")
        QUESTION = "question", _("Question to the client")
        REPLY = "reply", _("Client's reply")
        COMMENT = "comment", _("Comment")
        DECISION = "decision", _("Decision")
        REMINDER = "reminder", _("Reminder sent")
        CLAIMED = "claimed", _("Taken by a staff member")
        UNCLAIMED = "unclaimed", _("Released by a staff member")
        ASSIGNED = "assigned", _("Assigned to a staff member")
        DATA_CHANGED = "data_changed", _("Data changed")
        DOCUMENT = "document", _("Document issued")
        MIGRATED = "migrated", _("Moved to another version of the process")
        REPAIRED = "repaired", _("Repaired by an administrator")
        # Complaints (backend/requests_app/complaints.py); the last two are the back office's only.
        DEADLINE_EXTENDED = "deadline_extended", _("Answer deadline extended")
        ESCALATED = "escalated", _("Escalated to a supervisor")
        DEADLINE_PASSED = "deadline_passed", _("Answer deadline passed")
        NO_REPLY = "no_reply", _("No reply from the client")
        # Permit to go abroad: the rule of the DMN table that sent the request to staff.
        RULE_FAILED = "rule_failed", _("A rule was not met")
        # Staff's note for each other (internal_notes.py): the back office's only, never the client's.
        INTERNAL_NOTE = "internal_note", _("Internal note")

    class Author(models.TextChoices):
        CLIENT = "client", _("Client")
        STAFF = "staff", _("Staff")
        SYSTEM = "system", _("System")

    request = models.ForeignKey(
        PortalRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    author = models.CharField(_("author"), max_length=8, choices=Author.choices, default=Author.SYSTEM)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("performed by"),
    )
    stage = models.CharField(_("stage"), max_length=64, blank=True)
    status_from = models.CharField(_("previous status"), max_length=32, blank=True)
    status_to = models.CharField(_("new status"), max_length=32, blank=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]
        verbose_name = _("request history entry")
        verbose_name_plural = _("request history")

    def __str__(self) -> str:
        return f"{self.request} {self.kind}"

    @property
    def kind_label(self) -> str:
        """The row's title: a decision document's row is written before the worker renders it
        (decision_document.py), so until then it says "being prepared", as the state box does, not "issued"."""
        if self.kind == self.Kind.DOCUMENT and (self.data or {}).get(DOCUMENT_PENDING_KEY):
            # Its failed attempts (a pending row only: one read where the state box makes the same one).
            render = DocumentRender.objects.filter(event=self).first()
            if render is not None and render.delayed:
                return str(_("Document delayed"))  # as the state box says, never "being prepared" then
            return str(_("Document being prepared"))
        return self.get_kind_display()


class RequestAttachment(models.Model):
    """A checked upload. Uploaded before it is used, so a rejected submit never loses the file."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    request = models.ForeignKey(
        PortalRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    event = models.ForeignKey(
        RequestEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("request history entry"),
    )
    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=128)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")

    def __str__(self) -> str:
        return self.original_name


class RequestFee(ChoiceLabels, models.Model):
    """The fee of one request kind, shown to the client before submitting; kept by the back office."""

    kind = models.CharField(_("kind"), max_length=32, choices=RequestKind.choices, unique=True)
    amount = models.DecimalField(
        _("fee (gross)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="PLN")
    note = models.CharField(_("note shown to the client"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("request fee")
        verbose_name_plural = _("request fees")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.currency}"


class ReplyLink(models.Model):
    """A single-use link in the "we are waiting for your reply" e-mail: the request's contact person
    answers that one question without logging in. Only the token's hash is kept."""

    request = models.ForeignKey(PortalRequest, on_delete=models.CASCADE, related_name="reply_links")
    question = models.ForeignKey(RequestEvent, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["request", "question"])]

    def __str__(self) -> str:
        return f"reply link for {self.request_id} to {self.email}"


class ComplaintClock(models.Model):
    """The statutory answer clock of a complaint (backend/requests_app/complaints.py): calendar days from
    receipt, 30 by default, extended by staff with a reason the client is told to at most 60."""

    request = models.OneToOneField(PortalRequest, on_delete=models.CASCADE, related_name="complaint_clock")
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("answer due by"), db_index=True)
    extension_reason = models.TextField(_("reason of the extension"), blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The deadline the last escalation was for: a re-armed timer of the same deadline does not escalate twice.
    escalated_for = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint clock")
        verbose_name_plural = _("complaint clocks")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.deadline}"


class DocumentRender(models.Model):
    """The worker's attempts at a pending decision document (backend/requests_app/decision_document.py):
    made when one fails or when beat's re-drive takes it, gone once the document is stored.

    `next_retry_at` is the one chain of attempts: nothing renders the document again before it (the
    re-drive sets it ahead while its task runs, a failure to the end of its back-off). After
    DOCUMENT_DELAYED_AFTER_ATTEMPTS failures the pages say the document is delayed; staff see the error.
    """

    event = models.OneToOneField(
        RequestEvent,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="render",
        verbose_name=_("document"),
    )
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_retry_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision document being rendered")
        verbose_name_plural = _("decision documents being rendered")

    def __str__(self) -> str:
        return f"document {self.event_id}: {self.attempts} failed"

    @property
    def delayed(self) -> bool:
        return self.attempts >= DOCUMENT_DELAYED_AFTER_ATTEMPTS
