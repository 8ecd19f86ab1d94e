from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.core.admin_read_only import ReadOnlyAdmin
from workflows.incidents import retry_at_next_sweep
from workflows.models import CurrentVersion, Incident, ProcessInstance, ProcessVersion


@admin.register(ProcessVersion)
class ProcessVersionAdmin(admin.ModelAdmin):
    list_display = ["process_key", "number", "deployed_by", "deployed_at", "checksum"]
    list_filter = ["process_key"]
    readonly_fields = [f.name for f in ProcessVersion._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # deployed versions never change

    def has_add_permission(self, request) -> bool:
        return False  # versions come from deploys (audited)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CurrentVersion)
class CurrentVersionAdmin(ReadOnlyAdmin):
    """Read-only: the current version changes by deploy or rollback (workflows/versioning.py), audited."""

    list_display = ["process_key", "version", "changed_by", "changed_at"]
    readonly_fields = [f.name for f in CurrentVersion._meta.fields]


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(admin.ModelAdmin):
    """Read-only: every change to an instance goes through workflows.services under the row lock."""

    list_display = [
        "id",
        "process_version",
        "stage",
        "waiting_for",
        "status",
        "incident_state",
        "next_timer_due",
        "version",
    ]
    list_filter = ["status", "waiting_for", "incident_state", "process_version__process_key"]
    readonly_fields = [f.name for f in ProcessInstance._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False  # instances start with their request; repairs go through /ops/

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    """Failed steps: what failed, how often and since when (resolved by the instance's next good step)."""

    # Read-only like the instances: incidents are recorded by failed steps, resolved by the instance's next
    # good step or in the repair console (/ops/, with a note, audited); its action is the only change.

    list_display = [
        "id",
        "instance",
        "action",
        "element_id",
        "error_class",
        "attempts",
        "status",
        "last_failed_at",
    ]
    list_filter = ["status", "action"]
    readonly_fields = [f.name for f in Incident._meta.fields]
    actions = ["retry_at_next_sweep"]

    @admin.action(description=_("Retry the timer step at the next sweep"))
    def retry_at_next_sweep(self, request, queryset) -> None:
        for instance_id in queryset.exclude(instance=None).values_list("instance_id", flat=True):
            retry_at_next_sweep(instance_id)

    # Read-only like the instances: incidents are recorded by failed steps, resolved by the instance's next
    # good step or in the repair console (/ops/, with a note, audited); the action above is the only change.
