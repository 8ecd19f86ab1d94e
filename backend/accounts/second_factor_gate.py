"""The gate: a logged-in user who needs a second factor gets nothing else until the session has met it.

Pages redirect to the code step (an enrolled user) or to enrolment (a user who must enrol); the API
answers 403 in the error shape with code "second_factor_required". Sessions verified by a code, a
remembered device or the bank's single sign-on pass without a query; a user who needs no second factor
is re-checked at most once a minute (e.g. someone just made a client administrator).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts import second_factor
from backend.core.exceptions import is_api_request

# Pages a user who still owes the second factor may open (by view name, namespace included).
EXEMPT_VIEW_NAMES = frozenset(
    {
        "login",
        "logout",
        "session-renew",  # the enrolment page's "Stay logged in": any request of it slides the session anyway
        "second_factor_verify",
        "second_factor_setup",
        "second_factor_recovery_download",
        "set_language",
        "healthz",
        "readyz",
        "favicon",
        "account_activate",
        "password_reset",
        "password_reset_sent",
        "password_reset_confirm",
        "sso_bank",
        "sso_bank_continue",
        "bank_simulator_login",
        "bank_simulator_loans",
        "bank_simulator_handoff",
        "bank_simulator_logout",
    }
)

# What the recovery codes' page itself fetches: its download (and the browser's icon) keep the codes.
_KEEP_FRESH_CODES_VIEWS = frozenset({"second_factor_recovery_download", "favicon"})


def second_factor_state(request: HttpRequest) -> str:
    """ "ok", "verify" (enrolled, no code yet) or "enrol" (must use a second factor and has none)."""
    user = request.user
    if not user.is_authenticated or second_factor.is_verified(request):
        return "ok"
    session = request.session
    now = timezone.now().timestamp()
    if session.get(second_factor.OPTIONAL_UNTIL_SESSION_KEY, 0) > now:
        return "ok"
    if second_factor.has_second_factor(user):
        return "verify"
    if second_factor.requires_second_factor(user):
        return "enrol"
    session[second_factor.OPTIONAL_UNTIL_SESSION_KEY] = now + second_factor.OPTIONAL_RECHECK.total_seconds()
    return "ok"


class SecondFactorGateMiddleware:
    """Stop every page and API call of a session that owes the second factor (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match is not None else ""
        if view_name == "admin:login":
            # The admin's own form would log in on the password alone: everyone logs in through the portal.
            next_url = request.GET.get("next") or "/admin/"
            return redirect(reverse("login") + "?" + urlencode({"next": next_url}))
        if view_name not in _KEEP_FRESH_CODES_VIEWS and not is_api_request(request):
            # Recovery codes are downloadable from their own page only: the next page drops them.
            request.session.pop(second_factor.FRESH_CODES_SESSION_KEY, None)
        if view_name in EXEMPT_VIEW_NAMES:
            return None
        state = second_factor_state(request)
        if state == "ok":
            return None
        if is_api_request(request):
            # Someone who has no app yet cannot confirm with its code: they set it up first.
            message = (
                _("Confirm your login with the code from your authenticator app first.")
                if state == "verify"
                else _(
                    "Set up two-step login first: add an authenticator app on the portal's page %(url)s, "
                    "then confirm your login with its code."
                )
                % {"url": reverse("second_factor_setup")}
            )
            return JsonResponse(
                {"code": "second_factor_required", "message": message, "fields": {}}, status=403
            )
        target = "second_factor_verify" if state == "verify" else "second_factor_setup"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
