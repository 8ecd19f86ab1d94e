"""Admin of requests: read-only (requests change only through services, history is append-only), but
the fee table, which the back office keeps here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from backend.requests_app.catalogue import request_stage_label, stage_choices
from backend.requests_app.models import PortalRequest, RequestAttachment, RequestEvent, RequestFee


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "author", "actor", "stage", "status_from", "status_to", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StageFilter(admin.SimpleListFilter):
    """The stages the requests are at, by the names the portal shows."""

    title = gettext_lazy("stage")
    parameter_name = "stage"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        stages = PortalRequest.objects.exclude(stage="").values_list("stage", flat=True).distinct()
        return sorted(stage_choices(sorted(set(stages))), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(stage=self.value()) if self.value() else queryset


@admin.register(PortalRequest)
class PortalRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "client", "contract", "status", "stage_name", "assignee", "created_at"]
    list_filter = ["status", "kind", StageFilter]
    search_fields = ["number", "client__name_key__folded", "contract__number"]
    # The instance's version names the stage without a query per row.
    list_select_related = ["client", "contract", "assignee", "process_instance"]
    readonly_fields = [f.name for f in PortalRequest._meta.fields]
    inlines = [RequestEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("stage"), ordering="stage")
    def stage_name(self, obj: PortalRequest) -> str:
        """The stage as the portal names it (the BPMN element's name in the request's version)."""
        return request_stage_label(obj)


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
