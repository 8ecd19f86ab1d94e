"""The portal's end of the bank hand-off: POST /sso/bank/ with the bank's signed assertion, then the
browser's own GET /sso/bank/continue/ that logs in (or asks first: backend/sso/pending.py says why)."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from backend.accounts.audit import AuditAction
from backend.accounts.auth_backend import PASSWORD_BACKEND
from backend.accounts.second_factor import mark_verified
from backend.clients.active import set_active_client
from backend.core.services import record_audit
from backend.sso import pending
from backend.sso.return_link import bank_return_url, offer_bank_return
from backend.sso.services import SsoHandoff, SsoRejected, resume_handoff, verify_bank_assertion


def rejection_message(reason: str) -> str:
    messages = {
        "bad_signature": _("The bank's confirmation could not be verified (invalid signature)."),
        "wrong_algorithm": _("The bank's confirmation is signed in a way the portal does not accept."),
        "wrong_audience": _("The bank's confirmation was issued for a different service."),
        "wrong_issuer": _("The bank's confirmation comes from an unknown issuer."),
        "expired": _("The bank's confirmation has expired. Go back to online banking and try again."),
        "lifetime_too_long": _("The bank's confirmation is valid for too long to be accepted."),
        "replayed": _("This confirmation has already been used. Go back to online banking and try again."),
        "unknown_customer": _("Your bank profile is not linked to a Client Portal account."),
        "foreign_contract": _(
            "This contract does not belong to any company you act for in the Client Portal."
        ),
        "disabled": _("Login from online banking is switched off."),
        "not_configured": _("Login from online banking is not configured."),
    }
    return messages.get(reason, _("The bank's confirmation is invalid."))


def contract_page_path(contract_id: int) -> str:
    return reverse("contract-page", args=[contract_id])


def _rejected(request: HttpRequest, rejection: SsoRejected) -> HttpResponse:
    claims = rejection.claims
    record_audit(
        action=AuditAction.SSO_REJECTED,
        request=request,
        username=str(claims.get("sub", ""))[:254],
        success=False,
        reason=rejection.reason,
        bank_customer_id=str(claims.get("sub", "")),
        contract=str(claims.get("contract", "")),
        jti=str(claims.get("jti", "")),
    )
    status = 400 if rejection.reason == "malformed" else 403
    response = render(
        request,
        "portal_ui/accounts/sso_rejected.html",
        {
            "reason": rejection.reason,
            "message": rejection_message(rejection.reason),
            # The page says whether this browser's session (if any) goes on: a refusal never logs out.
            "bank_return_url": bank_return_url(),
        },
        status=status,
    )
    pending.forget(response)
    return response


@csrf_exempt  # a cross-site POST from the bank; the signed, single-use assertion is the proof
@require_http_methods(["GET", "POST"])
def bank_handoff(request: HttpRequest) -> HttpResponse:
    """Verify the bank's assertion, keep the hand-off server-side and continue on the portal's own page.

    Nobody is logged in here: the bank's cross-site POST comes without the browser's session, so only the
    browser's next request (bank_handoff_continue) can tell who is logged in already. Opened directly (a
    GET: a bookmark, a typed address) there is no form of the portal to go back to, as post_only_pages
    would say: the login page says where the bank login starts and offers the way back to the bank.
    """
    if request.method == "GET":
        messages.info(
            request,
            _(
                "Logging in through the bank works only from your bank's online banking: start it there. "
                "Here you can log in with your e-mail and password."
            ),
        )
        offer_bank_return(request)
        return redirect(settings.LOGIN_URL)
    try:
        handoff = verify_bank_assertion(token=request.POST.get("assertion", ""))
    except SsoRejected as rejection:
        return _rejected(request, rejection)
    response = redirect("sso_bank_continue")
    response.status_code = 303  # see other: the browser follows with a GET
    pending.keep(response, handoff)
    return response


@require_http_methods(["GET", "POST"])
def bank_handoff_continue(request: HttpRequest) -> HttpResponse:
    """Log the bank's customer in and open the contract: at once when nobody or the same user is logged in
    in this browser; another user's session is never replaced without the person's click (CSRF-checked)."""
    if request.method == "POST" and request.POST.get("action") == "cancel":
        return _cancel(request)
    kept = pending.peek(request)
    if kept is None:
        return _rejected(request, SsoRejected("expired"))
    try:
        handoff = resume_handoff(**asdict(kept))
    except SsoRejected as rejection:
        pending.take(request)
        return _rejected(request, rejection)
    current = request.user
    if request.method == "GET" and current.is_authenticated and current.pk != handoff.user.pk:
        return render(
            request,
            "portal_ui/accounts/sso_confirm.html",
            {"current_user": current, "bank_user": handoff.user},
        )
    if pending.take(request) is None:  # used meanwhile (another tab, a second click)
        return _rejected(request, SsoRejected("replayed"))
    response = _log_in(request, handoff)
    pending.forget(response)
    return response


def _cancel(request: HttpRequest) -> HttpResponse:
    """Keep the session this browser has; the bank's hand-off is dropped."""
    kept = pending.take(request)
    if kept is not None:
        record_audit(
            action=AuditAction.SSO_HANDOFF_DECLINED,
            request=request,
            user=request.user if request.user.is_authenticated else None,
            bank_customer_id=kept.bank_customer_id,
            jti=kept.jti,
        )
    if request.user.is_authenticated:
        messages.info(request, _("You are still logged in as %(name)s.") % {"name": request.user.email})
    response = redirect("home")
    pending.forget(response)
    return response


def _log_in(request: HttpRequest, handoff: SsoHandoff) -> HttpResponse:
    request.portal_login_method = "bank_sso"
    login(request, handoff.user, backend=PASSWORD_BACKEND)
    # The bank already authenticated the customer strongly: the session needs no second factor here.
    mark_verified(request, "bank_sso")
    record_audit(action=AuditAction.SECOND_FACTOR_SKIPPED_SSO, request=request, user=handoff.user)
    set_active_client(request, client_id=handoff.contract.client_id)
    record_audit(
        action=AuditAction.SSO_HANDOFF,
        request=request,
        user=handoff.user,
        bank_customer_id=handoff.bank_customer_id,
        contract=handoff.contract.number,
        client_id=handoff.contract.client_id,
        jti=str(handoff.jti),
    )
    return redirect(contract_page_path(handoff.contract.pk))
