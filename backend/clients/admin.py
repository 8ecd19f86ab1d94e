from django.contrib import admin

from backend.clients.models import Client, ClientMembership


class ClientMembershipInline(admin.TabularInline):
    model = ClientMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "regon", "krs", "registered_city", "email", "phone"]
    list_filter = ["registered_city"]
    search_fields = ["name", "nip", "regon", "krs", "email"]
    inlines = [ClientMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "nip", "regon", "krs"]}),
        ("Registered office", {"fields": ["registered_street", "registered_postal_code", "registered_city"]}),
        (
            "Correspondence address",
            {"fields": ["correspondence_street", "correspondence_postal_code", "correspondence_city"]},
        ),
        ("Contact", {"fields": ["email", "phone", "bank_account"]}),
    ]


@admin.register(ClientMembership)
class ClientMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "client", "is_default", "created_at"]
    list_filter = ["is_default"]
    search_fields = ["user__email", "client__name", "client__nip"]
    autocomplete_fields = ["user", "client"]
    list_select_related = ["user", "client"]
