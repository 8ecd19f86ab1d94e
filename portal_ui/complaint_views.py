"""Staff page action on a complaint: extend its statutory answer deadline (the API's service and input)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.core.exceptions import NotFound, PortalError
from backend.requests_app import decisions
from backend.requests_app.inputs import ExtendDeadlineInput
from portal_ui.access import staff_required


@require_POST
@staff_required
def complaint_extend(request: HttpRequest, request_id: int) -> HttpResponse:
    """On success back to the task with a message; an error shows as a message and the form is kept."""
    body = ExtendDeadlineInput(
        data={k: request.POST.get(k, "") for k in ("new_deadline", "extension_reason")}
    )
    try:
        if not body.is_valid():
            problems = [str(e) for errs in body.errors.values() for e in errs]
            raise PortalError(" ".join(problems))
        decisions.extend_deadline(
            staff=request.user,
            request_id=request_id,
            new_deadline=body.validated_data["new_deadline"],
            reason=body.validated_data["extension_reason"],
        )
    except NotFound as exc:
        raise Http404 from exc
    except PortalError as exc:
        messages.error(request, exc.message)
        return redirect("staff-task-page", request_id=request_id)
    messages.success(request, _("The answer deadline has been extended; the client is told the reason."))
    return redirect("staff-task-page", request_id=request_id)
