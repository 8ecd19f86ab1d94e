"""Analyst pages: the versions of one flow — which is current, which is newest, each one's test run per
path, its differences against the current version and against the one before it, and its requests — with "Test" and "Rollback".

Both actions go through workflows/versioning.py, the same services as the analyst API.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.language import quoted
from backend.requests_app.catalogue import kind_label
from portal_ui.access import analyst_required
from portal_ui.editor_context import element_label, element_type_label, versions_or_404, with_moved_away
from workflows import rollback, selectors, simulation, simulation_labels, versioning
from workflows.models import ProcessVersion
from workflows.outcome_labels import outcome_named

STATUS_LABELS = {
    simulation.PathStatus.PASSED: gettext_lazy("Passed"),
    simulation.PathStatus.FAILED: gettext_lazy("Failed"),
    simulation.PathStatus.SKIPPED: gettext_lazy("Not applicable"),
}


# What a difference between two versions compares (versioning._elements), as the panel names it.
DIFF_FIELDS = {
    "type": pgettext_lazy("version diff", "type"),
    "name": pgettext_lazy("version diff", "name"),
    "lane": pgettext_lazy("version diff", "lane"),
    "condition": pgettext_lazy("version diff", "condition"),
    "from": pgettext_lazy("version diff", "from"),
    "to": pgettext_lazy("version diff", "to"),
    "attached_to": pgettext_lazy("version diff", "on the task"),
    "timer": pgettext_lazy("version diff", "duration"),
    "form": pgettext_lazy("version diff", "form"),
    "outcome": pgettext_lazy("version diff", "outcome"),
    "service": pgettext_lazy("version diff", "operation"),
    "script": pgettext_lazy("version diff", "script"),
    "default": pgettext_lazy("version diff", "default flow"),
}
# Fields whose values are ids of other elements: shown by those elements' names.
ELEMENT_FIELDS = {"from", "to", "attached_to", "default"}


def _test_rows(test_run: dict, elements: dict[str, dict[str, str]]) -> list[dict]:
    """The stored test run's paths with their labels, for the table; where a path stopped or ended is
    named by the version's element names (`elements`)."""
    return [
        {
            **path,
            "label": simulation_labels.path_label(path),
            "reason": simulation_labels.path_reason(path),
            "status_label": STATUS_LABELS.get(path["status"], path["status"]),
            "where": element_label(elements, path.get("element_id", "")),
        }
        for path in (test_run or {}).get("paths", [])
    ]


def _value(field: str, value: str, elements: dict[str, dict[str, str]]) -> str:
    if not value:
        return "—"
    if field == "type":
        return element_type_label(value)
    if field in ELEMENT_FIELDS:
        return element_label(elements, value)
    if field == "outcome":
        return outcome_named(value)
    if field == "timer":
        value = value.strip().strip("\"'")  # "P14D": the engine's quotes are no part of the duration
    return quoted(value)


