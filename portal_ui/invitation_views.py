"""The invited person's answer to a company's invitation (the banner on every page shows it after login).

Thin adapters over the invited person's actions in backend/clients/members.py (the API's too).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.clients import members
from backend.clients.active import set_active_client
from backend.core.exceptions import NotFound
from portal_ui.access import client_user_required


@require_POST
@client_user_required
def invitation_accept(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Join the company and act for it from now on."""
    try:
        membership = members.accept_invitation(
            user=request.user, membership_id=membership_id, request=request
        )
    except NotFound as exc:
        raise Http404 from exc
    set_active_client(request, client_id=membership.client_id)
    # The name inside the sentence: most company names end in a full stop of their own ("sp. z o.o.").
    messages.success(
        request, _("You now have access to %(name)s and act for it.") % {"name": membership.client.name}
    )
    return redirect("home")


@require_POST
@client_user_required
def invitation_decline(request: HttpRequest, membership_id: int) -> HttpResponse:
    try:
        members.decline_invitation(user=request.user, membership_id=membership_id, request=request)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The invitation has been declined."))
    return redirect("home")
