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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from backend.core.exceptions import PortalError
from backend.core.filters import parse_id
from backend.requests_app.batch_moves import move_instances
from backend.requests_app.catalogue import kind_label
from backend.requests_app.models import PortalRequest
from portal_ui.access import analyst_required
from portal_ui.editor_context import versions_or_404
from portal_ui.editor_views import migrations_page
from workflows.models import ProcessVersion


def _version(versions: list[ProcessVersion], value: str) -> ProcessVersion | None:
    return next((version for version in versions if str(version.pk) == value), None)


# The batch form's fields: the element each error points at from the summary above the form, and its label.
BATCH_FIELDS = {
    "instance_ids": ("batch-scope-selected", gettext_lazy("Which requests")),
    "from_version_id": ("batch-from", gettext_lazy("Version whose requests move")),
    "version_id": ("batch-target", gettext_lazy("Move to version")),
    "confirm": ("batch-confirm", gettext_lazy("Confirmation")),
}


def _check(request: HttpRequest, versions: list[ProcessVersion]) -> tuple[dict, dict, dict[str, list[str]]]:
    """The batch form's choice (target, selection), what was entered, and what is wrong with it by field."""
    scope = "version" if request.POST.get("scope") == "version" else "selected"
    ids = [parse_id(value) for value in request.POST.getlist("instance_ids")]
    values = {
        "scope": scope,
        "picked": sorted({pk for pk in ids if pk is not None}),
        "from_version_id": request.POST.get("from_version_id", ""),
        "version_id": request.POST.get("version_id", ""),
        "confirm": bool(request.POST.get("confirm")),
    }
    choice = {"target": _version(versions, values["version_id"]), "instance_ids": None, "from_version": None}
    errors: dict[str, list[str]] = {}
    if choice["target"] is None:
        errors["version_id"] = [_("Choose the version the requests move to.")]
    if scope == "version":
        choice["from_version"] = _version(versions, values["from_version_id"])
        if choice["from_version"] is None:
            errors["from_version_id"] = [_("Choose the version whose running requests move.")]
        elif choice["target"] is not None and choice["from_version"].pk == choice["target"].pk:
            errors["from_version_id"] = [_("The requests already run on the chosen version.")]
    else:
        choice["instance_ids"] = values["picked"]
        if not choice["instance_ids"]:
            errors["instance_ids"] = [
                _("Tick the requests to move, or choose a version whose running requests all move.")
            ]
    if not values["confirm"]:
        errors["confirm"] = [_("Confirm that the requests continue on the chosen version.")]
    return choice, values, errors


def _refused(
    request: HttpRequest, process_key: str, values: dict, errors: dict[str, list[str]]
) -> HttpResponse:
    """The list page again with the batch form as it was sent: each error beside its field and in the summary
    above the form, the ticked requests still ticked."""
    summary = [
        {"field": name, "id": BATCH_FIELDS[name][0], "label": BATCH_FIELDS[name][1], "message": message}
        for name in BATCH_FIELDS
        for message in errors.get(name, [])
    ] + [{"field": "", "label": "", "message": message} for message in errors.get("__all__", [])]
    batch = {"values": values, "errors": errors, "summary": summary}
    return migrations_page(request, process_key, batch=batch)


@require_http_methods(["GET", "POST"])
@analyst_required
def migration_batch(request: HttpRequest, process_key: str) -> HttpResponse:
    """Move the chosen requests; show each one's result (moved, or why it stayed)."""
    versions = versions_or_404(process_key)
    if request.method == "GET":
        # A link of a refused batch's page (its pagination) is the list's: its address is this one's.
        query = request.GET.urlencode()
        return redirect(reverse("flow-migrations", args=[process_key]) + (f"?{query}" if query else ""))
    choice, values, errors = _check(request, versions)
    if errors:
        return _refused(request, process_key, values, errors)
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
        return _refused(request, process_key, values, {"__all__": [exc.message]})
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
