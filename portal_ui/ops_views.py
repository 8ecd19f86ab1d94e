"""The repair console's pages (/ops/): open incidents, overdue instances and counts, and one instance's
repair actions. Every action goes through backend/requests_app/repair_steps.py, the same services as the
ops API."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.core.exceptions import NotFound, PortalError, PortalValidationError
from backend.core.filters import parse_id
from backend.core.language import quoted
from backend.core.parsers import body_problem
from backend.requests_app import repair_steps as repair
from backend.requests_app.catalogue import kind_label, stage_label
from portal_ui.access import analyst_required
from portal_ui.client_lists import page_of
from portal_ui.ops_incidents import named_incidents
from workflows import engine, selectors, services
from workflows.contract import CancelledStage
from workflows.models import Incident, ProcessInstance


@require_GET
@analyst_required
def ops_console(request: HttpRequest) -> HttpResponse:
    overdue = repair.overdue_instances()[:200]
    for instance in overdue:
        instance.kind_label = kind_label(instance.process_version.process_key)
        instance.stage_label = stage_label(instance.stage, version_id=instance.process_version_id)
    counts = [
        {
            **row,
            "kind_label": kind_label(row["process_version__process_key"]),
            "stage_label": stage_label(row["stage"], version_id=row["process_version_id"]),
        }
        for row in repair.instance_counts()
    ]
    context = {
        "incidents": named_incidents(repair.open_incidents()[:200]),
        "overdue": overdue,
        "counts": counts,
        # Suspended ones run no step and miss no deadline: listed here, or nobody would think of them.
        "suspended": list(repair.suspended_instances()[:200]),
    }
    return render(request, "portal_ui/ops/console.html", context)


# The running instances behind one count, a page at a time.
INSTANCES_PAGE_SIZE = 25


@require_GET
@analyst_required
def ops_instances(request: HttpRequest) -> HttpResponse:
    """The running instances of one version at one stage (a count of the console opened): each links to its
    repair page, so a healthy request can be opened too, not only an incident or an overdue one."""
    version_id = parse_id(request.GET.get("version", ""))
    stage = request.GET.get("stage", "")[:64]
    if version_id is None or not stage:
        raise Http404
    try:
        version = selectors.get_process_version(version_id=version_id)
    except NotFound as exc:
        raise Http404 from exc
    instances = repair.running_instances(version_id=version.pk, stage=stage)
    page = page_of(request, instances, per_page=INSTANCES_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "version": version,
        "stage": stage,
        "kind_label": kind_label(version.process_key),
        "stage_label": stage_label(stage, version_id=version.pk),
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "portal_ui/ops/instances.html", context)


def _instance_or_404(instance_id: int) -> ProcessInstance:
    if parse_id(instance_id) is None:
        raise Http404
    try:
        return selectors.get_process_instance(instance_id=instance_id)
    except NotFound as exc:
        raise Http404 from exc


@require_GET
@analyst_required
def ops_instance(request: HttpRequest, instance_id: int) -> HttpResponse:
    return render(request, "portal_ui/ops/instance.html", _instance_context(_instance_or_404(instance_id)))


def _instance_context(instance: ProcessInstance, **typed) -> dict:
    """The repair page; `typed`: a refused form's input and errors (`form`, `values`, `errors` by field),
    shown again in that form instead of the stored data."""
    process = services.parsed(instance.process_version)
    data = {}
    if instance.status == ProcessInstance.Status.RUNNING and instance.current_task_name:
        data = engine.ready_task_data(process, instance.state).get(instance.current_task_name, {})
    form = services.get_task_form(instance, instance.current_task_name) if instance.current_task_name else {}
    fields = {key: data.get(key) for key in (form.get("properties") or {}) if key in data}
    return {
        "instance": instance,
        "portal_request": getattr(instance, "portal_request", None),
        "kind_label": kind_label(instance.process_version.process_key),
        "stage_label": stage_label(instance.stage, version_id=instance.process_version_id),
        # The task whose data can be edited, by its name in the diagram (its id is on the Stage line).
        "current_task_label": quoted(
            stage_label(instance.current_task_name, version_id=instance.process_version_id)
        )
        if instance.current_task_name
        else "",
        "tasks": [
            (task.name, stage_label(task.name, version_id=instance.process_version_id))
            for task in process.user_tasks.values()
        ],
        "task_data": json.dumps(fields, ensure_ascii=False, indent=2),
        "incidents": named_incidents(instance.incidents.exclude(status=Incident.Status.RESOLVED)),
        "running": instance.status == ProcessInstance.Status.RUNNING,
        "form": "",
        "values": {},
        "errors": {},
        **typed,
    }


def _report(request: HttpRequest, exc: PortalError) -> None:
    details = [message for found in exc.fields.values() for message in found]
    messages.error(request, " ".join(dict.fromkeys([exc.message, *details])))


def _field_errors(exc: PortalError) -> dict[str, list[str]]:
    """A refusal's messages by form field: the task data's own keys are named in the message (its form's
    "Select a valid choice" alone does not say which value), and go with the data's field."""
    errors: dict[str, list[str]] = {}
    for key, found in exc.fields.items():
        field = key if key in ("note", "data", "confirmed") else "data"
        errors.setdefault(field, []).extend(
            found if field == key else [f"{key}: {message}" for message in found]
        )
    return errors or {"data": [exc.message]}


