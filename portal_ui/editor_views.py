"""Analyst pages: the process flows with their versions, the BPMN editor (bpmn-js in the browser), and
moving running requests to another version of their flow.

Validation and deployment go through the analyst API (workflows/apis.py) from the editor's script; a move
goes through backend/requests_app/version_moves.py, which checks it against both versions and audits it.
What the pages show is put together in editor_context.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from backend.core.exceptions import NotFound, PortalError, PortalValidationError
from backend.requests_app import version_moves
from backend.requests_app.catalogue import kind_label
from portal_ui.access import analyst_required
from portal_ui.client_lists import page_of
from portal_ui.editor_context import (
    current_of,
    element_namer,
    flow_editor_context,
    instance_row,
    list_flows,
    named_dry_run,
    running_on_older_versions,
    versions_or_404,
)
from portal_ui.editor_timer_names import timer_name_words
from workflows import selectors, versioning
from workflows.models import ProcessInstance, ProcessVersion

MIGRATION_PAGE_SIZE = 25


@analyst_required
def flow_list(request: HttpRequest) -> HttpResponse:
    """Each process key with its current and newest versions and the running instances of every version."""
    return render(request, "portal_ui/editor/flow_list.html", {"flows": list_flows()})


@analyst_required
def flow_editor(request: HttpRequest, process_key: str) -> HttpResponse:
    """The current version's diagram in the modeler, and which requests run on each version."""
    context = flow_editor_context(process_key)
    # The words of a timer's name in every language (the panel rewrites a name in the language it is in).
    context["timer_names"] = timer_name_words()
    return render(request, "portal_ui/editor/flow_editor.html", context)


@require_GET
@analyst_required
def migration_list(request: HttpRequest, process_key: str) -> HttpResponse:
    """The process's running requests on older versions, each with a link to move it."""
    return migrations_page(request, process_key)


def migrations_page(request: HttpRequest, process_key: str, *, batch: dict | None = None) -> HttpResponse:
    """The list of requests on older versions with its batch form; `batch` is a refused batch's choice and
    errors (migration_views._check), shown in the form beside its fields with the ticks kept (status 400)."""
    versions = versions_or_404(process_key)
    # Requests move towards the current version (new requests start there), usually the newest one.
    current = current_of(versions)
    instances = running_on_older_versions(process_key=process_key, newest=current)
    page = page_of(request, instances, per_page=MIGRATION_PAGE_SIZE)
    name = element_namer()
    page.object_list = [
        {
            **instance_row(instance),
            "dry_run": named_dry_run(
                versioning.dry_run_instance(instance, current), instance.process_version, current, name
            ),
        }
        for instance in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "process_key": process_key,
        "label": kind_label(process_key),
        "current": current,
        "versions": versions,
        "page": page,
        "query": query.urlencode(),
        "batch": batch
        or {"values": {"scope": "selected", "picked": [], "version_id": str(current.pk)}, "errors": {}},
    }
    if batch:
        context["error_summary"] = batch["summary"]
    return render(request, "portal_ui/editor/migration_list.html", context, status=400 if batch else 200)


# The form's fields and their labels, in form order (for the error summary above the form).
MIGRATION_FIELDS = {"version_id": gettext_lazy("Target version"), "confirm": gettext_lazy("Confirmation")}


def _check_move(
    instance: ProcessInstance, targets: list[ProcessVersion], values: dict
) -> tuple[ProcessVersion | None, dict[str, list[str]]]:
    """Return the chosen target version and the form's errors."""
    errors: dict[str, list[str]] = {}
    target = next((v for v in targets if str(v.pk) == values["version_id"]), None)
    if target is None:
        errors["version_id"] = [_("Choose a version of this flow other than the current one.")]
    if not values["confirm"]:
        errors["confirm"] = [_("Confirm that the request continues on the chosen version.")]
    if instance.status != ProcessInstance.Status.RUNNING:
        errors["__all__"] = [_("Only a running request can move to another version.")]
    return target, errors


@require_http_methods(["GET", "POST"])
@analyst_required
def migration_form(request: HttpRequest, process_key: str, instance_id: int) -> HttpResponse:
    """Choose the version one running request moves to, and confirm; the service's refusal shows here."""
    versions = versions_or_404(process_key)
    try:
        instance = selectors.get_process_instance(instance_id=instance_id)
    except NotFound as exc:
        raise Http404 from exc
    if instance.process_version.process_key != process_key:
        raise Http404
    targets = [v for v in versions if v.pk != instance.process_version_id]
    current = current_of(versions)
    values = {"version_id": str(current.pk) if current in targets else "", "confirm": False}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {
            "version_id": request.POST.get("version_id", ""),
            "confirm": bool(request.POST.get("confirm")),
        }
        target, errors = _check_move(instance, targets, values)
        if not errors:
            try:
                version_moves.migrate_instance(
                    instance_id=instance.pk, to_version=target, by=request.user, request=request
                )
            except PortalValidationError as exc:
                # The service names the BPMN element that blocks the move; the message says which.
                errors = {"version_id": [exc.message]}
            except PortalError as exc:
                errors = {"__all__": [exc.message]}
            else:
                messages.success(
                    request,
                    _("Request %(request)s now runs on version %(version)s.")
                    % {"request": _instance_name(instance), "version": target.number},
                )
                return redirect("flow-migrations", process_key=process_key)
        status = 400
    name = element_namer()
    context = {
        "process_key": process_key,
        "label": kind_label(process_key),
        "row": instance_row(instance),
        # What a move to each version would do, before the analyst confirms one (nothing is written).
        "dry_runs": [
            {
                "version": target,
                **named_dry_run(
                    versioning.dry_run_instance(instance, target), instance.process_version, target, name
                ),
            }
            for target in targets
        ],
        "targets": targets,
        # The options name the current version (new requests start there) and a newer one that is not.
        "current": current,
        "newest": versions[0],
        "values": values,
        "errors": errors,
        "error_summary": [
            {"field": name, "label": MIGRATION_FIELDS.get(name, ""), "message": message}
            for name in [*MIGRATION_FIELDS, "__all__"]
            for message in errors.get(name, [])
        ],
    }
    return render(request, "portal_ui/editor/migration_form.html", context, status=status)


def _instance_name(instance: ProcessInstance) -> str:
    portal_request = getattr(instance, "portal_request", None)
    return portal_request.number if portal_request is not None else f"#{instance.pk}"
