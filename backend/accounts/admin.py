"""The admin's screens of accounts: users (roles, admin access only by a superuser, lock/unlock, activation
link, second-factor reset, all audited), activation codes and remembered-device secrets without the secrets.
Login security's screens (devices, lock-outs): admin_security.py."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backend.accounts import lockout
from backend.accounts.activation_code import start_activation
from backend.accounts.admin_security import LockedFilter
from backend.accounts.audit import AuditAction
from backend.accounts.models import ActivationCode, SecondFactorSecret, User
from backend.accounts.second_factor_reset import reset_second_factor, validate_reset
from backend.core.exceptions import PortalValidationError
from backend.core.services import record_audit

# What the audit log records of a user's access when the admin creates or changes the user.
ACCESS_FIELDS = ("role", "is_active", "is_staff", "is_superuser")
# What only a superuser may set: a user with admin site access and the "change user" permission could
# otherwise make anyone (themselves included) an administrator.
SUPERUSER_ONLY_FIELDS = ["role", "is_staff", "groups", "user_permissions"]


def _access(user: User) -> dict:
    return {
        **{name: getattr(user, name) for name in ACCESS_FIELDS},
        "groups": sorted(user.groups.values_list("name", flat=True)) if user.pk else [],
    }


def _other_active_admins(user: User) -> bool:
    """Is there an active administrator besides `user`? Their rows are locked until the admin's transaction
    ends: two administrators demoting each other at once cannot both pass."""
    admins = User.objects.select_for_update().filter(role=User.Role.ADMIN, is_active=True).exclude(pk=user.pk)
    return bool(list(admins.values_list("pk", flat=True)[:1]))


def admin_access_refusal(user: User, *, actor: User) -> str | None:
    """Why `actor` may not take `user` out of the active administrators (demote, deactivate, delete):
    never themselves, never the last one; None when allowed."""
    if user.pk == actor.pk:
        return _("You cannot remove your own administrator role or account, or deactivate yourself.")
    if not _other_active_admins(user):
        return _("The portal must keep at least one active administrator.")
    return None


def _check_role_access(form: forms.ModelForm, role: str | None, is_staff: bool | None) -> None:
    if role == User.Role.CLIENT and is_staff:
        form.add_error("is_staff", _("A client user cannot have admin site access."))


class UserAddForm(forms.ModelForm):
    """A new user without a password: the user sets it through the activation link and the one-time code
    (backend/accounts/activation_code.py), never by a password the administrator typed and passed on."""

    send_activation = forms.BooleanField(
        label=_("Send the activation link now"),
        required=False,
        initial=True,
        help_text=_(
            "The link goes by e-mail; the one-time activation code is shown after saving, to hand over by "
            "another channel. Without it, send them later with the users' action “Send the activation "
            "link and show a one-time activation code”."
        ),
    )

    class Meta:
        model = User
        fields = ["email", "role", "first_name", "last_name", "language", "is_staff"]
        help_texts = {
            "is_staff": _(
                "Staff and analysts only, with the permissions of their groups; administrators always "
                "have it, client users never."
            ),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with this e-mail already exists."))
        return email

    # Set by UserAdmin.get_form: only a superuser may create an administrator or give admin site access.
    by_superuser = False

    def clean(self) -> dict:
        data = super().clean()
        _check_role_access(self, data.get("role"), data.get("is_staff"))
        if not self.by_superuser and (data.get("role") == User.Role.ADMIN or data.get("is_staff")):
            self.add_error(None, _("Only a superuser can add an administrator or give admin site access."))
        return data

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        user.derive_admin_access()
        if commit:
            user.save()
        return user


class UserAccessForm(UserChangeForm):
    """The user's page: a client user cannot be given admin site access (role and ticks agree); nobody
    deactivates themselves or takes away their own administrator role, and one active administrator
    stays; deactivating someone asks why (kept in the audit entry)."""

    deactivation_reason = forms.CharField(
        label=_("Reason for deactivating"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when “Active” is unticked; kept in the audit log."),
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    acting_user: User | None = None  # set by UserAdmin.get_form

    def clean(self) -> dict:
        data = super().clean()
        user = self.instance
        role, is_active = data.get("role", user.role), data.get("is_active", user.is_active)
        _check_role_access(self, role, data.get("is_staff", user.is_staff))
        # The rows as stored: the form has already copied the posted values onto the instance.
        stored = User.objects.filter(pk=user.pk).values("role", "is_active").first() or {}
        was_admin = stored.get("role") == User.Role.ADMIN and stored.get("is_active")
        if was_admin and (role != User.Role.ADMIN or not is_active) and self.acting_user is not None:
            refusal = admin_access_refusal(user, actor=self.acting_user)
            if refusal:
                self.add_error("role" if role != User.Role.ADMIN else "is_active", refusal)
        elif stored.get("is_active") and not is_active and user.pk == getattr(self.acting_user, "pk", None):
            self.add_error("is_active", _("You cannot deactivate yourself."))
        if stored.get("is_active") and not is_active and not data.get("deactivation_reason", "").strip():
            self.add_error("deactivation_reason", _("Say why the account is deactivated."))
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    # One name column, cells that wrap (core/admin_lists.css): the list fits 1280 px with its filter.
    list_display = ["email", "full_name", "role", "is_active", "locked", "last_login"]
    list_filter = ["role", "is_active", LockedFilter, "is_staff", "groups"]
    search_fields = ["email", "name_key__folded"]
    actions = ["send_activation", "unlock", "reset_second_factors"]
    form = UserAccessForm
    add_form = UserAddForm
    # The clients app adds the memberships inline (clients.admin): accounts does not know about clients.
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal data"), {"fields": ["first_name", "last_name", "phone", "language"]}),
        (
            _("Access"),
            {
                "fields": [
                    "role",
                    "is_active",
                    "deactivation_reason",
                    "lock_state",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "role",
                    "first_name",
                    "last_name",
                    "language",
                    "is_staff",
                    "send_activation",
                ],
            },
        )
    ]

    def get_queryset(self, request):
        return lockout.with_failures(super().get_queryset(request))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.by_superuser = request.user.is_superuser
        else:
            form.acting_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Superuser follows the role (User.derive_admin_access); the lock is axes' (unlock: the action).
        fields = ["lock_state", "is_superuser", "last_login", "date_joined"]
        if obj is not None and not request.user.is_superuser:
            fields += SUPERUSER_ONLY_FIELDS
        return fields

    class Media:
        css = {"all": ["core/admin_lists.css"]}

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description=_("locked"), boolean=True)
    def locked(self, user: User) -> bool:
        return getattr(user, "lock_failures", 0) >= settings.AXES_FAILURE_LIMIT

    @admin.display(description=_("login lock-out"))
    def lock_state(self, user: User) -> str:
        count = lockout.failures(user) if user.pk else 0
        if count >= settings.AXES_FAILURE_LIMIT:
            return _(
                "Locked: %(count)s failed logins in the last %(minutes)s minutes. Unlock with the users' "
                "action “Unlock the account”."
            ) % {"count": count, "minutes": lockout.cool_off_minutes()}
        if count:
            return _("Not locked (%(count)s failed logins in the last %(minutes)s minutes).") % {
                "count": count,
                "minutes": lockout.cool_off_minutes(),
            }
        return _("Not locked")

    def save_model(self, request, obj: User, form, change: bool) -> None:
        # The access before the change, for the audit row written once the groups are saved too.
        obj._access_before = _access(User.objects.get(pk=obj.pk)) if change else None
        if request.user.is_superuser:
            obj.derive_admin_access()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        before, after = getattr(user, "_access_before", None), _access(user)
        if before is None:
            record_audit(
                action=AuditAction.USER_CREATED,
                request=request,
                user=request.user,
                username=user.email,
                after=after,
            )
        elif before != after:
            changed = sorted(name for name in after if before.get(name) != after[name])
            reason = form.cleaned_data.get("deactivation_reason", "").strip()
            record_audit(
                action=AuditAction.USER_ACCESS_CHANGED,
                request=request,
                user=request.user,
                username=user.email,
                before={name: before.get(name) for name in changed},
                after={name: after[name] for name in changed},
                **({"reason": reason} if before["is_active"] and not after["is_active"] else {}),
            )

    def response_add(self, request, obj: User, post_url_continue=None):
        """With "Send the activation link now" ticked, the page that follows shows the one-time code (only
        there: never in a message, which a cookie may carry). A user added from another form's pop-up
        gets the link later, with the users' action."""
        if request.POST.get("send_activation") and IS_POPUP_VAR not in request.POST:
            return self._activation_codes(request, [obj])
        return super().response_add(request, obj, post_url_continue)

    def _activation_codes(self, request, users) -> TemplateResponse:
        issued = [(user, start_activation(user, issued_by=request.user, request=request)) for user in users]
        context = {**self.admin_site.each_context(request), "issued": issued, "opts": self.model._meta}
        return TemplateResponse(request, "admin/accounts/activation_codes.html", context)

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, object_id)
        refusal = self._deletion_refusal(request, [user]) if user is not None else None
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect(reverse("admin:accounts_user_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request) -> dict:
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions["delete_selected"] = (UserAdmin._delete_selected, name, description)
        return actions

    def _delete_selected(self, request, queryset):
        """Django's bulk delete, refused when the selection holds the caller or every active administrator."""
        refusal = self._deletion_refusal(request, list(queryset))
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return None
        return delete_selected(self, request, queryset)

    def _deletion_refusal(self, request, users: list[User]) -> str | None:
        if any(user.pk == request.user.pk for user in users):
            return _("You cannot delete your own account.")
        admins = [user for user in users if user.role == User.Role.ADMIN and user.is_active]
        remaining = User.objects.filter(role=User.Role.ADMIN, is_active=True).exclude(
            pk__in=[user.pk for user in admins]
        )
        if admins and not remaining.exists():
            return _("The portal must keep at least one active administrator.")
        return None

    def delete_model(self, request, obj: User) -> None:
        self._record_deleted(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        self._record_deleted(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record_deleted(self, request, users: list[User]) -> None:
        for user in users:
            record_audit(
                action=AuditAction.USER_DELETED,
                request=request,
                user=request.user,
                username=user.email,
                before=_access(user),
            )

    @admin.action(description=_("Unlock the account"))
    def unlock(self, request, queryset) -> None:
        unlocked, not_locked = [], []
        for user in queryset.order_by("email"):
            (unlocked if lockout.unlock(user, by=request.user, request=request) else not_locked).append(
                user.email
            )
        if unlocked:
            self.message_user(request, _("Unlocked: %s") % ", ".join(unlocked), messages.SUCCESS)
        if not_locked:
            self.message_user(request, _("Not locked: %s") % ", ".join(not_locked), messages.WARNING)

    @admin.action(description=_("Send the activation link and show a one-time activation code"))
    def send_activation(self, request, queryset):
        """Two channels: the link goes by e-mail, the codes are shown here once for handing over. An
        activated account is skipped (its password is reset from the login page), as on the staff page."""
        users = list(queryset.order_by("email"))
        activated = [user.email for user in users if user.has_usable_password()]
        if activated:
            self.message_user(
                request,
                _("Already activated, no link sent: %s") % ", ".join(activated),
                messages.WARNING,
            )
        pending = [user for user in users if not user.has_usable_password()]
        return self._activation_codes(request, pending) if pending else None

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
