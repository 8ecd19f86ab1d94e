from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.invoices.models import (
    AccountingExport,
    Compensation,
    Invoice,
    InvoiceDuplicate,
    InvoiceLine,
    InvoiceStatus,
    Payment,
)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["amount", "currency", "paid_on", "reference"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Payments keep Invoice.paid_amount in step only through invoices.services.
        return False


class CompensationInline(admin.TabularInline):
    model = Compensation
    extra = 0
    fields = ["amount", "currency", "compensated_on", "note_number"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class InvoiceDuplicateInline(admin.TabularInline):
    model = InvoiceDuplicate
    extra = 0
    fields = ["issued_at", "requested_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StatusFilter(admin.SimpleListFilter):
    """Filter on the derived status (it is not a column)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return InvoiceStatus.choices

    def queryset(self, request, queryset):
        if self.value() not in InvoiceStatus.values:
            return queryset
        from django.utils import timezone

        from backend.invoices.selectors import status_condition

        return queryset.filter(status_condition(self.value(), today=timezone.localdate()))


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "client",
        "contract",
        "issue_date",
        "due_date",
        "gross_total",
        "paid_amount",
        "currency",
        "status",
    ]
    list_filter = [StatusFilter, "currency", "issue_date"]
    search_fields = ["number", "client__name_key__folded", "client__nip", "contract__number"]
    autocomplete_fields = ["client", "contract"]
    list_select_related = ["client", "contract"]
    date_hierarchy = "issue_date"
    readonly_fields = ["paid_amount"]
    inlines = [InvoiceLineInline, PaymentInline, CompensationInline, InvoiceDuplicateInline]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["paid_on", "client", "invoice", "amount", "currency", "reference"]
    list_filter = ["currency"]
    search_fields = ["reference", "invoice__number", "client__name_key__folded", "client__nip"]
    list_select_related = ["client", "invoice"]
    date_hierarchy = "paid_on"
    autocomplete_fields = ["client", "invoice"]


@admin.register(Compensation)
class CompensationAdmin(admin.ModelAdmin):
    list_display = ["compensated_on", "note_number", "client", "invoice", "amount", "currency"]
    list_filter = ["currency"]
    search_fields = ["note_number", "invoice__number", "client__name_key__folded"]
    list_select_related = ["client", "invoice"]
    autocomplete_fields = ["client", "invoice"]


@admin.register(InvoiceDuplicate)
class InvoiceDuplicateAdmin(admin.ModelAdmin):
    list_display = ["invoice", "issued_at", "requested_by"]
    search_fields = ["invoice__number", "requested_by__email"]
    list_select_related = ["invoice", "requested_by"]
    autocomplete_fields = ["invoice", "requested_by"]


@admin.register(InvoiceLine)
class InvoiceLineAdmin(admin.ModelAdmin):
    list_display = ["invoice", "position", "description", "quantity", "unit_net", "net", "vat", "gross"]
    search_fields = ["invoice__number", "description"]
    list_select_related = ["invoice"]
    autocomplete_fields = ["invoice"]


@admin.register(AccountingExport)
class AccountingExportAdmin(admin.ModelAdmin):
    """Operators see every accountant's ZIP being built or failed, with the worker's error (read-only: the
    user asks again; beat deletes finished ones after 24 hours)."""

    list_display = ["id", "client", "user", "month", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["client__name_key__folded", "client__nip", "user__email"]
    fields = [
        "client",
        "user",
        "month",
        "lang",
        "status",
        "done",
        "total",
        "error",
        "size",
        "created_at",
        "updated_at",
        "finished_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
