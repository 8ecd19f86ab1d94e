from collections.abc import Callable

from django.contrib import admin, messages
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.accounts.account_emails import AccountEmail
from backend.core.admin_read_only import ReadOnlyAdmin
from backend.core.models import OutboxEvent, WorkerHeartbeat
from notifications.dispatch import send_deliveries_soon
from notifications.models import Delivery, DigestDelivery, Notice, NotificationPreference
from notifications.recipients import (
    AUTO_CANCEL_CONTACT_TEMPLATE,
    AUTO_CANCEL_TEMPLATE,
    CONTACT_ADDRESS_TEMPLATES,
    EMAIL_KINDS,
    NEW_MESSAGE_TEMPLATE,
    REQUEST_ASSIGNED_TEMPLATE,
    STAFF_OVERDUE_TEMPLATE,
    SUPERVISOR_TEMPLATES,
    TASK_CANCELLED_TEMPLATE,
    TASK_TEMPLATE,
    THREAD_ASSIGNED_TEMPLATE,
)
from notifications.services import resend_deliveries

Kind = OutboxEvent.Kind
# The event behind each e-mail template, whose name the portal shows.
TEMPLATE_KINDS = {
    **{template: kind for kind, (template, _preference) in EMAIL_KINDS.items()},
    **{template: kind for kind, template in SUPERVISOR_TEMPLATES.items()},
    **{template: kind for kind, template in CONTACT_ADDRESS_TEMPLATES.items()},
    AUTO_CANCEL_TEMPLATE: Kind.REQUEST_STAGE_CHANGED,
    AUTO_CANCEL_CONTACT_TEMPLATE: Kind.REQUEST_STAGE_CHANGED,
    TASK_TEMPLATE: Kind.REQUEST_ASSIGNED,
    TASK_CANCELLED_TEMPLATE: Kind.REQUEST_STAGE_CHANGED,
    REQUEST_ASSIGNED_TEMPLATE: Kind.REQUEST_ASSIGNED,
    THREAD_ASSIGNED_TEMPLATE: Kind.MESSAGE_ASSIGNED,
    NEW_MESSAGE_TEMPLATE: Kind.MESSAGE_RECEIVED,
    STAFF_OVERDUE_TEMPLATE: Kind.REQUEST_STAFF_OVERDUE,
}


def kind_label(kind: str) -> str:
    """An event kind as the portal names it (a kind no longer known keeps its code)."""
    return str(Kind(kind).label) if kind in Kind.values else kind


# E-mails whose event does not name them (every account e-mail is one event kind): their own names.
TEMPLATE_LABELS = {
    AccountEmail.PASSWORD_RESET: gettext_lazy("Password reset link"),
    AccountEmail.ACTIVATION: gettext_lazy("Activation link"),
    AccountEmail.SECOND_FACTOR_RESET: gettext_lazy("Second factor reset by the lessor"),
    AccountEmail.SECOND_FACTOR_CHANGED: gettext_lazy("Second factor changed by the user"),
    AccountEmail.PASSWORD_CHANGED: gettext_lazy("Password changed"),
    AccountEmail.INVITATION: gettext_lazy("Invitation to a company"),
    "welcome": gettext_lazy("Welcome (the client's first invoice)"),
}


def template_label(template: str) -> str:
    """An e-mail template as the portal names it (a template no longer known keeps its code)."""
    if template in TEMPLATE_LABELS:
        return str(TEMPLATE_LABELS[template])
    kind = TEMPLATE_KINDS.get(template)
    return kind_label(kind) if kind else template


def named_filter(field: str, title, label: Callable[[str], str]) -> type[admin.SimpleListFilter]:
    """A list filter over the codes a column holds, offered by the names the portal shows."""

    class NamedFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin) -> list[tuple[str, str]]:
            codes = model_admin.model.objects.values_list(field, flat=True).distinct()
            return sorted(((code, label(code)) for code in set(codes)), key=lambda choice: choice[1])

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    NamedFilter.title = title
    return NamedFilter


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind_name", "subject_id", "created_at", "read_at"]
    list_filter = [named_filter("kind", gettext_lazy("kind"), kind_label)]
    search_fields = ["recipient__email"]
    raw_id_fields = ["recipient", "event", "client"]

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_name(self, obj: Notice) -> str:
        return kind_label(obj.kind)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Read-only: a delivery is made from an outbox event and moved only by sending (services.py). An
    operator may only send again what has not gone out ("Resend"); the row holds no e-mail body."""

    list_display = [
        "recipient",
        "address",
        "template_name",
        "status",
        "attempts",
        "next_retry_at",
        "short_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", named_filter("template", gettext_lazy("template"), template_label)]
    search_fields = ["recipient__email", "address"]
    list_select_related = ["recipient"]
    ordering = ["-created_at", "-id"]  # newest first: the model's own order is the sending queue's
    actions = ["resend"]

    def has_resend_permission(self, request) -> bool:
        # The model permission itself: has_change_permission above is off only to make the form read-only.
        return request.user.has_perm("notifications.change_delivery")

    @admin.display(description=gettext_lazy("template"), ordering="template")
    def template_name(self, obj: Delivery) -> str:
        return template_label(obj.template)

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
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    """Read-only, beside the deliveries it explains: written by the worker, read by /readyz and the
    dashboard's operations (notifications/operations.py)."""

    list_display = ["name", "seen_at", "hostname"]
