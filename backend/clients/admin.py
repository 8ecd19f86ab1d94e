from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.accounts.admin import UserAdmin
from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership


class ClientMembershipInline(admin.TabularInline):
    model = ClientMembership
    extra = 0
    autocomplete_fields = ["user", "contracts"]  # a select of every contract would be huge


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "regon", "krs", "registered_city", "email", "phone"]
    list_filter = ["registered_city"]
    search_fields = ["name", "nip", "regon", "krs", "email"]
    inlines = [ClientMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "nip", "regon", "krs"]}),
        (
            _("Registered office"),
            {"fields": ["registered_street", "registered_postal_code", "registered_city"]},
        ),
        (
            _("Correspondence address"),
            {"fields": ["correspondence_street", "correspondence_postal_code", "correspondence_city"]},
        ),
        (_("Contact"), {"fields": ["email", "phone", "bank_account"]}),
    ]


@admin.register(ClientMembership)
class ClientMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "client", "role", "is_admin", "status", "is_default", "created_at"]
    list_filter = ["role", "is_admin", "status", "is_default"]
    search_fields = ["user__email", "client__name", "client__nip"]
    autocomplete_fields = ["user", "client", "contracts"]
    list_select_related = ["user", "client"]


class UserMembershipInline(admin.TabularInline):
    model = ClientMembership
    extra = 0
    autocomplete_fields = ["client", "contracts"]


# The user's page in the admin lists the clients the user acts for: the accounts app's UserAdmin, with
# this app's inline (accounts sits below clients and does not import it).
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, UserMembershipInline]
