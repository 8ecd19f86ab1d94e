from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.core.models import AuditLog, OutboxEvent

# The admin's own header and titles (Django's default reads "Administracja Django"); set here only.
admin.site.site_header = _("Client Portal — administration")
admin.site.site_title = _("Client Portal — administration")
admin.site.index_title = _("Administration of the portal")


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "subject_type",
        "subject_id",
        "client",
        "created_at",
        "notified_at",
        "pushed_at",
    ]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in OutboxEvent._meta.fields]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "username", "ip_address", "success"]
    list_filter = ["action", "success"]
    search_fields = ["username"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    # Append-only for everyone: rows are written by record_audit, never added, changed or deleted here.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
