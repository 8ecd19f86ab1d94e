from django.contrib import admin

from workflows.models import ProcessInstance, ProcessVersion


@admin.register(ProcessVersion)
class ProcessVersionAdmin(admin.ModelAdmin):
    list_display = ["process_key", "number", "deployed_by", "deployed_at", "checksum"]
    list_filter = ["process_key"]
    readonly_fields = [f.name for f in ProcessVersion._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # deployed versions never change


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(admin.ModelAdmin):
    """Read-only: every change to an instance goes through workflows.services under the row lock."""

    list_display = ["id", "process_version", "stage", "waiting_for", "status", "next_timer_due", "version"]
    list_filter = ["status", "waiting_for", "process_version__process_key"]
    readonly_fields = [f.name for f in ProcessInstance._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
