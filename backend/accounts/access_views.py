"""Pages that set a password from a one-time link (activation, reset) and ask for a new link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.accounts.activation import activation_token_generator, request_password_reset
from backend.accounts.audit import AuditAction
from backend.core.services import record_audit


class _SetPasswordFromLinkView(auth_views.PasswordResetConfirmView):
    """Set the password from a one-time link; a used or expired link renders a clear page instead."""

    template_name = "portal_ui/accounts/set_password.html"
    success_url = reverse_lazy("home")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    audit_action = AuditAction.PASSWORD_RESET
    mode = "reset"
    token_generator = default_token_generator

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            record_audit(
                action=AuditAction.ACTIVATION_LINK_INVALID,
                request=self.request,
                user=self.user,
                success=False,
                mode=self.mode,
            )
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "mode": self.mode}

    def form_valid(self, form):
        user = form.user
        self.request.portal_login_method = self.mode
        response = super().form_valid(form)
        record_audit(action=self.audit_action, request=self.request, user=user)
        messages.success(self.request, self.success_message())
        return response

    def success_message(self) -> str:
        return _("Your password has been set. Welcome to the Client Portal.")


class ActivateAccountView(_SetPasswordFromLinkView):
    """The welcome e-mail's link (7 days): sets the first password and logs the new user in."""

    audit_action = AuditAction.ACTIVATION
    mode = "activation"
    token_generator = activation_token_generator


class ResetPasswordConfirmView(_SetPasswordFromLinkView):
    """The reset link (1 hour): sets the password, then the user logs in with it like any other login.

    No automatic login: the session is made by the login form, so the lock-out and the login audit
    apply, and whoever holds a leaked link gets no session from it.
    """

    success_url = reverse_lazy("login")
    post_reset_login = False

    def success_message(self) -> str:
        return _("Your password has been changed. Log in with your new password.")


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)


def forgot_password(request: HttpRequest) -> HttpResponse:
    """Ask for a link that sets a new password (also replaces a used or expired activation link)."""
    form = ForgotPasswordForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        request_password_reset(email=form.cleaned_data["email"], request=request)
        return redirect("password_reset_sent")
    return render(request, "portal_ui/accounts/forgot_password.html", {"form": form})


def forgot_password_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal_ui/accounts/forgot_password_sent.html")
