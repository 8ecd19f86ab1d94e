"""Pages that set a password from a one-time link (activation, reset) and ask for a new link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.accounts.activation import activation_token_generator
from backend.accounts.activation_code import activation_withdrawn, check_activation_code
from backend.accounts.audit import AuditAction
from backend.accounts.auth_backend import PASSWORD_BACKEND, login_username
from backend.accounts.password_change import tell_user_of_password_change
from backend.accounts.password_reset import request_password_reset
from backend.core.services import record_audit


class _SetPasswordFromLinkView(auth_views.PasswordResetConfirmView):
    """Set the password from a one-time link; a used or expired link renders a clear page instead."""

    template_name = "portal_ui/accounts/set_password.html"
    success_url = reverse_lazy("home")
    post_reset_login = True
    post_reset_login_backend = PASSWORD_BACKEND
    audit_action = AuditAction.PASSWORD_RESET
    mode = "reset"
    token_generator = default_token_generator

    def get_user(self, uidb64):
        # A reset link never sets a first password (an earlier link of a not yet activated account
        # included): that takes the activation link and its code.
        user = super().get_user(uidb64)
        if self.mode == "reset" and user is not None and not user.has_usable_password():
            return None
        return user

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
        # The lock-out page offers the reset as the way out: a new password ends the lock.
        from axes.utils import reset as reset_lockout

        reset_lockout(username=login_username(None, {"username": user.email}))
        messages.success(self.request, self.success_message())
        return response

    def success_message(self) -> str:
        return _("Your password has been set. Welcome to the Client Portal.")


class ActivationForm(SetPasswordForm):
    """The first password plus the one-time code handed over by a person (the second channel)."""

    activation_code = forms.CharField(label=gettext_lazy("Activation code"), max_length=32)

    def __init__(self, user, *args, request=None, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        # Checked last: a code is used up only together with an acceptable password.
        if not self.errors:
            reason = check_activation_code(
                self.user, cleaned.get("activation_code", ""), request=self.request
            )
            if reason is not None:
                self.add_error("activation_code", ACTIVATION_CODE_ERRORS[reason]())
        return cleaned


ACTIVATION_CODE_ERRORS = {
    "wrong": lambda: _("The activation code is not valid. Check it and try again."),
    "void": lambda: _(
        "This activation code can no longer be used (too many attempts). Ask your administrator "
        "or our customer service for a new code."
    ),
    "missing": lambda: _(
        "No activation code has been issued for this account yet. Ask your administrator or our "
        "customer service for one."
    ),
}


class ActivateAccountView(_SetPasswordFromLinkView):
    """The activation link (7 days) plus the handed-over code: sets the first password and logs in.

    Activating logs in as the new user, so a browser logged in as someone else (a colleague who opened
    the link meant for the new user) is asked first, as at the bank's hand-off: log out and continue, or
    stay logged in. Nothing about the link's account is shown unless the link is valid.
    """

    audit_action = AuditAction.ACTIVATION
    mode = "activation"
    token_generator = activation_token_generator
    form_class = ActivationForm

    def dispatch(self, *args, **kwargs):
        request = self.request
        link_user = self.get_user(kwargs["uidb64"])
        if link_user is not None and self._valid(link_user, kwargs):
            # The company took the invitation back (removed or suspended the member): nothing is activated.
            withdrawn = activation_withdrawn(link_user)
            if withdrawn:
                record_audit(
                    action=AuditAction.ACTIVATION_LINK_INVALID,
                    request=request,
                    user=link_user,
                    success=False,
                    mode=self.mode,
                    reason="withdrawn",
                )
                context = {"message": withdrawn}
                return render(request, "portal_ui/accounts/activation_withdrawn.html", context, status=410)
        other_user = (
            request.user.is_authenticated and link_user is not None and link_user.pk != request.user.pk
        )
        if other_user and self._valid(link_user, kwargs):
            if request.method == "POST" and request.POST.get("action") == "continue":
                return self._log_out_and_continue(request)
            context = {"current_user": request.user, "link_user": link_user}
            return render(request, "portal_ui/accounts/activation_other_user.html", context)
        return super().dispatch(*args, **kwargs)

    def _valid(self, user, kwargs) -> bool:
        token = kwargs.get("token", "")
        if token == self.reset_url_token:  # the link's token waits in the session (Django's second step)
            token = self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN, "")
        return self.token_generator.check_token(user, token)

    def _log_out_and_continue(self, request: HttpRequest) -> HttpResponse:
        # Logging out empties the session: the link's token, once moved there, is carried over.
        token = request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN)
        logout(request)
        if token:
            request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN] = token
        return redirect(request.path)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class ResetPasswordConfirmView(_SetPasswordFromLinkView):
    """The reset link (1 hour): sets the password, then the user logs in with it like any other login.

    No automatic login: the session is made by the login form, so the lock-out and the login audit
    apply, and whoever holds a leaked link gets no session from it.
    """

    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        with transaction.atomic():  # the new password and its security e-mail, together
            response = super().form_valid(form)
            tell_user_of_password_change(form.user)
        return response

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
