"""Staff page action on a permit to go abroad: revoke it with a reason (the API's service and input)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.core.exceptions import NotFound, PortalError
from backend.permits import services
from portal_ui.access import staff_required


@require_POST
@staff_required
def permit_revoke(request: HttpRequest, request_id: int) -> HttpResponse:
    """Back to the task page with a message either way (a refusal names what is missing)."""
    try:
        services.revoke_permit(
            staff=request.user,
            request_id=request_id,
            reason=request.POST.get("reason", ""),
            http_request=request,
        )
    except NotFound as exc:
        raise Http404 from exc
    except PortalError as exc:
        messages.error(request, exc.message)
        return redirect("staff-task-page", request_id=request_id)
    messages.success(request, _("The permit has been revoked; the verification page now says so."))
    return redirect("staff-task-page", request_id=request_id)
