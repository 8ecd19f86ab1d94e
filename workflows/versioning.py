"""Versions an analyst can trust: the current version per process, test runs, rollback, diffs, and
migration dry runs.

The current version (CurrentVersion) is the one new requests start on; it is separate from the newest
one. A deploy makes its version current only after its test run (workflows/simulation.py) passed;
deploying an older version's content is refused (deployment.OldVersionContent): a rollback, with its
reason, is the one way to make any other version of the process current. Every change of the current version is audited (who, from, to, why;
AuditLog keeps when).
"""

from __future__ import annotations

import ast

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from backend.core.exceptions import PortalValidationError
from backend.core.prepared_reads import PreparedRead
from workflows import engine, simulation, simulation_labels
from workflows.contract import get_contract
from workflows.engine.bpmn_xml import extension_properties
from workflows.models import CurrentVersion, ProcessInstance, ProcessVersion


class Activation:
    DEPLOY = "deploy"  # a new version
    REACTIVATE = "reactivate"  # older audit rows only: deploying old content was a silent rollback
    ROLLBACK = "rollback"  # an analyst chose an earlier (or any other) version


# --------------------------------------------------------------------------------------------------
# Test runs


def parsed(version: ProcessVersion) -> engine.ParsedProcess:
    """The version's parsed spec, from this process's cache after the first parse."""
    # The checksum is part of the key: an id reused after a rolled-back deploy never hits a stale spec.
    return engine.get_cached_process(
        ("process_version", version.pk, version.checksum), version.bpmn_xml, version.dmn or None
    )


def run_test(process: engine.ParsedProcess, forms: dict[str, dict]) -> simulation.TestRun:
    return simulation.run_test(process, contract=get_contract(process.process_key), forms=forms)


def test_run_error(run: simulation.TestRun, message: str | None = None) -> PortalValidationError:
    """The refusal of a version whose test run failed: each failing path under the element it stopped at.

    `message` says what was refused; by default a stored version that was not made current (a rollback).
    """
    # Paths that stopped at the same element for the same reason (a broken table stops all five) are
    # one problem, naming every path it stopped.
    stopped: dict[str, dict[str, list[str]]] = {}
    for path in run.failures():
        labels = stopped.setdefault(path.element_id or "bpmn", {}).setdefault(
            simulation_labels.path_reason(path), []
        )
        labels.append(simulation_labels.path_label(path))
    fields = {
        element: [f"{'; '.join(labels)}: {reason}" for reason, labels in reasons.items()]
        for element, reasons in stopped.items()
    }
    return PortalValidationError(
        message or _("The test run failed, so the version was not made current."), fields=fields
    )


def test_version(version: ProcessVersion) -> simulation.TestRun:
    """Run the version's test run without deploying anything; the result is kept on the version."""
    run = run_test(parsed(version), version.forms)
    ProcessVersion.objects.filter(pk=version.pk).update(test_run=run.to_dict())
    version.test_run = run.to_dict()
    return run


# --------------------------------------------------------------------------------------------------
# The current version


# Every submit reads it: compiled once per connection (backend/core/prepared_reads.py).
_CURRENT = PreparedRead(
    lambda process_key: (
        CurrentVersion.objects.filter(process_key=process_key)
        .only("version_id")
        .annotate(checksum=F("version__checksum"))[:1]
    ),
    strs=("process_key",),
)


def current_version_id(process_key: str) -> tuple[int, str] | None:
    """(id, checksum) of the current version, or of the newest when none was chosen yet."""
    current = _CURRENT.first(process_key=process_key)
    if current is not None:
        return current.version_id, current.checksum
    return (
        ProcessVersion.objects.filter(process_key=process_key)
        .order_by("-number")
        .values_list("pk", "checksum")
        .first()
    )


def current_versions() -> dict[str, int]:
    """Process key → id of its current version (the newest where none was chosen yet)."""
    current: dict[str, int] = {}
    for key, pk in ProcessVersion.objects.order_by("process_key", "-number").values_list("process_key", "pk"):
        current.setdefault(key, pk)
    current.update(dict(CurrentVersion.objects.values_list("process_key", "version_id")))
    return current


