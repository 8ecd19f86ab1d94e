from django.contrib import admin

from backend.contracts.models import (
    BuyoutQuote,
    Contract,
    InsurancePolicy,
    LeasedItem,
    ScheduleRow,
    SerialNumber,
)
from backend.core.admin_read_only import ReadOnlyAdmin


class ScheduleRowInline(admin.TabularInline):
    model = ScheduleRow
    extra = 0
    fields = ["number", "due_date", "capital", "interest", "net", "vat", "gross", "capital_remaining", "paid"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Rows come from the schedule computation (contracts.services), never typed in by hand.
        return False


class LeasedItemInline(admin.TabularInline):
    model = LeasedItem
    extra = 0
    fields = ["name", "category", "manufacturer", "production_year", "net_value"]
    show_change_link = True


class InsurancePolicyInline(admin.TabularInline):
    model = InsurancePolicy
    extra = 0
    fields = [
        "insurer",
        "number",
        "scope",
        "sum_insured",
        "currency",
        "period_start",
        "period_end",
        "premium",
        "status",
    ]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "client", "type", "status", "start_date", "end_date", "net_value", "currency"]
    list_filter = ["type", "status", "currency"]
    search_fields = ["number", "client__name_key__folded", "client__nip"]
    autocomplete_fields = ["client"]
    date_hierarchy = "start_date"
    list_select_related = ["client"]
    inlines = [LeasedItemInline, InsurancePolicyInline, ScheduleRowInline]


class SerialNumberInline(admin.TabularInline):
    model = SerialNumber
    extra = 0


@admin.register(LeasedItem)
class LeasedItemAdmin(admin.ModelAdmin):
    list_display = ["name", "contract", "category", "manufacturer", "production_year", "net_value"]
    list_filter = ["category"]
    search_fields = ["name", "manufacturer", "contract__number", "serial_numbers__value"]
    autocomplete_fields = ["contract"]
    list_select_related = ["contract"]
    inlines = [SerialNumberInline]


@admin.register(SerialNumber)
class SerialNumberAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "item"]
    list_filter = ["kind"]
    search_fields = ["value", "item__name", "item__contract__number"]
    autocomplete_fields = ["item"]
    list_select_related = ["item"]


@admin.register(InsurancePolicy)
class InsurancePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "insurer",
        "contract",
        "status",
        "period_start",
        "period_end",
        "sum_insured",
        "currency",
    ]
    list_filter = ["status", "insurer", "currency"]
    search_fields = ["number", "insurer", "contract__number", "contract__client__name_key__folded"]
    autocomplete_fields = ["contract"]
    list_select_related = ["contract"]


@admin.register(ScheduleRow)
class ScheduleRowAdmin(admin.ModelAdmin):
    list_display = ["contract", "number", "due_date", "net", "gross", "capital_remaining", "paid"]
    list_filter = ["paid"]
    search_fields = ["contract__number"]
    autocomplete_fields = ["contract"]
    list_select_related = ["contract"]
    date_hierarchy = "due_date"


@admin.register(BuyoutQuote)
class BuyoutQuoteAdmin(ReadOnlyAdmin):
    """Read-only: quotes are computed (contracts.buyout) and move only through the request's process."""

    list_display = ["number", "contract", "effective_date", "total", "counter_total", "valid_until", "status"]
    list_filter = ["status"]
    search_fields = ["number", "contract__number", "client__name_key__folded"]
    list_select_related = ["contract"]
    date_hierarchy = "effective_date"
