from django.contrib import admin, messages
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.core.models import WorkerHeartbeat
from notifications.dispatch import send_deliveries_soon
from notifications.models import Delivery, DigestDelivery, Notice, NotificationPreference
from notifications.services import resend_deliveries


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject_id", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email"]
    raw_id_fields = ["recipient", "event", "client"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: a delivery is made from an outbox event and moved only by sending (services.py). An
    operator may only send again what has not gone out ("Resend"); the row holds no e-mail body."""

    list_display = [
        "recipient",
        "address",
        "template",
        "status",
        "attempts",
        "next_retry_at",
        "short_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "template"]
    search_fields = ["recipient__email", "address"]
    list_select_related = ["recipient"]
    actions = ["resend"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_resend_permission(self, request) -> bool:
        # The model permission itself: has_change_permission above is off only to make the form read-only.
        return request.user.has_perm("notifications.change_delivery")

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj: Delivery) -> str:
        return Truncator(obj.last_error).chars(120)

    @admin.action(description=gettext_lazy("Resend now (e-mails not sent)"), permissions=["resend"])
    def resend(self, request, queryset) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            resent = resend_deliveries(delivery_ids=chosen)
            transaction.on_commit(lambda: send_deliveries_soon(resent))
        self.message_user(
            request,
            _(
                "%(resent)s of %(chosen)s e-mails queued to be sent again; e-mails sent already are left alone."
            )
            % {"resent": len(resent), "chosen": len(chosen)},
            messages.SUCCESS if resent else messages.WARNING,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "email_stage_changed",
        "email_waiting_for_client",
        "email_decided",
        "daily_digest",
    ]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["recipient", "day", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["recipient"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Read-only, beside the deliveries it explains: written by the worker, read by /readyz and the
    dashboard's operations (notifications/operations.py)."""

    list_display = ["name", "seen_at", "hostname"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
