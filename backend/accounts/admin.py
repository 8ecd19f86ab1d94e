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
    list_filter = ["role", "is_active", "is_staff"]
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
        issued = [(user, start_activation(user, issued_by=request.user, request=request)) for user in queryset]
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
