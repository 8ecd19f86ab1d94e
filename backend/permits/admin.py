"""Staff revoke a permit here; the public verification page then says it is revoked (audited by Django)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.permits.models import VehiclePermit


@admin.register(VehiclePermit)
class VehiclePermitAdmin(admin.ModelAdmin):
    list_display = ["request", "holder_name", "vehicle", "date_from", "date_to", "status", "failed_rule"]
    list_filter = ["status"]
    search_fields = ["code", "holder_name", "vin", "request__number"]
    readonly_fields = [f.name for f in VehiclePermit._meta.fields if f.name not in {"status"}]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # permits are issued by the process only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the chosen permits"))
    def revoke(self, request, queryset) -> None:
        queryset.filter(status=VehiclePermit.Status.VALID).update(
            status=VehiclePermit.Status.REVOKED, revoked_at=timezone.now()
        )
