"""The admin's read-only screens: records written only by the changes they describe (outbox events,
incidents, deliveries, versions, quotes, devices …) are listed and opened, never added, edited or deleted
by hand, which would bypass the service that writes them and its audit."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
