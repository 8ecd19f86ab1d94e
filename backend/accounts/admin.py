from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from backend.accounts.activation_code import start_activation
from backend.accounts.models import ActivationCode, SecondFactorSecret, User
from backend.accounts.second_factor_reset import reset_second_factor, validate_reset
from backend.core.exceptions import PortalValidationError


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["send_activation", "reset_second_factors"]
    # The clients app adds the memberships inline (clients.admin): accounts does not know about clients.
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal data"), {"fields": ["first_name", "last_name", "phone", "language"]}),
        (
            _("Access"),
            {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
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

    @admin.action(description=_("Reset the second factor (lost authenticator app)"))
    def reset_second_factors(self, request, queryset):
        """Staff included (the staff page resets client users only): a confirmation page asks why and for
        the identity check, as the staff page does; each reset is audited and e-mailed to its user."""
        errors: dict[str, list[str]] = {}
        if request.POST.get("confirm") == "yes":
            try:
                reason = validate_reset(
                    reason=request.POST.get("reason", ""),
                    identity_checked=request.POST.get("identity_checked") == "on",
                )
            except PortalValidationError as error:
                errors = error.fields
            else:
                reset, skipped = [], []
                for user in queryset.order_by("email"):
                    try:
                        reset_second_factor(
                            user=user,
                            reset_by=request.user,
                            reason=reason,
                            identity_checked=True,
                            request=request,
                        )
                    except PortalValidationError:
                        skipped.append(user.email)
                    else:
                        reset.append(user.email)
                if reset:
                    self.message_user(
                        request, _("Second factor reset: %s") % ", ".join(reset), messages.SUCCESS
                    )
                if skipped:
                    self.message_user(
                        request, _("No second factor to reset: %s") % ", ".join(skipped), messages.WARNING
                    )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "users": queryset.order_by("email"),
            "errors": errors,
            "reason": request.POST.get("reason", ""),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/second_factor_reset.html", context)


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
