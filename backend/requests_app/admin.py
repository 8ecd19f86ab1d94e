"""Admin of requests: read-only (requests change only through services, history is append-only), but
the fee table, which the back office keeps here."""

from django.contrib import admin

from backend.requests_app.models import PortalRequest, RequestAttachment, RequestEvent, RequestFee


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "author", "actor", "stage", "status_from", "status_to", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PortalRequest)
class PortalRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "client", "contract", "status", "stage", "assignee", "created_at"]
    list_filter = ["status", "kind", "stage"]
    search_fields = ["number", "client__name", "contract__number"]
    readonly_fields = [f.name for f in PortalRequest._meta.fields]
    inlines = [RequestEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RequestAttachment)
class RequestAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "client", "request", "content_type", "size", "created_at"]
    readonly_fields = [f.name for f in RequestAttachment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RequestFee)
class RequestFeeAdmin(admin.ModelAdmin):
    """The fee table: the one place in this app the back office edits directly (no workflow behind it)."""

    list_display = ["kind", "amount", "currency", "note", "updated_at"]
    list_editable = ["amount", "note"]
