"""Aktywacja klientów: staff issue a client user's activation link (e-mail) and one-time code (shown once).

The second channel of the two-channel activation from the staff portal (the Django admin has the same
action): find the user, send the link, read the code to them by phone. Only customer service and admins;
the issue is audited (activation_code_issued, the staff member as actor) by the service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.activation_code import start_activation_by_staff
from backend.accounts.models import User
from backend.accounts.second_factor_reset import users_with_second_factor
from backend.clients.selectors import search_client_members
from backend.core.exceptions import NotFound, PortalError
from portal_ui.access import staff_required
from portal_ui.page_limits import counted

ISSUERS = {User.Role.STAFF, User.Role.ADMIN}  # analysts model flows; they do not serve clients


def check_issuer(request: HttpRequest) -> None:
    """Customer service and admins only: activation codes and second-factor resets serve clients."""
    if request.user.role not in ISSUERS:
        raise PermissionDenied(_("Only customer service helps clients with their access."))


@require_GET
@staff_required
def client_users(request: HttpRequest) -> HttpResponse:
    """Search client users; those not activated yet get the "send link and show code" button, those
    with a second factor the "reset" link."""
    check_issuer(request)
    query = request.GET.get("q", "").strip()[:100]
    results = search_client_members(query=query)
    with_second_factor = users_with_second_factor([member.user_id for member in results])
    rows = [
        {
            "member": member,
            "second_factor": member.user_id in with_second_factor,
            "action": _row_action(member, with_second_factor),
        }
        for member in results
    ]
    context = {
        "query": query,
        "rows": rows,
        # The actions column only when some row has one: a column of empty cells says nothing.
        "with_actions": any(row["action"] for row in rows),
    }
    return render(request, "portal_ui/staff/client_users.html", context)


def _row_action(member, with_second_factor: set[int]) -> str:
    """What staff can do for this user: send the activation link, reset the second factor, or nothing."""
    user = member.user
    if not user.is_active:
        return ""
    if not user.has_usable_password():
        return "activate"
    return "reset" if member.user_id in with_second_factor else ""


@require_POST
@staff_required
@counted("invites")
def issue_activation(request: HttpRequest, user_id: int) -> HttpResponse:
    check_issuer(request)
    try:
        user, code = start_activation_by_staff(staff=request.user, user_id=user_id, request=request)
    except NotFound as exc:
        raise Http404 from exc
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("staff-client-users")
    # Rendered, not redirected: the code is shown this once and kept nowhere in clear.
    return render(request, "portal_ui/staff/activation_code.html", {"subject": user, "activation_code": code})
