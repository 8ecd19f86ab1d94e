from django.contrib import admin

from notifications.models import Delivery, DigestDelivery, Notice, NotificationPreference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject_id", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email"]
    raw_id_fields = ["recipient", "event", "client"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["recipient", "address", "template", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["recipient__email", "address"]
    raw_id_fields = ["recipient", "event"]
    readonly_fields = ["last_error"]


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
