"""Permits in the Django admin, read-only: staff revoke a permit on the staff request page (or the API),
which asks for the reason, writes the request's history and the audit log (backend/permits/services.py)."""

from __future__ import annotations

from django.contrib import admin

from backend.permits.models import VehiclePermit


@admin.register(VehiclePermit)
class VehiclePermitAdmin(admin.ModelAdmin):
    list_display = ["request", "holder_name", "vehicle", "date_from", "date_to", "status", "failed_rule"]
    list_filter = ["status"]
    search_fields = ["code", "holder_name", "vin", "request__number"]
    readonly_fields = [f.name for f in VehiclePermit._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # permits are issued by the process only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