def make_current(*, version: ProcessVersion, by=None, action: str, reason: str = "", request=None) -> bool:
    """Make `version` the one new requests start on; audit the change. False when it already was."""
    from backend.core.services import record_audit

    with transaction.atomic():
        row = CurrentVersion.objects.select_for_update().filter(process_key=version.process_key).first()
        previous = row.version if row is not None else None
        if previous is not None and previous.pk == version.pk:
            return False
        if row is None:
            row = CurrentVersion(process_key=version.process_key)
        row.version = version
        row.changed_by = by if getattr(by, "pk", None) else None
        row.changed_at = timezone.now()
        row.save()
        # The first version of a built-in flow, deployed at start-up, is nobody's decision: not audited.
        if previous is not None or getattr(by, "pk", None):
            record_audit(
                action=f"workflow.{action}",
                request=request,
                user=by,
                process_key=version.process_key,
                from_version=previous.number if previous is not None else None,
                to_version=version.number,
                reason=reason,
            )
    return True


# --------------------------------------------------------------------------------------------------
# Differences between two versions


def _process_element(xml: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    processes = root.xpath("./bpmn:process[@isExecutable='true']", namespaces=engine.NSMAP) or root.xpath(
        "./bpmn:process", namespaces=engine.NSMAP
    )
    return processes[0]


def _text(element, path: str) -> str:
    found = element.xpath(path, namespaces=engine.NSMAP)
    if not found:
        return ""
    value = found[0]
    return (value if isinstance(value, str) else (value.text or "")).strip()


def _elements(xml: str) -> dict[str, dict[str, str]]:
    """Element id → what an analyst compares: type, name, condition, timer, form, service, ends."""
    process = _process_element(xml)
    lanes = {
        (ref.text or "").strip(): lane.get("name", "")
        for lane in process.xpath(".//bpmn:lane", namespaces=engine.NSMAP)
        for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=engine.NSMAP)
    }
    elements: dict[str, dict[str, str]] = {}
    for element in process.iter():
        if not isinstance(element.tag, str) or not element.get("id"):
            continue
        kind = etree.QName(element).localname
        if kind in {"lane", "laneSet", "timerEventDefinition", "conditionExpression", "process"}:
            continue
        if etree.QName(element).namespace != engine.BPMN_NS:
            continue
        props = extension_properties(element)
        info = {
            "type": kind,
            "name": element.get("name", ""),
            "lane": lanes.get(element.get("id"), ""),
            "condition": _text(element, "./bpmn:conditionExpression"),
            "from": element.get("sourceRef", ""),
            "to": element.get("targetRef", ""),
            "attached_to": element.get("attachedToRef", ""),
            "timer": _text(
                element,
                "./bpmn:timerEventDefinition/*[self::bpmn:timeDuration or self::bpmn:timeDate "
                "or self::bpmn:timeCycle]",
            ),
            "form": props.get("formKey", ""),
            "outcome": props.get("outcome", ""),
            "service": _text(element, "./bpmn:extensionElements/spiffworkflow:serviceTaskOperator/@id"),
            "script": _text(element, "./bpmn:script"),
            "default": element.get("default", ""),
        }
        elements[element.get("id")] = {k: v for k, v in info.items() if v or k in {"type", "name"}}
    return elements


def element_infos(xml: str) -> dict[str, dict[str, str]]:
    """Element id → its type and name (and what a diff compares), for pages that name elements."""
    return _elements(xml)


def diff_versions(old: ProcessVersion, new: ProcessVersion) -> dict:
    """What `new` adds, removes and changes against `old`, element by element."""
    before, after = _elements(old.bpmn_xml), _elements(new.bpmn_xml)
    added = [{"id": key, **after[key]} for key in sorted(after.keys() - before.keys())]
    removed = [{"id": key, **before[key]} for key in sorted(before.keys() - after.keys())]
    changed = []
    for key in sorted(before.keys() & after.keys()):
        fields = sorted(set(before[key]) | set(after[key]))
        changes = {
            name: {"from": before[key].get(name, ""), "to": after[key].get(name, "")}
            for name in fields
            if before[key].get(name, "") != after[key].get(name, "")
        }
        if changes:
            changed.append({"id": key, "type": after[key]["type"], "changes": changes})
    forms_changed = sorted(
        key for key in set(old.forms) | set(new.forms) if old.forms.get(key) != new.forms.get(key)
    )
    return {
        "from_version": old.number,
        "to_version": new.number,
        "added": added,
        "removed": removed,
        "changed": changed,
        "forms_changed": forms_changed,
        # DMN decision tables (business-rule tasks) whose content differs, by decision id.
        "dmn_changed": sorted(
            key
            for key in set(old.dmn or {}) | set(new.dmn or {})
            if (old.dmn or {}).get(key) != (new.dmn or {}).get(key)
        ),
        "same": not (added or removed or changed or forms_changed) and (old.dmn or {}) == (new.dmn or {}),
    }


# --------------------------------------------------------------------------------------------------
# Migration dry run


