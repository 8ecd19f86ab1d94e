from django.contrib import admin

from backend.sso.models import BankCustomerLink, UsedAssertion


@admin.register(BankCustomerLink)
class BankCustomerLinkAdmin(admin.ModelAdmin):
    list_display = ["bank_customer_id", "user", "created_at"]
    search_fields = ["bank_customer_id", "user__email"]
    raw_id_fields = ["user"]


@admin.register(UsedAssertion)
class UsedAssertionAdmin(admin.ModelAdmin):
    list_display = ["jti", "bank_customer_id", "used_at", "expires_at"]
    search_fields = ["jti", "bank_customer_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
