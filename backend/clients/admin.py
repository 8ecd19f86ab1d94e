from django.contrib import admin

from backend.clients.models import Client, ClientMembership


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "regon", "registered_city", "email"]
    search_fields = ["name", "nip", "regon", "email"]


@admin.register(ClientMembership)
class ClientMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "client", "is_default"]
    search_fields = ["user__email", "client__name", "client__nip"]
    autocomplete_fields = ["user", "client"]
