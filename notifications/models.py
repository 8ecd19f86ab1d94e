"""In-portal notices and the e-mail deliveries made from outbox events.

Each (event, recipient) pair gets at most one notice and each (event, recipient, channel) at most one
delivery row: the unique constraints make a redelivered Celery task a no-op for what already exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.choice_labels import ChoiceLabels


class Notice(models.Model):
    """A notice shown in the portal's bell, made once per outbox event and recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    event = models.ForeignKey(
        "core.OutboxEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=64)
    client = models.ForeignKey("clients.Client", null=True, blank=True, on_delete=models.CASCADE)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.BigIntegerField(_("subject id"), null=True, blank=True)
    # Ids and codes only (request number, stage); the text is rendered in the reader's language.
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="unique_notice_per_event_recipient")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Delivery(ChoiceLabels, models.Model):
    """One e-mail made from one outbox event for one recipient.

    The row is created before anything is sent; sending claims it (pending → sending) with a conditional
    UPDATE, so two workers never both send it, and marks it sent afterwards. It holds no e-mail body: the
    e-mail is rendered at each attempt, so an account e-mail's one-time link is made afresh and stored
    nowhere.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Not sent on purpose: what the e-mail asked for was over when it would have gone
        # (email_rendering.EmailNotNeeded).
        SKIPPED = "skipped", _("Not needed")

    event = models.ForeignKey(
        "core.OutboxEvent", on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    # A portal user, or (recipient empty) only an address: a request's contact person who has no account.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(_("address"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    template = models.CharField(_("template"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Attempts claimed (each is tried at once); after a failure the next waits until next_retry_at.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_retry_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"], name="unique_delivery_per_event_recipient_channel"
            ),
            models.UniqueConstraint(
                fields=["event", "address", "channel"],
                condition=models.Q(recipient__isnull=True),
                name="unique_delivery_per_event_address_channel",
            ),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_id or self.address} ({self.status})"


class NotificationPreference(models.Model):
    """Which e-mails a user wants; in-portal notices are always made. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_pref",
        verbose_name=_("user"),
    )
    # Client users: one switch per kind of request / message e-mail.
    email_stage_changed = models.BooleanField(
        _("a request moved to a new stage or customer service wrote on it"), default=True
    )
    email_waiting_for_client = models.BooleanField(_("a request is waiting for my reply"), default=True)
    email_decided = models.BooleanField(_("a request has been decided"), default=True)
    email_message_answered = models.BooleanField(_("my message has been answered"), default=True)
    email_reminder = models.BooleanField(_("reminders of a reply still awaited"), default=True)
    # Staff.
    email_task_assigned = models.BooleanField(_("a task assigned to me is waiting"), default=True)
    email_new_message = models.BooleanField(_("new client message in the inbox"), default=False)
    daily_digest = models.BooleanField(_("daily digest of my tasks and unanswered messages"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class DigestDelivery(ChoiceLabels, models.Model):
    """The daily digest of one staff member: one row per (recipient, day), so a rerun sends nothing twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=16, choices=Delivery.Status.choices, default=Delivery.Status.PENDING
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="unique_digest_per_day")]
        verbose_name = _("daily digest delivery")
        verbose_name_plural = _("daily digest deliveries")

    def __str__(self) -> str:
        return f"digest {self.day} → {self.recipient_id} ({self.status})"
