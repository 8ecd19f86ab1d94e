"""The admin's screens of login security: django-otp's devices without their secrets, django-axes'
lock-outs (deleting an attempt unlocks its account: audited), and the "locked after failed logins" filter
the users' list shares. Imported by accounts/admin.py, whose users' screen uses the filter."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.accounts import lockout
from backend.core.admin_read_only import ReadOnlyAdmin


class LockedFilter(admin.SimpleListFilter):
    """Locked after failed logins: `failures_field` reached django-axes' limit (users; the axes attempts)."""

    title = _("locked after failed logins")
    parameter_name = "locked"
    failures_field = "lock_failures"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        limit = settings.AXES_FAILURE_LIMIT
        if self.value() == "yes":
            return queryset.filter(**{f"{self.failures_field}__gte": limit})
        if self.value() == "no":
            return queryset.filter(**{f"{self.failures_field}__lt": limit})
        return queryset


# django-otp's own device screens show the TOTP key (and a QR code of it) and the recovery codes to any
# superuser: a key read there is a second factor copied. They are replaced by lists without secrets; a
# user re-enrols or switches off in Konto → Bezpieczeństwo.
class _SecretFreeDeviceAdmin(ReadOnlyAdmin):
    # django-otp labels its fields in plain English: the columns carry the portal's translated names.
    list_display = ["owner", "device_name", "is_confirmed", "created", "last_used"]
    list_filter = ["confirmed"]
    search_fields = ["user__email"]
    fields = list_display
    readonly_fields = list_display

    @admin.display(description=_("user"), ordering="user__email")
    def owner(self, device) -> str:
        return str(device.user)

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, device) -> str:
        return device.name

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device) -> bool:
        return device.confirmed

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at


def _replace_device_admins() -> None:
    from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401  (registers first)
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # django-otp names its models in plain English strings; the same words made translatable (equal to
    # the migrations' untranslated text, so no migration of django-otp's sees a change).
    names = {
        TOTPDevice: (_("TOTP device"), _("TOTP devices")),
        StaticDevice: (_("static device"), _("static devices")),
    }
    for model, (singular, plural) in names.items():
        model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, _SecretFreeDeviceAdmin)


_replace_device_admins()


# django-axes' screens: the lock-outs by hand. Deleting an attempt there unlocks its account, so it is
# audited like the users' action "Unlock"; axes' few English labels get the portal's translated ones.
class _LockedOutFilter(LockedFilter):
    parameter_name = "locked_out"
    failures_field = "failures_since_start"


class _BrowserColumn:
    @admin.display(description=_("browser"), ordering="user_agent")
    def browser(self, row) -> str:
        return row.user_agent


def _with_browser(names):
    return [("browser" if name == "user_agent" else name) for name in names]


def _with_browser_fieldsets(fieldsets):
    return [(title, {**options, "fields": _with_browser(options["fields"])}) for title, options in fieldsets]


class _AccessAttemptAdmin(_BrowserColumn, AccessAttemptAdmin):
    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "browser",
        "path_info",
        "failures_since_start",
        "state",
    ]
    list_filter = ["attempt_time", _LockedOutFilter]
    readonly_fields = _with_browser(AccessAttemptAdmin.readonly_fields)
    fieldsets = _with_browser_fieldsets(AccessAttemptAdmin.fieldsets)
    actions = ["remove_expired"]

    @admin.display(description=_("state"))
    def state(self, attempt: AccessAttempt) -> str:
        if attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT:
            return _("locked")
        return _("%(n)s attempts left") % {"n": settings.AXES_FAILURE_LIMIT - attempt.failures_since_start}

    @admin.action(description=_("Remove the expired attempts"))
    def remove_expired(self, request, queryset) -> None:
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, _("Expired attempts removed: %(count)s.") % {"count": count})

    def delete_model(self, request, obj: AccessAttempt) -> None:
        lockout.attempts_deleted([obj.username], by=request.user, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        lockout.attempts_deleted(
            list(queryset.values_list("username", flat=True)), by=request.user, request=request
        )
        super().delete_queryset(request, queryset)


class _AccessLogAdmin(_BrowserColumn, AccessLogAdmin):
    list_display = _with_browser(AccessLogAdmin.list_display)
    readonly_fields = _with_browser(AccessLogAdmin.readonly_fields)
    fieldsets = _with_browser_fieldsets(AccessLogAdmin.fieldsets)


class _AccessFailureLogAdmin(_BrowserColumn, AccessFailureLogAdmin):
    list_display = _with_browser(AccessFailureLogAdmin.list_display)
    readonly_fields = _with_browser(AccessFailureLogAdmin.readonly_fields)
    fieldsets = _with_browser_fieldsets(AccessFailureLogAdmin.fieldsets)


for _model, _model_admin in (
    (AccessAttempt, _AccessAttemptAdmin),
    (AccessLog, _AccessLogAdmin),
    (AccessFailureLog, _AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)
