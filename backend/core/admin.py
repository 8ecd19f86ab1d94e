import json

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.admin_read_only import ReadOnlyAdmin
from backend.core.audit_labels import action_label
from backend.core.language import active_lang
from backend.core.models import AuditLog, OutboxEvent
from backend.core.services import record_audit
from backend.core.table_files import CSV_CONTENT_TYPE, csv_dialect_for, table_to_csv

# The admin's own header and titles (Django's default reads "Administracja Django"); set here only.
admin.site.site_header = _("Client Portal — administration")
admin.site.site_title = _("Client Portal — administration")
admin.site.index_title = _("Administration of the portal")


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    # Events are written by the changes they describe, in their transaction: one typed here would be sent
    # to nobody or fail; a consumer marks its own delivery. Read-only for everyone.
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


class AuditActionFilter(admin.SimpleListFilter):
    """The actions the log holds, by their readable names."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditLog.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1].lower())

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    # Append-only for everyone: rows are written by record_audit, never added, changed or deleted here.
    list_display = ["created_at", "action_name", "actor", "subject", "ip_address", "success"]
    list_filter = [AuditActionFilter, "success", "created_at"]
    date_hierarchy = "created_at"
    # The subject (username) and the actor (the user's e-mail) alike, and the action's code.
    search_fields = ["username", "user__email", "action"]
    list_select_related = ["user"]
    fields = [
        "created_at",
        "action_name",
        "actor",
        "subject",
        "ip_address",
        "user_agent",
        "success",
        "detail",
    ]
    readonly_fields = fields
    actions = ["export_csv"]

    class Media:
        css = {"all": ["core/admin_lists.css"]}  # cells wrap: the list fits 1280 px with its filter

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, entry: AuditLog) -> str:
        return action_label(entry.action)

    @admin.display(description=_("performed by"), ordering="user__email")
    def actor(self, entry: AuditLog) -> str:
        return entry.actor_email or "—"

    @admin.display(description=_("concerns"), ordering="username")
    def subject(self, entry: AuditLog) -> str:
        return entry.subject_name or "—"

    @admin.action(description=_("Export the selected entries to CSV"))
    def export_csv(self, request, queryset) -> HttpResponse:
        """The selected rows as a CSV file: Polish Excel's (semicolons, BOM) in Polish, RFC 4180 in
        English; the export itself is audited."""
        headers = [
            _("time"),
            _("action"),
            _("code"),
            _("performed by"),
            _("concerns"),
            _("IP address"),
            _("success"),
            _("details"),
        ]
        entries = queryset.select_related("user").order_by("created_at", "pk")
        rows = [
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                action_label(entry.action),
                entry.action,
                entry.actor_email,
                entry.subject_name,
                entry.ip_address or "",
                _("yes") if entry.success else _("no"),
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
            ]
            for entry in entries.iterator(chunk_size=2000)
        ]
        record_audit(action="audit_log_exported", request=request, user=request.user, rows=len(rows))
        body = table_to_csv(headers, rows, dialect=csv_dialect_for(active_lang()))
        response = HttpResponse(body, content_type=CSV_CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response