def _diff_view(diff: dict, before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> dict:
    """The difference in the analyst's words: counts with their plural forms, elements by type and name,
    the id only in brackets when an element has no name, changed fields by the panel's labels."""

    def element(item: dict, elements: dict) -> str:
        kind = element_type_label(item["type"])
        name = (elements.get(item["id"]) or {}).get("name") or item.get("name")
        return f"{kind} {quoted(name)}" if name else f"{kind} ({item['id']})"

    counts = [
        ngettext("%(n)d element added", "%(n)d elements added", len(diff["added"]))
        % {"n": len(diff["added"])},
        ngettext("%(n)d element removed", "%(n)d elements removed", len(diff["removed"]))
        % {"n": len(diff["removed"])},
        ngettext("%(n)d element changed", "%(n)d elements changed", len(diff["changed"]))
        % {"n": len(diff["changed"])},
    ]
    # Only the counts that are not zero ("1 element changed", not "0 added, 0 removed, 1 changed"); when
    # only forms or decision tables differ, the summary says the elements are the same.
    sizes = [len(diff["added"]), len(diff["removed"]), len(diff["changed"])]
    said = [count for count, size in zip(counts, sizes, strict=True) if size]
    return {
        "summary": ", ".join(said) or _("No element changed"),
        "added": [element(item, after) for item in diff["added"]],
        "removed": [element(item, before) for item in diff["removed"]],
        "changed": [
            {
                "element": element(item, after),
                "changes": [
                    {
                        "field": DIFF_FIELDS.get(field, field),
                        "from": _value(field, change["from"], before),
                        "to": _value(field, change["to"], after),
                    }
                    for field, change in item["changes"].items()
                ],
            }
            for item in diff["changed"]
        ],
    }


def _version_rows(versions: list[ProcessVersion], current_id: int | None) -> list[dict]:
    current = next((v for v in versions if v.pk == current_id), None)
    current_elements = versioning.element_infos(current.bpmn_xml) if current is not None else {}
    infos = {version.pk: versioning.element_infos(version.bpmn_xml) for version in versions}
    rows = []
    for index, version in enumerate(versions):
        elements = infos[version.pk]
        diff = changes = None
        if current is not None and version.pk != current.pk:
            diff = versioning.diff_versions(current, version)
            changes = _diff_view(diff, current_elements, elements)
        # What this version changed when it was deployed: against the one before it (versions are newest
        # first), the first version has none.
        previous = versions[index + 1] if index + 1 < len(versions) else None
        previous_diff = previous_changes = None
        if previous is not None:
            previous_diff = versioning.diff_versions(previous, version)
            previous_changes = _diff_view(previous_diff, infos[previous.pk], elements)
        rows.append(
            {
                "version": version,
                "previous": previous,
                "previous_diff": previous_diff,
                "previous_changes": previous_changes,
                "is_current": version.pk == current_id,
                "is_newest": version.pk == versions[0].pk,
                "tests": _test_rows(version.test_run, elements),
                "test_passed": (version.test_run or {}).get("passed"),
                "diff": diff,
                "changes": changes,
                "reason_id": f"reason-{version.number}",
                "confirm_id": f"confirm-{version.number}",
            }
        )
    return rows


def _page(
    request: HttpRequest, process_key: str, *, errors: dict | None = None, values: dict | None = None
) -> HttpResponse:
    versions = with_moved_away(versions_or_404(process_key))
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
            ngettext(
                "Version %(n)d failed its test run: %(count)d path stopped.",
                "Version %(n)d failed its test run: %(count)d paths stopped.",
                len(run.failures()),
            )
            % {"n": version.number, "count": len(run.failures())},
        )
    return _back(process_key, version)


@require_POST
@analyst_required
def version_rollback(request: HttpRequest, process_key: str, version_id: int) -> HttpResponse:
    """Make the version current again, with a reason and a confirmation."""
    version = _version_of(process_key, version_id)
    values = {
        "version": version.pk,
        "reason": request.POST.get("reason", "").strip()[:500],
        "confirm": bool(request.POST.get("confirm")),
    }
    errors: dict[str, list[str]] = {}
    if not values["confirm"]:
        errors["confirm"] = [_("Confirm that new requests start on this version.")]
    if not values["reason"]:
        errors["reason"] = [_("Say why the version is rolled back.")]
    if not errors:
        try:
            rollback.rollback(version=version, by=request.user, reason=values["reason"], request=request)
        except PortalValidationError as exc:
            # Each problem of the version's diagram says where, by the element's name in that version.
            elements = versioning.element_infos(version.bpmn_xml)
            found = [
                exc.message,
                *(
                    f"{element_label(elements, key)}: {message}" if key in elements else message
                    for key, problems in exc.fields.items()
                    for message in problems
                ),
            ]
            errors = {"__all__": list(dict.fromkeys(found))}
        else:
            messages.success(
                request,
                _("Version %(n)d is current again: new requests start on it.") % {"n": version.number},
            )
            return _back(process_key, version)
    return _page(request, process_key, errors=errors, values=values)
