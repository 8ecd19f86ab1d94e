"""Analyst pages: the process flows with their versions, and the BPMN editor (bpmn-js in the browser).

Validation and deployment go through the analyst API (workflows/apis.py) from the editor's script.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from backend.requests_app.catalogue import STAGE_LABELS
from backend.requests_app.models import RequestKind
from portal_ui.access import analyst_required
from workflows import selectors

INSTANCES_SHOWN = 50


@analyst_required
def flow_list(request: HttpRequest) -> HttpResponse:
    """Each process key with its newest version and the running instances of every version."""
    flows: dict[str, dict] = {}
    for version in selectors.list_process_versions():
        flow = flows.setdefault(
            version.process_key,
            {
                "key": version.process_key,
                "label": RequestKind(version.process_key).label
                if version.process_key in RequestKind.values
                else version.process_key,
                "newest": version,
                "versions": [],
                "running": 0,
            },
        )
        flow["versions"].append(version)
        flow["running"] += version.running_instances
    return render(request, "portal_ui/editor/flow_list.html", {"flows": list(flows.values())})


@analyst_required
def flow_editor(request: HttpRequest, process_key: str) -> HttpResponse:
    """The newest version's diagram in the modeler, and which requests run on each version."""
    versions = list(selectors.list_process_versions(process_key=process_key))
    if not versions:
        raise Http404
    newest = selectors.get_process_version(version_id=versions[0].pk)
    rows = []
    for version in versions:
        instances = list(selectors.list_instances_of_version(version=version)[:INSTANCES_SHOWN])
        rows.append(
            {
                "version": version,
                "instances": [
                    {"instance": instance, "stage": STAGE_LABELS.get(instance.stage, instance.stage)}
                    for instance in instances
                ],
                "more": max(version.all_instances - len(instances), 0),
            }
        )
    return render(
        request,
        "portal_ui/editor/flow_editor.html",
        {
            "process_key": process_key,
            "label": RequestKind(process_key).label if process_key in RequestKind.values else process_key,
            "newest": newest,
            "bpmn_xml": newest.bpmn_xml,
            "rows": rows,
        },
    )
