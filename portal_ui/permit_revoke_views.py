"""Staff page action on a permit to go abroad: revoke it with a reason (the API's service and input)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.core.exceptions import NotFound, PortalError
from backend.permits import services
from portal_ui.access import staff_required
from portal_ui.error_summary import form_errors
from portal_ui.staff_views import request_or_404, task_context


@require_POST
@staff_required
def permit_revoke(request: HttpRequest, request_id: int) -> HttpResponse:
    """Back to the task page with a message; a reason refused comes back at its field with the text kept,
    like the page's decision forms; a conflict (revoked meanwhile) is a message."""
    reason = request.POST.get("reason", "")
    try:
        services.revoke_permit(staff=request.user, request_id=request_id, reason=reason, http_request=request)
    except NotFound as exc:
        raise Http404 from exc
    except PortalError as exc:
        if exc.status != 400:
            messages.error(request, exc.message)
            return redirect("staff-task-page", request_id=request_id)
        context = task_context(
            request,
            request_or_404(request_id),
            values={"reason": reason},
            errors=form_errors(exc, inputs={"reason"}),
            failed_action="revoke_permit",
        )
        return render(request, "portal_ui/staff/task_page.html", context, status=400)
    messages.success(request, _("The permit has been revoked; the verification page now says so."))
    return redirect("staff-task-page", request_id=request_id)