ACTIONS = {
    "retry": gettext_lazy("Retried: the pending steps ran."),
    # Without "instance", engine jargon the page does not use (it names the request, or the #id without one).
    "suspend": gettext_lazy("Suspended: no step runs until it is resumed."),
    "resume": gettext_lazy("Resumed: its steps run again."),
    "edit-data": gettext_lazy("The task data is saved."),
    "move-token": gettext_lazy("The request is back at the chosen task."),
}
# The forms whose refusal shows the page again with what was typed, the errors at their fields.
KEEP_TYPED = frozenset({"suspend", "edit-data"})


@require_POST
@analyst_required
def ops_instance_action(request: HttpRequest, instance_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    instance = _instance_or_404(instance_id)
    note = request.POST.get("note", "").strip()[:2000]
    common = {"instance_id": instance.pk, "by": request.user, "request": request}
    typed = {"note": note, "data": request.POST.get("data", "")}
    try:
        if action == "retry":
            repair.retry_instance(**common)
        elif action == "suspend":
            if request.POST.get("confirmed") != "yes":
                # Every step stops until someone resumes it: the form asks for that to be confirmed.
                message = _("Confirm that no step of this request may run until it is resumed.")
                raise PortalValidationError(message, fields={"confirmed": [message]})
            repair.suspend_instance(**common, note=note)
        elif action == "resume":
            repair.resume_instance(**common, note=note)
        elif action == "edit-data":
            try:
                data = json.loads(typed["data"])
            except (ValueError, RecursionError):
                data = None
            # As the API's parser: no NUL (PostgreSQL cannot store it), no absurd nesting.
            problem = body_problem(data) if isinstance(data, dict) else _("Enter the data as a JSON object.")
            if problem:
                raise PortalValidationError(problem, fields={"data": [problem]})
            repair.edit_task_data(**common, data=data, note=note)
        else:
            repair.move_token(**common, task_spec_name=request.POST.get("task", "")[:64], note=note)
    except PortalError as exc:
        if action in KEEP_TYPED and exc.fields:
            context = _instance_context(
                _instance_or_404(instance.pk), form=action, values=typed, errors=_field_errors(exc)
            )
            return render(request, "portal_ui/ops/instance.html", context, status=400)
        _report(request, exc)
    else:
        messages.success(request, str(ACTIONS[action]))
    return redirect("ops-instance", instance.pk)


@require_http_methods(["GET", "POST"])
@analyst_required
def ops_instance_cancel(request: HttpRequest, instance_id: int) -> HttpResponse:
    """Cancelling ends the client's request for good: a page of its own says what will happen to which
    request and asks for the reason the client will read; only its confirmed form cancels."""
    instance = _instance_or_404(instance_id)
    if instance.status != ProcessInstance.Status.RUNNING:
        messages.error(request, _("The instance is not running any more."))
        return redirect("ops-instance", instance.pk)
    reason = request.POST.get("reason", "").strip()[:2000]
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            repair.cancel_instance(instance_id=instance.pk, reason=reason, by=request.user, request=request)
        except PortalError as exc:
            errors = [message for found in exc.fields.values() for message in found] or [exc.message]
        else:
            messages.success(request, _("Cancelled for good."))
            return redirect("ops-instance", instance.pk)
    context = {
        "instance": instance,
        "portal_request": getattr(instance, "portal_request", None),
        "kind_label": kind_label(instance.process_version.process_key),
        "stage_label": stage_label(instance.stage, version_id=instance.process_version_id),
        "cancelled_label": stage_label(CancelledStage.BY_LESSOR),
        "reason": reason,
        "errors": errors,
    }
    return render(request, "portal_ui/ops/cancel_confirm.html", context, status=400 if errors else 200)


@require_POST
@analyst_required
def ops_incident_resolve(request: HttpRequest, incident_id: int) -> HttpResponse:
    if parse_id(incident_id) is None or not Incident.objects.filter(pk=incident_id).exists():
        raise Http404
    try:
        repair.resolve_incident(
            incident_id=incident_id,
            note=request.POST.get("note", "").strip()[:2000],
            by=request.user,
            request=request,
        )
    except PortalError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The incident is resolved."))
    return redirect(reverse("ops-console") + "#incidents")
