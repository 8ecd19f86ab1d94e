from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from backend.accounts.activation_code import start_activation
from backend.accounts.models import ActivationCode, SecondFactorSecret, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["send_activation"]
    # The clients app adds the memberships inline (clients.admin): accounts does not know about clients.
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal", {"fields": ["first_name", "last_name", "phone", "language"]}),
        (
            "Access",
            {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]

    @admin.action(description=_("Send the activation link and show a one-time activation code"))
    def send_activation(self, request, queryset):
        """Two channels: the link goes by e-mail, the codes are shown here once for handing over."""
        issued = [
            (user, start_activation(user, issued_by=request.user, request=request)) for user in queryset
        ]
        context = {**self.admin_site.each_context(request), "issued": issued, "opts": self.model._meta}
        return TemplateResponse(request, "admin/accounts/activation_codes.html", context)


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    """Who was given a code and its state; the code itself is never stored in clear."""

    list_display = ["user", "issued_by", "issued_at", "failed_attempts", "used_at"]
    search_fields = ["user__email"]
    fields = ["user", "issued_by", "issued_at", "failed_attempts", "used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # issued by the users' action "Send the activation link…" (shown once there)


@admin.register(SecondFactorSecret)
class SecondFactorSecretAdmin(admin.ModelAdmin):
    """When each user's remembered devices were last voided; the secret is never shown."""

    list_display = ["user", "rotated_at"]
    search_fields = ["user__email"]
    fields = ["user", "rotated_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False


# django-otp's own device screens show the TOTP key (and a QR code of it) and the recovery codes to any
# superuser: a key read there is a second factor copied. They are replaced by lists without secrets; a
# user re-enrols or switches off in Konto → Bezpieczeństwo.
_OTP_DEVICE_FIELDS = ["user", "name", "confirmed", "created_at", "last_used_at"]


class _SecretFreeDeviceAdmin(admin.ModelAdmin):
    list_display = _OTP_DEVICE_FIELDS
    list_filter = ["confirmed"]
    search_fields = ["user__email"]
    fields = _OTP_DEVICE_FIELDS
    readonly_fields = _OTP_DEVICE_FIELDS

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _replace_device_admins() -> None:
    from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401  (registers first)
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, _SecretFreeDeviceAdmin)


_replace_device_admins()
