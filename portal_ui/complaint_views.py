"""Staff page action on a complaint: extend its statutory answer deadline (the API's service and input)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.core.date_fields import date_input_value
from backend.core.exceptions import NotFound, PortalError
from backend.requests_app import decisions
from backend.requests_app.complaints import new_deadline_problem
from backend.requests_app.inputs import ExtendDeadlineInput
from backend.requests_app.models import ComplaintClock
from portal_ui.access import staff_required
from portal_ui.error_summary import filled, form_errors
from portal_ui.staff_views import refused_page, request_or_404, step_done, task_context

EXTEND_INPUTS = ("new_deadline", "extension_reason")


@require_POST
@staff_required
def complaint_extend(request: HttpRequest, request_id: int) -> HttpResponse:
    """On success back to the task with a message; an error shows beside its field with the input kept."""
    values = {name: request.POST.get(name, "") for name in EXTEND_INPUTS}
    # A date typed as 30.11.2026 goes back into the date input as ISO (the input drops anything else).
    values["new_deadline"] = date_input_value(values["new_deadline"])
    body = ExtendDeadlineInput(data=filled(values))
    if not body.is_valid():
        errors = form_errors(body.errors, inputs=EXTEND_INPUTS)
        _add_date_problem(errors, request_id, body)
    else:
        try:
            extended = decisions.extend_deadline(
                staff=request.user,
                request_id=request_id,
                new_deadline=body.validated_data["new_deadline"],
                reason=body.validated_data["extension_reason"],
            )
        except NotFound as exc:
            raise Http404 from exc
        except PortalError as exc:
            if exc.status == 409:  # no longer the staff's turn: who took it, the typed reason kept
                return refused_page(request, request_id, exc, texts=[values["extension_reason"]])
            if exc.status == 404:
                messages.error(request, exc.message)
                return redirect("staff-task-page", request_id=request_id)
            errors = form_errors(exc, inputs=EXTEND_INPUTS)
        else:
            done = _("The answer deadline has been extended; the client is told the reason.")
            messages.success(request, step_done(done, extended))
            return redirect("staff-task-page", request_id=request_id)
    context = task_context(
        request, request_or_404(request_id), values=values, errors=errors, failed_action="extend"
    )
    return render(request, "portal_ui/staff/task_page.html", context, status=400)


def _add_date_problem(errors: dict[str, list[str]], request_id: int, body: ExtendDeadlineInput) -> None:
    """A well-formed date refused only because the reason is missing gets its own check too: both errors
    at once, not the date's after the reason is fixed."""
    if "new_deadline" in errors or "new_deadline" not in body.data:
        return
    clock = ComplaintClock.objects.filter(request_id=request_id).first()
    new_deadline = body.fields["new_deadline"].to_internal_value(body.data["new_deadline"])
    problem = new_deadline_problem(clock, new_deadline) if clock is not None else ""
    if problem:
        errors["new_deadline"] = [problem]
