"""Analyst pages: the versions of one flow — which is current, which is newest, each one's test run per
path, its differences against the current version and its requests — with "Test" and "Rollback".

Both actions go through workflows/versioning.py, the same services as the analyst API.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from backend.core.exceptions import NotFound, PortalValidationError
from backend.requests_app.catalogue import kind_label
from portal_ui.access import analyst_required
from portal_ui.editor_views import _versions_or_404, with_moved_away
from workflows import selectors, simulation, versioning
from workflows.models import ProcessVersion

STATUS_LABELS = {
    simulation.PathStatus.PASSED: gettext_lazy("Passed"),
    simulation.PathStatus.FAILED: gettext_lazy("Failed"),
    simulation.PathStatus.SKIPPED: gettext_lazy("Not applicable"),
}


def _test_rows(test_run: dict) -> list[dict]:
    """The stored test run's paths with their labels, for the table."""
    return [
        {
            **path,
            "label": simulation.PATH_LABELS.get(path["path"], path["path"]),
            "reason": simulation.path_reason(path),
            "status_label": STATUS_LABELS.get(path["status"], path["status"]),
        }
        for path in (test_run or {}).get("paths", [])
    ]


def _version_rows(versions: list[ProcessVersion], current_id: int | None) -> list[dict]:
    current = next((v for v in versions if v.pk == current_id), None)
    rows = []
    for version in versions:
        diff = None
        if current is not None and version.pk != current.pk:
            diff = versioning.diff_versions(current, version)
        rows.append(
            {
                "version": version,
                "is_current": version.pk == current_id,
                "is_newest": version.pk == versions[0].pk,
                "tests": _test_rows(version.test_run),
                "test_passed": (version.test_run or {}).get("passed"),
                "diff": diff,
                "reason_id": f"reason-{version.number}",
                "confirm_id": f"confirm-{version.number}",
            }
        )
    return rows


def _page(
    request: HttpRequest, process_key: str, *, errors: dict | None = None, values: dict | None = None
) -> HttpResponse:
    versions = with_moved_away(_versions_or_404(process_key))
    current = versioning.current_version_id(process_key)
    current_id = current[0] if current else None
    context = {
        "process_key": process_key,
        "label": kind_label(process_key),
        "rows": _version_rows(versions, current_id),
        "current": next((v for v in versions if v.pk == current_id), None),
        "newest": versions[0],
        "errors": errors or {},
        "page_errors": (errors or {}).get("__all__", []),
        "values": values or {},
    }
    return render(request, "portal_ui/editor/flow_versions.html", context, status=400 if errors else 200)


@require_GET
@analyst_required
def flow_versions(request: HttpRequest, process_key: str) -> HttpResponse:
    return _page(request, process_key)


def _version_of(process_key: str, version_id: int) -> ProcessVersion:
    try:
        version = selectors.get_process_version(version_id=version_id)
    except NotFound as exc:
        raise Http404 from exc
    if version.process_key != process_key:
        raise Http404
    return version


def _back(process_key: str, version: ProcessVersion) -> HttpResponse:
    return redirect(reverse("flow-versions", args=[process_key]) + f"#version-{version.number}")


@require_POST
@analyst_required
def version_test(request: HttpRequest, process_key: str, version_id: int) -> HttpResponse:
    """Run the version's test run (nothing is deployed or kept but the result)."""
    version = _version_of(process_key, version_id)
    run = versioning.test_version(version)
    if run.passed:
        messages.success(request, _("Version %(n)d passed its test run.") % {"n": version.number})
    else:
        messages.error(
            request,
            _("Version %(n)d failed its test run: %(count)d path(s) stopped.")
            % {"n": version.number, "count": len(run.failures())},
        )
    return _back(process_key, version)


@require_POST
@analyst_required
def version_rollback(request: HttpRequest, process_key: str, version_id: int) -> HttpResponse:
    """Make the version current again, with a reason and a confirmation."""
    version = _version_of(process_key, version_id)
    values = {"version": version.pk, "reason": request.POST.get("reason", "").strip()[:500]}
    errors: dict[str, list[str]] = {}
    if not request.POST.get("confirm"):
        errors["confirm"] = [_("Confirm that new requests start on this version.")]
    if not values["reason"]:
        errors["reason"] = [_("Say why the version is rolled back.")]
    if not errors:
        try:
            versioning.rollback(version=version, by=request.user, reason=values["reason"], request=request)
        except PortalValidationError as exc:
            found = [exc.message, *(m for ms in exc.fields.values() for m in ms)]
            errors = {"__all__": list(dict.fromkeys(found))}
        else:
            messages.success(
                request,
                _("Version %(n)d is current again: new requests start on it.") % {"n": version.number},
            )
            return _back(process_key, version)
    return _page(request, process_key, errors=errors, values=values)
