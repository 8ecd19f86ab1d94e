import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.accounts.password_change import tell_user_of_password_change
from backend.accounts.second_factor_views import SecondFactorLoginMixin
from backend.clients import access_rules
from backend.clients.active import set_active_client
from backend.core.exceptions import RETRY_AFTER_SECONDS
from backend.core.health import readiness
from backend.core.middleware import refresh_session
from backend.core.net import parse_ip
from backend.core.next_url import redirect_to_next
from backend.core.session_end import LOGGED_OUT_KEY, SESSION_END_PARAM, SessionEnd
from backend.invoices.selectors import get_home_summary
from backend.sso.return_link import came_from_bank, remember_bank_logout, take_bank_return_url
from portal_ui.access import client_required
from portal_ui.staff_dashboard_views import staff_home  # noqa: F401  the role dashboard at /staff/
from portal_ui.templatetags.portal_format import currency_tags


class PortalAuthenticationForm(AuthenticationForm):
    # Django's words say that both fields may be case-sensitive; the e-mail is not (auth_backend.py).
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Enter a correct e-mail address and password. Letter case matters in the password only."
        ),
    }


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's form in the portal's words: its labels end in a colon ("Stare hasło:"), its help texts
    are the validators' list and its error asks to "enter it once more", unlike every other portal form."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": gettext_lazy("The current password is not correct. Type it again."),
        "password_mismatch": gettext_lazy("The new password and its repetition are not the same."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        words = {
            "old_password": (gettext_lazy("Current password"), ""),
            "new_password1": (
                gettext_lazy("New password"),
                gettext_lazy("Choose a password of at least 10 characters that is not easy to guess."),
            ),
            "new_password2": (gettext_lazy("Repeat the new password"), ""),
        }
        for name, (label, help_text) in words.items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text


class PortalLoginView(SecondFactorLoginMixin, auth_views.LoginView):
    template_name = "portal_ui/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        # The "log in to continue" note only when the redirect here knew the browser's session ended, and
        # why (core.middleware, session_timeout.js: `ended`): a visitor who never had a session (a
        # bookmarked page opened fresh) is not told of one, nor is the tab that logged out itself.
        raw = self.request.GET.get(SESSION_END_PARAM, "")
        return super().get_context_data(**kwargs) | {
            "session_end": raw if raw in {end.value for end in SessionEnd} else "",
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "absolute_hours": max(1, round(settings.SESSION_ABSOLUTE_AGE / 3600)),
            # Just after a logout of a session the bank's hand-off opened: the way back to online banking.
            "bank_return_url": take_bank_return_url(self.request) if self.request.method == "GET" else "",
        }

    def form_valid(self, form):
        # The right password: the browser is no longer one that logged out (session_end.LOGGED_OUT_KEY).
        self.request.session.pop(LOGGED_OUT_KEY, None)
        return super().form_valid(form)

    def get_default_redirect_url(self) -> str:
        if self.request.user.is_authenticated and self.request.user.is_back_office:
            return reverse("staff-home")
        return super().get_default_redirect_url()


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "portal_ui/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        with transaction.atomic():  # the new password and its security e-mail, together
            response = super().form_valid(form)
            tell_user_of_password_change(form.user)
        return response


class PortalPasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "portal_ui/password_change_done.html"


class PortalLogoutView(auth_views.LogoutView):
    """A POST logs out (Django's view). A typed or bookmarked /logout/ (a GET) showed the browser's bare
    "HTTP ERROR 405" page: it asks instead, with the button that posts."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, "portal_ui/logout_confirm.html")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from_bank = came_from_bank(request)  # read before the logout flushes the session
        response = super().post(request, *args, **kwargs)
        # The login page it leads to says so (messages outlive the flush: a cookie, or the new session).
        messages.success(request, _("You have been logged out."))
        # The browser's other tabs, sent to the login page, say their session was ended.
        request.session[LOGGED_OUT_KEY] = True
        if from_bank:
            remember_bank_logout(request)
        return response


@require_POST
def renew_session(request: HttpRequest) -> HttpResponse:
    """The inactivity warning's "Stay logged in" (session_timeout.js): slide the session's expiry, nothing
    else. An ended session is a bare 401, not the login page: the script says so without leaving the page."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Session"})
    refresh_session(request.session)
    return HttpResponse(status=204)


def home(request: HttpRequest) -> HttpResponse:
    """Ekran główny: the client's newest invoices and the settlement summary. Staff go to their own."""
    if request.user.is_authenticated and request.user.is_back_office:
        return redirect("staff-home")
    return _client_home(request)


@client_required
def _client_home(request: HttpRequest) -> HttpResponse:
    membership = request.active_membership
    if not access_rules.can(membership, access_rules.Area.INVOICES):
        # The home page is invoices and settlements: a fleet manager starts at the requests.
        can_request = access_rules.can(membership, access_rules.Area.REQUESTS)
        return redirect("request-list" if can_request else "documents")
    summary = get_home_summary(client=request.active_client)
    context = {"summary": summary, "currency_tags": currency_tags(summary["totals"])}
    return render(request, "portal_ui/home.html", context)


@require_POST
@client_required
def switch_client(request: HttpRequest) -> HttpResponse:
    """Act for another client of the user's; a client the user is not a member of gives 404."""
    try:
        client_id = int(request.POST.get("client_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    client = set_active_client(request, client_id=client_id)
    if client is None:
        raise Http404
    # No full stop after the name: most company names end in one ("sp. z o.o.").
    messages.success(request, _("You now act for %(name)s") % {"name": client.name})
    return redirect_to_next(request, request.POST.get("next"), reverse("home"))


def _readyz_operator(request: HttpRequest) -> bool:
    """A probe on this host (a loopback peer, not relayed by a proxy: the proxy adds X-Forwarded-For) or a
    caller with the operator token."""
    token = settings.PORTAL_READYZ_TOKEN
    sent = request.headers.get("X-Readyz-Token", "")
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    peer = parse_ip(request.META.get("REMOTE_ADDR") or "")
    return peer is not None and peer.is_loopback and "HTTP_X_FORWARDED_FOR" not in request.META


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No database: an outage must not get healthy processes restarted."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, channel layer, broker and worker, each named with its result; 503 unless the
    first three are ok; a worker not seen lately makes it "degraded" (200: the pages still work).

    The checks by name describe the set-up: only for an operator (a probe on this host, or the token of
    PORTAL_READYZ_TOKEN); anyone else gets the overall status and code, from an answer up to
    READINESS_PUBLIC_MAX_AGE old, so outside callers cannot drive the checks' writes (broker, channel layer)."""
    operator = _readyz_operator(request)
    ready, checks = readiness(max_age=None if operator else settings.READINESS_PUBLIC_MAX_AGE)
    all_ok = all(check["status"] == "ok" for check in checks.values())
    body: dict = {"status": ("ok" if all_ok else "degraded") if ready else "unavailable"}
    if operator:
        body["checks"] = checks
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