def _names_read(xml: str) -> set[str]:
    """Variables the version's conditions and scripts read (and do not set themselves)."""
    process = _process_element(xml)
    sources = [
        *(c.text or "" for c in process.xpath(".//bpmn:conditionExpression", namespaces=engine.NSMAP)),
        *(s.text or "" for s in process.xpath(".//bpmn:script", namespaces=engine.NSMAP)),
    ]
    read: set[str] = set()
    bound: set[str] = set()
    for source in sources:
        try:
            tree = ast.parse(source.strip() or "None")
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
    return read - bound - set(engine.SAFE_BUILTINS)


def _provided(version: ProcessVersion, process: engine.ParsedProcess) -> set[str]:
    """Variables the version's forms and service results provide while it runs."""
    names = {name for schema in version.forms.values() for name in schema.get("properties", {})}
    root = _process_element(version.bpmn_xml)
    names |= {
        op.get("resultVariable", "")
        for op in root.xpath(".//spiffworkflow:serviceTaskOperator", namespaces=engine.NSMAP)
    }
    contract = get_contract(process.process_key)
    return names | set(contract.start_variables if contract else ())


def _timers(timers: list[engine.TimerDue]) -> list[dict]:
    return [{"element_id": t.element_id, "attached_to": t.attached_to, "due": t.due} for t in timers]


def dry_run_instance(instance: ProcessInstance, to_version: ProcessVersion) -> dict:
    """Could the instance move to `to_version`, and what would change (nothing is written)."""
    from_version = instance.process_version
    row = {
        "instance_id": instance.pk,
        "request_number": getattr(getattr(instance, "portal_request", None), "number", "") or "",
        "from_version": from_version.number,
        "to_version": to_version.number,
        "stage": instance.stage,
        "can_move": False,
        "reason": "",
        "element_id": "",
        "tasks_added": [],
        "tasks_removed": [],
        "data_missing": [],
        "timers_before": [],
        "timers_after": [],
        "timers_added": [],  # timers the move starts (the new version's, on the task that waits)
    }
    if to_version.process_key != from_version.process_key:
        return {**row, "reason": _("Choose a version of the same process.")}
    if instance.status != ProcessInstance.Status.RUNNING:
        return {**row, "reason": _("Only a running request can move to another version.")}
    if to_version.pk == from_version.pk:
        return {**row, "reason": _("The request already runs on this version.")}
    old, new = parsed(from_version), parsed(to_version)
    # In the flow's order, as the analyst reads the diagram (user_tasks keeps the parser's flow order).
    row["tasks_added"] = [task for task in new.user_tasks if task not in old.user_tasks]
    row["tasks_removed"] = [task for task in old.user_tasks if task not in new.user_tasks]
    row["timers_before"] = _timers(engine.timer_due_times(old, instance.state))
    known = set(engine.describe(old, instance.state).data) | _provided(to_version, new)
    row["data_missing"] = sorted(_names_read(to_version.bpmn_xml) - known)
    calls: list[str] = []
    try:
        # Service tasks the move would run are answered by the test run's stand-in: a dry run changes nothing.
        result = engine.migrate_state(old, new, instance.state, services=simulation.stand_in_services(calls))
    except engine.WorkflowError as exc:
        return {**row, "reason": exc.message, "element_id": exc.element_id}
    row["timers_after"] = _timers(engine.timer_due_times(new, result.state))
    before = {t["element_id"] for t in row["timers_before"]}
    row["timers_added"] = [t for t in row["timers_after"] if t["element_id"] not in before]
    row["stage_after"] = result.stage
    return {**row, "can_move": True}


def instances_to_move(
    *,
    process_key: str,
    instance_ids: list[int] | None = None,
    from_version_id: int | None = None,
    stage: str = "",
    limit: int = 200,
):
    """Running instances of the process picked by ids or by a filter (version, stage); refused without
    either (400): a move or its dry run never takes every instance of a process by default."""
    if instance_ids is None and from_version_id is None and not stage:
        message = _("Pick instances by id or filter them by version or stage.")
        raise PortalValidationError(message, fields={"instance_ids": [message]})
    queryset = ProcessInstance.objects.filter(
        process_version__process_key=process_key, status=ProcessInstance.Status.RUNNING
    ).select_related("process_version", "portal_request")
    if instance_ids is not None:
        queryset = queryset.filter(pk__in=instance_ids)
    if from_version_id is not None:
        queryset = queryset.filter(process_version_id=from_version_id)
    if stage:
        queryset = queryset.filter(stage=stage)
    return queryset.order_by("process_version__number", "pk")[:limit]


def dry_run(*, to_version: ProcessVersion, instances) -> list[dict]:
    return [dry_run_instance(instance, to_version) for instance in instances]
