"""Deployed BPMN process versions and the running instances of them.

A ProcessVersion never changes once deployed; instances stay on the version they started with.
The instance row holds the engine state as JSON without the spec (the spec is parsed once per
process per version and cached), plus the columns the portal queries: stage, who the instance waits
for, the ready user task and the next timer due time (indexed, so the timer sweep reads only due rows).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.choice_labels import ChoiceLabels
from backend.core.fast_json import OrjsonDecoder, OrjsonEncoder
from workflows.reason_words import reason_text


class ProcessVersion(models.Model):
    process_key = models.CharField(_("process"), max_length=64, db_index=True)
    number = models.PositiveIntegerField(_("version"))
    bpmn_xml = models.TextField(_("BPMN file"))
    # Snapshot of the JSON Schemas of the user task forms, keyed by form key, taken at deploy time.
    forms = models.JSONField(_("forms"), default=dict, blank=True)
    # The DMN decision tables its business-rule tasks call, keyed by decision id (workflows/dmn.py).
    dmn = models.JSONField(_("decision tables"), default=dict, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deployed by"),
    )
    deployed_at = models.DateTimeField(_("deployed at"), default=timezone.now)
    # The last simulated test run (workflows/simulation.py): {"passed": bool, "ran_at": ..., "paths": [...]}.
    test_run = models.JSONField(_("test run"), default=dict, blank=True)

    class Meta:
        ordering = ["process_key", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["process_key", "number"], name="unique_process_version_number"),
            models.UniqueConstraint(
                fields=["process_key", "checksum"], name="unique_process_version_checksum"
            ),
        ]
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")

    def __str__(self) -> str:
        return f"{self.process_key} v{self.number}"


class CurrentVersion(models.Model):
    """The version new requests of a process start on: set by a deploy whose test run passed, or by a
    rollback; separate from the newest version (workflows/versioning.py)."""

    process_key = models.CharField(_("process"), max_length=64, unique=True)
    version = models.ForeignKey(
        ProcessVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("process version")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("current process version")
        verbose_name_plural = _("current process versions")

    def __str__(self) -> str:
        return f"{self.process_key} → v{self.version.number}"


class IncidentState(models.TextChoices):
    NONE = "", _("None")
    RETRYING = "retrying", _("Retrying")
    OPEN = "open", _("Open")


class ProcessInstance(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class WaitingFor(models.TextChoices):
        CLIENT = "client", _("Client")
        STAFF = "staff", _("Staff")
        NOBODY = "nobody", _("Nobody")

    process_version = models.ForeignKey(
        ProcessVersion, on_delete=models.PROTECT, related_name="instances", verbose_name=_("process version")
    )
    # orjson: the state is read and written on every step (backend/core/fast_json.py).
    state = models.JSONField(_("engine state"), default=dict, encoder=OrjsonEncoder, decoder=OrjsonDecoder)
    serializer_version = models.CharField(_("serializer version"), max_length=16)
    # Optimistic lock: every write is UPDATE ... WHERE version = <read version>.
    version = models.PositiveIntegerField(_("row version"), default=0)
    stage = models.CharField(_("stage"), max_length=64, blank=True)
    waiting_for = models.CharField(
        _("waiting for"), max_length=8, choices=WaitingFor.choices, default=WaitingFor.NOBODY
    )
    current_task_id = models.UUIDField(_("current task id"), null=True, blank=True, db_index=True)
    current_task_name = models.CharField(_("current task"), max_length=64, blank=True)
    next_timer_due = models.DateTimeField(_("next timer due"), null=True, blank=True)
    # Each waiting timer's due time (element id → ISO time), saved with the state by every step, so a list
    # of waiting requests reads when each wait ends without loading the engine. Null: saved before it
    # existed (read from the state instead: steps.waiting_timer_dues).
    timer_dues = models.JSONField(_("timer due times"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING, db_index=True
    )
    # A failed step leaves its details in an Incident; these two columns let the timer sweep pick healthy
    # instances first and retry failing ones only when their back-off has passed.
    incident_state = models.CharField(
        _("incident state"),
        max_length=8,
        choices=IncidentState.choices,
        default=IncidentState.NONE,
        blank=True,
    )
    next_retry_at = models.DateTimeField(_("next retry at"), null=True, blank=True)
    # Suspended by an administrator (workflows/repair.py): no step runs and the timer sweep skips it.
    suspended = models.BooleanField(_("suspended"), default=False)
    # Who suspended it, when and why: the console's list of suspended instances and the staff task page
    # say so (empty again once resumed).
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    suspend_reason = models.TextField(_("reason for the suspension"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["waiting_for", "stage"]),
            # The timer sweep reads running instances in due order: its cost follows the due ones only.
            models.Index(fields=["status", "next_timer_due"], name="instance_running_due"),
        ]
        verbose_name = _("process instance")
        verbose_name_plural = _("process instances")

    def __str__(self) -> str:
        return f"#{self.pk} {self.process_version} {self.stage}"


class Incident(ChoiceLabels, models.Model):
    """A step of an instance that failed (its changes rolled back): what failed, how often, since when.

    A failed user step opens the incident at once; a failed timer step retries with back-off and opens it
    after WORKFLOW_TIMER_MAX_ATTEMPTS attempts. The next successful step of the instance resolves it. A
    start that fails has no instance (the request was not created): `instance` is empty then.
    """

    class Status(models.TextChoices):
        RETRYING = "retrying", _("Retrying")
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    instance = models.ForeignKey(
        ProcessInstance,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incidents",
        verbose_name=_("process instance"),
    )
    process_version = models.ForeignKey(
        ProcessVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("process version"),
    )
    action = models.CharField(_("action"), max_length=16)  # start | complete | timer | ...
    element_id = models.CharField(_("element"), max_length=255, blank=True)
    error_class = models.CharField(_("error class"), max_length=255)
    message = models.TextField(_("message"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    first_failed_at = models.DateTimeField(_("first failed at"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed at"), default=timezone.now)
    next_retry_at = models.DateTimeField(_("next retry at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # Set when an administrator closes the incident by hand (workflows/repair.py).
    resolution_note = models.TextField(_("resolution note"), blank=True)
    # What went wrong for people, kept as a message id and its parameters so that it reads in the
    # language of whoever opens the repair console; `message` keeps the error's own (technical) text.
    reason_id = models.TextField(_("reason (message id)"), blank=True)
    reason_params = models.JSONField(_("reason (parameters)"), default=dict, blank=True)

    class Meta:
        ordering = ["-last_failed_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.element_id or '?'}: {self.error_class} ({self.status})"

    @property
    def reason(self) -> str:
        """The readable reason in the active language ("" when the failure has only its technical text),
        an outcome named as the editor's panel names it, a request's status as its pages do (reason_words), an
        element by its name in the incident's version."""
        if not self.reason_id:
            return ""
        return reason_text(self.reason_id, self.reason_params or {}, version_id=self.process_version_id)
