"""Analyst page action: move a batch of running requests to another version of their flow at once.

The batch is the requests ticked in "Requests on older versions" (each with its dry run), or every running
request of one version. It goes through backend/requests_app/batch_moves.py, the same service as
`POST /api/workflows/instances/migrate/`: each request moves on its own, keeps its clocks, gets its history
and audit rows, and one that cannot move is listed with its reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backend.core.exceptions import PortalError
from backend.core.filters import parse_id
from backend.requests_app.batch_moves import move_instances
from backend.requests_app.catalogue import kind_label
from backend.requests_app.models import PortalRequest
from portal_ui.access import analyst_required
from portal_ui.editor_context import versions_or_404
from workflows.models import ProcessVersion


def _version(versions: list[ProcessVersion], value: str) -> ProcessVersion | None:
    return next((version for version in versions if str(version.pk) == value), None)


def _check(request: HttpRequest, versions: list[ProcessVersion]) -> tuple[dict, list[str]]:
    """The batch form's choice (target, selection) and what is wrong with it."""
    scope = request.POST.get("scope", "selected")
    choice = {
        "target": _version(versions, request.POST.get("version_id", "")),
        "instance_ids": None,
        "from_version": None,
    }
    errors: list[str] = []
    if choice["target"] is None:
        errors.append(_("Choose the version the requests move to."))
    if scope == "version":
        choice["from_version"] = _version(versions, request.POST.get("from_version_id", ""))
        if choice["from_version"] is None:
            errors.append(_("Choose the version whose running requests move."))
        elif choice["target"] is not None and choice["from_version"].pk == choice["target"].pk:
            errors.append(_("The requests already run on the chosen version."))
    else:
        ids = [parse_id(value) for value in request.POST.getlist("instance_ids")]
        choice["instance_ids"] = sorted({pk for pk in ids if pk is not None})
        if not choice["instance_ids"]:
            errors.append(
                _("Tick the requests to move, or choose a version whose running requests all move.")
            )
    if not request.POST.get("confirm"):
        errors.append(_("Confirm that the requests continue on the chosen version."))
    return choice, errors


@require_POST
@analyst_required
def migration_batch(request: HttpRequest, process_key: str) -> HttpResponse:
    """Move the chosen requests; show each one's result (moved, or why it stayed)."""
    versions = versions_or_404(process_key)
    choice, errors = _check(request, versions)
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect("flow-migrations", process_key=process_key)
    target = choice["target"]
    try:
        results = move_instances(
            to_version=target,
            instance_ids=choice["instance_ids"],
            from_version_id=choice["from_version"].pk if choice["from_version"] else None,
            by=request.user,
            request=request,
        )
    except PortalError as exc:
        messages.error(request, exc.message)
        return redirect("flow-migrations", process_key=process_key)
    moved = sum(1 for result in results if result.moved)
    if moved:
        messages.success(
            request,
            ngettext(
                "%(count)d request now runs on version %(version)d.",
                "%(count)d requests now run on version %(version)d.",
                moved,
            )
            % {"count": moved, "version": target.number},
        )
    if len(results) - moved:
        messages.warning(
            request,
            ngettext(
                "%(count)d request stayed on its version; the table says why.",
                "%(count)d requests stayed on their versions; the table says why.",
                len(results) - moved,
            )
            % {"count": len(results) - moved},
        )
    request_ids = dict(
        PortalRequest.objects.filter(process_instance_id__in=[r.instance_id for r in results]).values_list(
            "process_instance_id", "pk"
        )
    )
    rows = [{"result": result, "request_id": request_ids.get(result.instance_id)} for result in results]
    context = {"process_key": process_key, "label": kind_label(process_key), "target": target, "rows": rows}
    return render(request, "portal_ui/editor/migration_batch.html", context)
