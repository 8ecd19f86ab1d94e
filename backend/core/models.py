"""Cross-cutting records: the event outbox and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.audit_labels import ABOUT_AN_ACCOUNT, WITHOUT_LOGIN, action_label
from backend.core.choice_labels import ChoiceLabels


class OutboxEvent(ChoiceLabels, models.Model):
    """A domain event written in the same transaction as the change it describes.

    Consumers (notifications, live push) read it after commit. Each consumer marks its own delivery,
    so a crash between commit and delivery is repaired by the relay re-sending undelivered events.
    """

    class Kind(models.TextChoices):
        REQUEST_SUBMITTED = "request.submitted", _("Request submitted")
        REQUEST_STAGE_CHANGED = "request.stage_changed", _("Request stage changed")
        REQUEST_WAITING_FOR_CLIENT = "request.waiting_for_client", _("Waiting for the client's reply")
        REQUEST_REMINDER = "request.reminder", _("Reminder: waiting for the client's reply")
        REQUEST_DECIDED = "request.decided", _("Request decided")
        REQUEST_COMMENT = "request.comment", _("Comment on a request")
        # Back office only (no client id: pushed to the staff pages alone): a request's task changed hands.
        REQUEST_ASSIGNED = "request.assigned", _("Request task assigned")
        MESSAGE_ANSWERED = "message.answered", _("Message answered")
        MESSAGE_RECEIVED = "message.received", _("Client wrote a message")
        # Back office only (no client id: pushed to the staff inbox alone): a thread changed hands.
        MESSAGE_ASSIGNED = "message.assigned", _("Message thread assigned")
        INVOICE_ISSUED = "invoice.issued", _("Invoice issued")
        # Back office only (no client id, not pushed): a complaint near or past its statutory deadline.
        COMPLAINT_ESCALATED = "complaint.escalated", _("Complaint escalated to the supervisors")
        COMPLAINT_DEADLINE_PASSED = "complaint.deadline_passed", _("Complaint deadline passed")
        # Back office only (no client id: pushed to staff pages alone): a request past its staff due time.
        REQUEST_STAFF_OVERDUE = "request.staff_overdue", _("Request overdue with staff")
        # Back office only (no client id: pushed to staff pages alone, no notice, no e-mail): a colleague's
        # internal note, so the request's task page or the thread's page open elsewhere shows it. Ids only.
        REQUEST_INTERNAL_NOTE = "request.internal_note", _("Internal note on a request")
        MESSAGE_INTERNAL_NOTE = "message.internal_note", _("Internal note on a message thread")
        # The worker stored a decision document after the deciding step (requests_app/decision_document.py):
        # the request's open pages (the client's, the task page) show its link live. No notice, no e-mail:
        # the decision itself was told. Ids only.
        REQUEST_DOCUMENT_READY = "request.document_ready", _("Decision document ready")
        # An e-mail to one user about their own account (activation, password reset, invitation…): no
        # client id, never pushed; the payload names the e-mail, never a link (made afresh at each send).
        ACCOUNT_EMAIL = "account.email", _("Account e-mail")

    kind = models.CharField(_("kind"), max_length=64, choices=Kind.choices, db_index=True)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("client")
    )
    # Generic subject reference: ("requests_app.portalrequest", 12). Events carry ids, never data.
    subject_type = models.CharField(_("subject type"), max_length=64)
    subject_id = models.BigIntegerField(_("subject id"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True, db_index=True)
    pushed_at = models.DateTimeField(_("pushed at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}#{self.subject_id}"


class AuditLog(models.Model):
    """Who did what, when, from where: logins, failed logins, SSO hand-offs, activations, decisions."""

    action = models.CharField(_("action"), max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("user")
    )
    username = models.CharField(_("username"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    success = models.BooleanField(_("success"), default=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        # The admin's title of the entry: in local time, as its list shows it (stored in UTC).
        # The action by its readable name, as in the list (backend/core/audit_labels.py).
        if self.created_at is None:
            return action_label(self.action)
        when = timezone.localtime(self.created_at)
        return f"{when:%Y-%m-%d %H:%M} {action_label(self.action)} {self.username}".strip()

    # Who acted and on whom. record_audit stores the acting user in `user` and the account concerned in
    # `username` (the acting user's own e-mail when it names no other); an action done without a login (a
    # failed login, a reset link, a reply by link) has no actor: its `user` is the account concerned.
    @property
    def actor_email(self) -> str:
        if self.user_id is None or self.action in WITHOUT_LOGIN:
            return ""
        return self.user.email

    @property
    def subject_name(self) -> str:
        if self.action in WITHOUT_LOGIN:
            return self.username or (self.user.email if self.user_id else "")
        if self.action in ABOUT_AN_ACCOUNT:
            return self.username
        # Otherwise the actor's own e-mail is only record_audit's stand-in for "no other subject".
        return self.username if self.username != self.actor_email else ""


class WorkerHeartbeat(models.Model):
    """When a Celery worker last ran beat's heartbeat task (backend/core/tasks.py): one row per name.

    In the database, not a cache: every web replica's /readyz and the dashboard read the same row.
    A periodic task that must know when it last completed keeps its own row here too (`overdue-sweep`:
    backend/requests_app/overdue.py); /readyz reads only `worker`.
    """

    name = models.CharField(_("name"), max_length=32, primary_key=True)
    seen_at = models.DateTimeField(_("last seen at"))
    hostname = models.CharField(_("host"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"
