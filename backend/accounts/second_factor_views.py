"""Pages of two-factor login: the code step after the password, enrolment, and Account → Bezpieczeństwo."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from backend.accounts import second_factor as sf
from backend.accounts import session_store
from backend.accounts.audit import AuditAction
from backend.accounts.auth_backend import PASSWORD_BACKEND
from backend.accounts.lockout import lockout_response
from backend.accounts.models import User
from backend.core.next_url import safe_next_url
from backend.core.services import record_audit

# When this session last proved the current second factor to replace the app (seconds since the epoch).
REPLACE_CONFIRMED_SESSION_KEY = "portal_second_factor_replace_confirmed_at"
REPLACE_CONFIRMATION_SECONDS = 10 * 60


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=32)
    remember = forms.BooleanField(label=gettext_lazy("Remember this device for 30 days"), required=False)


class EnrolForm(forms.Form):
    """The new app's first code; a first enrolment also asks for the account's password (`ask_password`):
    the session alone never changes the second factor, and a first app has no current code to ask for."""

    password = forms.CharField(label=gettext_lazy("Your password"), strip=False, widget=forms.PasswordInput)
    code = forms.CharField(label=gettext_lazy("Code"), max_length=32)

    def __init__(self, *args, ask_password: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not ask_password:
            del self.fields["password"]


class CurrentCodeForm(forms.Form):
    """The code that proves the second factor again before a change to it (new recovery codes, another
    phone, switching it off)."""

    code = forms.CharField(label=gettext_lazy("Code from your app or a recovery code"), max_length=32)


def current_code_proven(request: HttpRequest, form: CurrentCodeForm, *, purpose: str) -> bool:
    """Whether the posted current code (the app's, or an unused recovery code, which it uses up) is right.

    The session alone is never enough to change the second factor: a taken-over session must not turn
    into codes, a new app or no second step at all. A wrong code is marked on the form and counts toward
    the account's lock-out, as at login (check `sf.is_locked_out` first)."""
    if not form.is_valid():
        return False
    if sf.check_code(request.user, form.cleaned_data["code"]) is not None:
        return True
    sf.report_wrong_code(request, request.user, purpose=purpose)
    form.add_error("code", _("The code is not valid. Check your app and try again."))
    return False


class SecondFactorLoginMixin:
    """For LoginView: after a right password, a user with a second factor is not logged in yet.

    The user waits in the session (5 minutes) for the code step; a remembered device logs in at once.
    Logging in only after the code keeps axes' reset-on-success from wiping the count of wrong codes.
    """

    def form_valid(self, form):
        request = self.request
        user = form.get_user()
        if not sf.has_second_factor(user):
            return super().form_valid(form)  # the gate sends users who must enrol to enrolment
        backend = getattr(user, "backend", PASSWORD_BACKEND)
        # Where the view would send this user once logged in (staff: their workspace), chosen now.
        anonymous, request.user = request.user, user
        next_url = _safe_next(request, self.get_success_url())  # `?next=name` is no pattern to reverse
        request.user = anonymous
        if sf.is_remembered_device(request, user):
            request.portal_login_method = "password+remembered_device"
            login(request, user, backend=backend)
            sf.mark_verified(request, "remembered_device")
            return redirect(next_url)
        request.session[sf.PENDING_SESSION_KEY] = {
            "user_id": user.pk,
            "backend": backend,
            "at": timezone.now().timestamp(),
            "next": next_url,
        }
        return redirect("second_factor_verify")


def _pending_user(request: HttpRequest) -> tuple[User | None, dict]:
    """The user who owes the code: waiting after the password, or logged in without a verified session."""
    pending = request.session.get(sf.PENDING_SESSION_KEY) or {}
    if pending:
        age = timezone.now().timestamp() - float(pending.get("at", 0))
        if age <= sf.PENDING_MAX_AGE.total_seconds():
            return User.objects.filter(pk=pending.get("user_id"), is_active=True).first(), pending
        request.session.pop(sf.PENDING_SESSION_KEY, None)
    if request.user.is_authenticated and not sf.is_verified(request):
        return request.user, {}
    return None, {}


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    return safe_next_url(request, candidate, reverse("home"))


def verify(request: HttpRequest) -> HttpResponse:
    """ "Kod z aplikacji": a TOTP or recovery code; wrong codes count toward the account lock-out."""
    user, pending = _pending_user(request)
    if user is None:
        return redirect("login")
    if not sf.has_second_factor(user):
        return redirect("second_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if sf.is_locked_out(request, user):
            request.session.pop(sf.PENDING_SESSION_KEY, None)
            return lockout_response(request, credentials={"username": user.email})
        method = sf.check_code(user, form.cleaned_data["code"])
        if method is None:
            sf.report_wrong_code(request, user, purpose="login")
            if getattr(request, "axes_locked_out", False):
                request.session.pop(sf.PENDING_SESSION_KEY, None)  # axes renders the lock-out page
            form.add_error("code", _("The code is not valid. Check your app and try again."))
        else:
            next_url = _safe_next(request, pending.get("next") or request.GET.get("next"))
            if pending:
                request.portal_login_method = f"password+{method}"
                login(
                    request, user, backend=pending.get("backend") or request.session.get(BACKEND_SESSION_KEY)
                )
            else:
                request.session.cycle_key()  # more rights from now on: a new session key, as at login
            sf.mark_verified(request, method)
            record_audit(action=AuditAction.SECOND_FACTOR_OK, request=request, user=user, method=method)
            response = redirect(next_url)
            if form.cleaned_data["remember"]:
                sf.remember_device(response, user)
            if method == "recovery_code":
                left = sf.recovery_codes_left(user)
                messages.warning(
                    request, _("Recovery code used. Recovery codes left: %(left)d.") % {"left": left}
                )
            return response
    return render(request, "portal_ui/accounts/second_factor_verify.html", {"form": form})


def _qr_data_uri(url: str) -> str:
    # An <img> with an SVG data URI: no script, no inline style in the page (strict CSP allows data: images).
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _manual_key(device) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and key, confirmed by a first code; then the recovery codes."""
    user = request.user
    replacing = sf.has_second_factor(user)
    # Replacing an app needs the current one: a verified session, and its code (or a recovery code) again.
    if replacing and not sf.is_verified(request):
        return redirect("second_factor_verify")
    if replacing and not _replacement_confirmed(request):
        return _confirm_current_code(request)
    # A first app: the account's password too (a user without one, e.g. the bank's hand-off only, has
    # nothing to type and enrols as before).
    ask_password = not replacing and user.has_usable_password()
    form = EnrolForm(request.POST or None, ask_password=ask_password)
    device = sf.pending_enrolment(user) if request.method == "POST" else None
    if request.method == "POST" and ask_password and sf.is_locked_out(request, user):
        return lockout_response(request, credentials={"username": user.email})
    if request.method == "POST" and form.is_valid() and device is not None:
        if ask_password and not user.check_password(form.cleaned_data["password"]):
            sf.report_wrong_password(request, user)  # counts toward the account's lock-out
            form.add_error("password", _("The password is not correct."))
            codes = None
        else:
            codes = sf.confirm_enrolment(request, user, form.cleaned_data["code"])
        if codes is not None:
            sf.mark_verified(request, "enrolled")
            request.session.pop(REPLACE_CONFIRMED_SESSION_KEY, None)
            sf.keep_fresh_codes(request.session, codes)
            next_url = _safe_next(request, request.GET.get("next"))
            return render(
                request, "portal_ui/accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
        if not form.has_error("password"):
            form.add_error("code", _("The code is not valid. Check the time on your phone and try again."))
    if device is None:
        device = sf.start_enrolment(user)
    context = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "manual_key": _manual_key(device),
        "required": sf.requires_second_factor(user),
        "replacing": replacing,
        "ask_password": ask_password,
        "next": _safe_next(request, request.GET.get("next")),
    }
    return render(request, "portal_ui/accounts/second_factor_setup.html", context)


def _replacement_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(REPLACE_CONFIRMED_SESSION_KEY)
    return (
        confirmed_at is not None and timezone.now().timestamp() - confirmed_at < REPLACE_CONFIRMATION_SECONDS
    )


def _confirm_current_code(request: HttpRequest) -> HttpResponse:
    """ "Move to another phone", step one: the current app's code or a recovery code (the old phone lost);
    then, for ten minutes, the new app's QR code."""
    form = CurrentCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if sf.is_locked_out(request, request.user):
            return lockout_response(request, credentials={"username": request.user.email})
        if current_code_proven(request, form, purpose="replace_app"):
            request.session[REPLACE_CONFIRMED_SESSION_KEY] = timezone.now().timestamp()
            return redirect(request.get_full_path())
    status = 400 if form.errors else 200
    context = {"code_form": form, "next": _safe_next(request, request.GET.get("next"))}
    return render(request, "portal_ui/accounts/second_factor_confirm_current.html", context, status=status)


@login_required
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    """The recovery codes just shown, as a text file: only from their page, for FRESH_CODES_MAX_AGE."""
    codes = sf.fresh_codes(request.session)
    if not codes:
        return redirect("account-security")
    body = _("Client Portal recovery codes for %(email)s (each works once):") % {"email": request.user.email}
    response = HttpResponse(body + "\n\n" + "\n".join(codes) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="portal-recovery-codes.txt"'
    return response


def _security_page(
    request: HttpRequest,
    *,
    code_form: CurrentCodeForm | None = None,
    disable_form: CurrentCodeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "enrolled": sf.has_second_factor(user),
        "required": sf.requires_second_factor(user),
        "codes_left": sf.recovery_codes_left(user),
        "method": request.session.get(sf.VERIFIED_SESSION_KEY, ""),
        "code_form": code_form or CurrentCodeForm(),
        # Its own prefix: the page has two code fields (new recovery codes, switching off).
        "disable_form": disable_form or CurrentCodeForm(prefix="off"),
    }
    return render(request, "portal_ui/accounts/security.html", context, status=status)


@login_required
def security_page(request: HttpRequest) -> HttpResponse:
    """Konto → Bezpieczeństwo: enrolment state, recovery codes, remembered devices, switching off."""
    request.session.pop(sf.FRESH_CODES_SESSION_KEY, None)
    return _security_page(request)


@require_POST
@login_required
def regenerate_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes for the current app's code (or an unused recovery code), not for the session
    alone: a session taken over must not turn into codes that log in anywhere. Wrong codes count toward
    the account's lock-out, as at login."""
    user = request.user
    if not sf.has_second_factor(user):
        return redirect("account-security")
    if sf.is_locked_out(request, user):
        return lockout_response(request, credentials={"username": user.email})
    form = CurrentCodeForm(request.POST)
    if not current_code_proven(request, form, purpose="recovery_codes"):
        return _security_page(request, code_form=form, status=400)
    codes = sf.renew_recovery_codes(request, user)
    sf.keep_fresh_codes(request.session, codes)
    return render(
        request,
        "portal_ui/accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("account-security")},
    )


@require_POST
@login_required
def forget_devices(request: HttpRequest) -> HttpResponse:
    sf.rotate_remember_secret(request.user)
    record_audit(action=AuditAction.REMEMBERED_DEVICES_FORGOTTEN, request=request, user=request.user)
    messages.success(request, _("Remembered devices have been forgotten: each will ask for a code again."))
    response = redirect("account-security")
    response.delete_cookie(sf.REMEMBER_COOKIE)
    return response


@require_POST
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    """Switch the second step off where it is optional: with the current code, as any change to it."""
    if sf.requires_second_factor(request.user):
        messages.error(request, _("Two-step login is required for your account and cannot be switched off."))
        return redirect("account-security")
    if not sf.has_second_factor(request.user):
        return redirect("account-security")
    if sf.is_locked_out(request, request.user):
        return lockout_response(request, credentials={"username": request.user.email})
    form = CurrentCodeForm(request.POST, prefix="off")
    if not current_code_proven(request, form, purpose="disable"):
        return _security_page(request, disable_form=form, status=400)
    sf.disable_second_factor(request, request.user)
    messages.success(request, _("Two-step login has been switched off."))
    response = redirect("account-security")
    response.delete_cookie(sf.REMEMBER_COOKIE)
    return response


@require_POST
@login_required
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    """ "Log out of all other devices": every other session of the user ends; this one stays."""
    ended = session_store.end_other_sessions(request)
    if ended:
        message = ngettext(
            "%(count)d other session has been logged out.",
            "%(count)d other sessions have been logged out.",
            ended,
        ) % {"count": ended}
    else:
        message = _("No other session was open.")
    messages.success(request, message)
    return redirect("account-security")
