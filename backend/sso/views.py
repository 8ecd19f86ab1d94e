"""The portal's end of the bank hand-off: POST /sso/bank/ with the bank's signed assertion."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from backend.accounts.audit import AuditAction
from backend.accounts.auth_backend import PASSWORD_BACKEND
from backend.accounts.second_factor import mark_verified
from backend.clients.active import set_active_client
from backend.core.services import record_audit
from backend.sso.services import SsoRejected, verify_bank_assertion


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


@csrf_exempt  # a cross-site POST from the bank; the signed, single-use assertion is the proof
@require_POST
def bank_handoff(request: HttpRequest) -> HttpResponse:
    """Log the bank's customer in without a second login and open the contract named by the bank."""
    try:
        handoff = verify_bank_assertion(token=request.POST.get("assertion", ""))
    except SsoRejected as rejection:
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
        return render(
            request,
            "portal_ui/accounts/sso_rejected.html",
            {"reason": rejection.reason, "message": rejection_message(rejection.reason)},
            status=status,
        )
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
