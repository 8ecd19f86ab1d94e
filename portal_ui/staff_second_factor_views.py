"""Customer service reset a client user's second factor (lost phone) from "Client activation".

The page names the user and their company, asks why and for a confirmation that the caller's identity was
checked; the service (backend/accounts/second_factor_reset.py) removes the app, audits and e-mails the user.
Only customer service and admins, as for activation codes.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.accounts.second_factor_reset import (
    REASON_MAX_LENGTH,
    reset_client_second_factor,
    resettable_client_user,
    users_with_second_factor,
)
from backend.clients.selectors import memberships_of_user
from backend.core.exceptions import NotFound, PortalError
from portal_ui.access import staff_required
from portal_ui.error_summary import error_summary, form_errors
from portal_ui.staff_activation_views import check_issuer

INPUTS = ("reason", "identity_checked")


def _labels() -> dict[str, str]:
    return {
        "reason": _("Reason (kept in the audit log)"),
        "identity_checked": _("I have checked who is asking (e.g. called them back on the number we hold)"),
    }


@require_http_methods(["GET", "POST"])
@staff_required
def reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    check_issuer(request)
    subject = resettable_client_user(user_id)
    if subject is None:
        raise Http404
    values = {"reason": "", "identity_checked": False}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {
            "reason": request.POST.get("reason", "")[: REASON_MAX_LENGTH * 2],
            "identity_checked": request.POST.get("identity_checked") == "on",
        }
        try:
            reset_client_second_factor(staff=request.user, user_id=subject.pk, request=request, **values)
        except NotFound as exc:
            raise Http404 from exc
        except PortalError as error:
            errors = form_errors(error, inputs=INPUTS)
        else:
            messages.success(
                request,
                _("The second factor of %(email)s has been reset; they have been told by e-mail.")
                % {"email": subject.email},
            )
            return redirect(f"{reverse('staff-client-users')}?{urlencode({'q': subject.email})}")
    context = {
        "subject": subject,
        "companies": memberships_of_user(user=subject),
        "has_second_factor": bool(users_with_second_factor([subject.pk])),
        "values": values,
        "errors": errors,
        "error_summary": error_summary(errors, _labels()),
        "labels": _labels(),
        "reason_max_length": REASON_MAX_LENGTH,
    }
    return render(request, "portal_ui/staff/second_factor_reset.html", context, status=400 if errors else 200)
