"""What the analyst's flow pages show (editor_views.py, version_views.py, migration_views.py): the
modeler's words in the page's language, the BPMN element types and names as the pages say them, the
keyboard's element tools, the versions of a flow with the requests on them, and what a deploy leaves behind.
The views only handle the request and render.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404
from django.utils.translation import gettext_lazy, ngettext

from backend.core.language import quoted
from backend.core.models import AuditLog
from backend.requests_app.catalogue import kind_label, stage_label
from portal_ui.editor_panel import editor_contract, timer_help
from workflows import selectors, services, versioning
from workflows.models import ProcessInstance, ProcessVersion
from workflows.outcome_labels import outcome_labels

INSTANCES_SHOWN = 50
# A count the script learns from the API needs its sentence in each plural category the browser's
# Intl.PluralRules may name (English: one, other; Polish: one, few, many): a sample count picks each.
PLURAL_SAMPLES = (("one", 1), ("few", 2), ("many", 5), ("other", 5))


def plural_texts(sentence: Callable[[int], str]) -> dict[str, str]:
    """The sentence (an ngettext of a count) for every plural category, for a script to pick with
    Intl.PluralRules."""
    return {category: sentence(sample) for category, sample in PLURAL_SAMPLES}


# What the modeler's properties panel shows in English (its `translate` service, flow_editor.js): the
# element types of its header (uppercased by its CSS) and its groups and fields.
MODELER_TRANSLATIONS = {
    "Collaboration": gettext_lazy("Collaboration"),
    "Participant": gettext_lazy("Pool"),
    "Process": gettext_lazy("Process"),
    "Lane": gettext_lazy("Lane"),
    "Start Event": gettext_lazy("Start event"),
    "End Event": gettext_lazy("End event"),
    "Timer Boundary Event": gettext_lazy("Timer on the task"),
    # The panel's header of a non-interrupting timer (bpmn-js-properties-panel's getTypeLabel).
    "Timer Boundary Event (Non Interrupting)": gettext_lazy("Timer on the task (non-interrupting)"),
    "Timer Intermediate Catch Event": gettext_lazy("Timer"),
    # The palette's own kinds (palette_keys.js lists and says what it creates), before their type is set.
    "Task": gettext_lazy("Task"),
    "Intermediate Throw Event": gettext_lazy("Intermediate throw event"),
    "Sub Process": gettext_lazy("Sub-process"),
    "Data Object Reference": gettext_lazy("Data object"),
    "Data Store Reference": gettext_lazy("Data store"),
    "Group": gettext_lazy("Group"),
    "User Task": gettext_lazy("User task"),
    "Service Task": gettext_lazy("Service task"),
    "Script Task": gettext_lazy("Script task"),
    "Business Rule Task": gettext_lazy("Business rule task"),
    "Exclusive Gateway": gettext_lazy("Exclusive gateway"),
    "Parallel Gateway": gettext_lazy("Parallel gateway"),
    "Sequence Flow": gettext_lazy("Sequence flow"),
    "Conditional Flow": gettext_lazy("Conditional flow"),
    "Default Flow": gettext_lazy("Default flow"),
    "General": gettext_lazy("General"),
    "Documentation": gettext_lazy("Documentation"),
    "Element documentation": gettext_lazy("Element documentation"),
    "Process documentation": gettext_lazy("Process documentation"),
    "Name": gettext_lazy("Name"),
    "ID": gettext_lazy("ID"),
    # A pool's own fields (its process's are "Process name" / "Process ID").
    "Participant Name": gettext_lazy("Pool name"),
    "Participant ID": gettext_lazy("Pool ID"),
    "Process name": gettext_lazy("Process name"),
    "Process ID": gettext_lazy("Process ID"),
    "Executable": gettext_lazy("Executable"),
    "Version tag": gettext_lazy("Version tag"),
    "Timer": gettext_lazy("Timer"),
    "Condition": gettext_lazy("Condition"),
    "Extension properties": gettext_lazy("Extension properties"),
    # The palette, the context pad and the search (diagram-js and bpmn-js call the same service).
    "Activate hand tool": gettext_lazy("Activate hand tool"),
    "Activate lasso tool": gettext_lazy("Activate lasso tool"),
    "Activate create/remove space tool": gettext_lazy("Activate create/remove space tool"),
    "Activate global connect tool": gettext_lazy("Activate global connect tool"),
    "Create start event": gettext_lazy("Create start event"),
    "Create intermediate/boundary event": gettext_lazy("Create intermediate/boundary event"),
    "Create end event": gettext_lazy("Create end event"),
    "Create gateway": gettext_lazy("Create gateway"),
    "Create task": gettext_lazy("Create task"),
    "Create data object reference": gettext_lazy("Create data object reference"),
    "Create data store reference": gettext_lazy("Create data store reference"),
    "Create expanded sub-process": gettext_lazy("Create expanded sub-process"),
    "Create pool/participant": gettext_lazy("Create pool/participant"),
    "Create group": gettext_lazy("Create group"),
    "Append end event": gettext_lazy("Append end event"),
    "Append gateway": gettext_lazy("Append gateway"),
    "Append task": gettext_lazy("Append task"),
    "Append intermediate/boundary event": gettext_lazy("Append intermediate/boundary event"),
    "Append timer intermediate catch event": gettext_lazy("Append timer intermediate catch event"),
    "Change element": gettext_lazy("Change element"),
    "Connect to other element": gettext_lazy("Connect to other element"),
    "Add text annotation": gettext_lazy("Add text annotation"),
    "Add lane above": gettext_lazy("Add lane above"),
    "Add lane below": gettext_lazy("Add lane below"),
    "Divide into two lanes": gettext_lazy("Divide into two lanes"),
    "Divide into three lanes": gettext_lazy("Divide into three lanes"),
    "Delete": gettext_lazy("Delete"),
    "Search in diagram": gettext_lazy("Search in diagram"),
    "Align elements": gettext_lazy("Align elements"),
    "Distribute elements horizontally": gettext_lazy("Distribute elements horizontally"),
    "Distribute elements vertically": gettext_lazy("Distribute elements vertically"),
    "Toggle non-interrupting": gettext_lazy("Toggle non-interrupting"),
    # The panel with nothing or several elements selected, and its groups' fold buttons.
    "Select an element to edit its properties.": gettext_lazy("Select an element to edit its properties."),
    "Multiple elements are selected. Select a single element to edit its properties.": gettext_lazy(
        "Multiple elements are selected. Select a single element to edit its properties."
    ),
    "Toggle section": gettext_lazy("Toggle section"),
    # Tooltips the panel's groups and fields show (flow_editor_keys.js translates them in place).
    "Open pop-up editor": gettext_lazy("Open pop-up editor"),
    "Section contains edits": gettext_lazy("Section contains edits"),
    "Section contains an error": gettext_lazy("Section contains an error"),
}

# The BPMN element types of the portal's flows (deploy_rules.SUPPORTED_NODES and the sequence flow) as
# the panel names them, for the pages that list elements (versions, their differences).
ELEMENT_TYPES = {
    "startEvent": MODELER_TRANSLATIONS["Start Event"],
    "endEvent": MODELER_TRANSLATIONS["End Event"],
    "boundaryEvent": MODELER_TRANSLATIONS["Timer Boundary Event"],
    "intermediateCatchEvent": MODELER_TRANSLATIONS["Timer Intermediate Catch Event"],
    "userTask": MODELER_TRANSLATIONS["User Task"],
    "serviceTask": MODELER_TRANSLATIONS["Service Task"],
    "scriptTask": MODELER_TRANSLATIONS["Script Task"],
    "businessRuleTask": MODELER_TRANSLATIONS["Business Rule Task"],
    "exclusiveGateway": MODELER_TRANSLATIONS["Exclusive Gateway"],
    "parallelGateway": MODELER_TRANSLATIONS["Parallel Gateway"],
    "sequenceFlow": MODELER_TRANSLATIONS["Sequence Flow"],
    "participant": MODELER_TRANSLATIONS["Participant"],
    "lane": MODELER_TRANSLATIONS["Lane"],
}


def element_type_label(kind: str) -> str:
    """The element type as the panel names it in the page's language; an unknown type as it is."""
    return str(ELEMENT_TYPES.get(kind, kind))


def element_label(elements: dict[str, dict[str, str]], element_id: str) -> str:
    """How a page names an element (`elements`: versioning.element_infos of its version): by its name,
    by its type and id when it has none."""
    info = elements.get(element_id)
    if info is None:
        return element_id
    if info.get("name"):
        return quoted(info["name"])
    return f"{element_type_label(info['type'])} ({element_id})"


def element_namer() -> Callable[[ProcessVersion, str], str]:
    """element_label for the elements of several versions, each version's XML read once (a page of dry runs
    names the elements of the versions its requests run on and of the one they would move to)."""
    infos: dict[int, dict[str, dict[str, str]]] = {}

    def name(version: ProcessVersion, element_id: str) -> str:
        if version.pk not in infos:
            infos[version.pk] = versioning.element_infos(version.bpmn_xml)
        return element_label(infos[version.pk], element_id)

    return name


def named_dry_run(
    row: dict,
    from_version: ProcessVersion,
    to_version: ProcessVersion,
    name: Callable[[ProcessVersion, str], str],
) -> dict:
    """A dry run (versioning.dry_run_instance) as a page shows it: its tasks and timers by the names the
    analyst sees on the canvas (a removed one by its name in the version it leaves), ids kept beside."""

    def timers(key: str, version: ProcessVersion) -> list[dict]:
        return [{**timer, "name": name(version, timer["element_id"])} for timer in row[key]]

    return {
        **row,
        "added_names": [name(to_version, task) for task in row["tasks_added"]],
        "removed_names": [name(from_version, task) for task in row["tasks_removed"]],
        "timers_before": timers("timers_before", from_version),
        "timers_after": timers("timers_after", to_version),
        "timers_added": timers("timers_added", to_version),
    }


# What the keyboard's "Append after it" offers: the kinds of element a flow grows by.
APPEND_KINDS = ("userTask", "serviceTask", "exclusiveGateway", "endEvent")


def element_tools_context() -> dict:
    """The keyboard's element tools beside the diagram ("Diagram elements", "Append after it"): the kinds
    of element to append (their BPMN types and the panel's names for them)."""
    return {
        "append_types": [(f"bpmn:{kind[0].upper()}{kind[1:]}", ELEMENT_TYPES[kind]) for kind in APPEND_KINDS],
    }


def _version_rows(versions: list[ProcessVersion]) -> list[dict]:
    """Each version with the first requests on it (their stages named) and how many more there are."""
    rows = []
    for version in versions:
        instances = list(selectors.list_instances_of_version(version=version)[:INSTANCES_SHOWN])
        rows.append(
            {
                "version": version,
                "instances": [
                    {"instance": instance, "stage": stage_label(instance.stage, version_id=version.pk)}
                    for instance in instances
                ],
                "more": max(version.all_instances - len(instances), 0),
            }
        )
    return rows


def flow_editor_context(process_key: str) -> dict:
    """The editor page of a flow: the current version's diagram in the modeler, the versions with their
    requests, what a deploy leaves behind, and every text the editor's script says in the page's language.

    The current version, not the newest: after a rollback the newest is the one rolled back from, and
    editing on top of it would deploy its faults again. Newer versions stay a choice of the version list.
    """
    versions = with_moved_away(versions_or_404(process_key))
    current = current_of(versions)
    return {
        "process_key": process_key,
        "label": kind_label(process_key),
        "current": current,
        "newest": versions[0],
        "bpmn_xml": current.bpmn_xml,
        "rows": _version_rows(versions),
        "deploy_impact": deploy_impact(current, only_version=len(versions) == 1),
        "impact_texts": plural_texts(
            lambda count: ngettext(
                "%(count)s request runs on version %(n)s, the current one: %(tasks)s.",
                "%(count)s requests run on version %(n)s, the current one: %(tasks)s.",
                count,
            )
        ),
        "impact_count_texts": plural_texts(
            lambda count: ngettext(
                "%(count)s request runs on version %(n)s, the current one, at these steps:",
                "%(count)s requests run on version %(n)s, the current one, at these steps:",
                count,
            )
        ),
        # The dialog's next sentence: "it stays … moves it" for one request, "they stay … them" for more.
        # The way to move them is below the editor where the flow has other versions; with the current one
        # alone it appears there after the deploy (flow_editor.html shows it from two versions on).
        "impact_stay_texts": plural_texts(
            lambda count: ngettext(
                "It stays on version %(n)s until someone moves it (Move running requests to another version, "
                "below the editor).",
                "They stay on version %(n)s until someone moves them (Move running requests to another "
                "version, below the editor).",
                count,
            )
        ),
        "impact_stay_first_texts": plural_texts(
            lambda count: ngettext(
                "It stays on version %(n)s until someone moves it to the new version: after the deploy, Move "
                "running requests to another version appears below the editor.",
                "They stay on version %(n)s until someone moves them to the new version: after the deploy, "
                "Move running requests to another version appears below the editor.",
                count,
            )
        ),
        # After a deploy: what stays on the version that was current, in a sentence of its own.
        "deployed_stay_texts": plural_texts(
            lambda count: ngettext(
                "%(count)s request (%(tasks)s) stays on version %(n)s until someone moves it to another "
                "version.",
                "%(count)s requests (%(tasks)s) stay on version %(n)s until someone moves them to another "
                "version.",
                count,
            )
        ),
        **element_tools_context(),
        "modeler_translations": {english: str(text) for english, text in MODELER_TRANSLATIONS.items()},
        "heatmap_texts": plural_texts(
            lambda count: ngettext(
                "Version %(n)s: %(count)s request running now; badges show the requests at each step and "
                "the median time spent there.",
                "Version %(n)s: %(count)s requests running now; badges show the requests at each step and "
                "the median time spent there.",
                count,
            )
        ),
        # The file chooser refuses a larger file before reading it (the API refuses it too).
        "max_bpmn_bytes": services.MAX_BPMN_CHARS,
        "max_bpmn_megabytes": services.max_bpmn_megabytes(),
        # The timers' rules the test run holds this type to, said where the analyst sets a timer.
        "timer_help": timer_help(process_key),
        # What the properties panel offers by the type's contract: forms, decision tables, fixed timers.
        "editor_contract": editor_contract(process_key),
        # The panel's words for the outcomes, the same the deploy's and the test run's messages use.
        "outcome_labels": outcome_labels(),
    }


def list_flows() -> list[dict]:
    """Each process key with its current and newest versions and the running instances of every version."""
    flows: dict[str, dict] = {}
    current_ids = versioning.current_versions()
    for version in selectors.list_process_versions():
        flow = flows.setdefault(
            version.process_key,
            {
                "key": version.process_key,
                "label": kind_label(version.process_key),
                "newest": version,
                "versions": [],
                "running": 0,
            },
        )
        flow["versions"].append(version)
        flow["running"] += version.running_instances
        if current_ids.get(version.process_key) == version.pk:
            flow["current"] = version
    return list(flows.values())


def versions_or_404(process_key: str) -> list[ProcessVersion]:
    """Return the process's versions, newest first, with their instance counts."""
    versions = list(selectors.list_process_versions(process_key=process_key))
    if not versions:
        raise Http404
    return versions


def current_of(versions: list[ProcessVersion]) -> ProcessVersion:
    """The current version among the process's versions (newest first)."""
    current = versioning.current_version_id(versions[0].process_key)
    return next((v for v in versions if current is not None and v.pk == current[0]), versions[0])


# The audit row of every move of an instance to another version (workflows/steps.py, move_instance_to_version).
MOVE_AUDIT_ACTION = "workflow.migrate_instance"


def with_moved_away(versions: list[ProcessVersion]) -> list[ProcessVersion]:
    """Set `moved_away` on each version: the requests moved from it to another version.

    The instance counts are of the requests on a version now; without this a version whose requests were
    all moved away would read "0 in all", as if none had ever run on it. Counted from the moves' audit
    rows (indexed by action), one query.
    """
    if not versions:
        return versions
    moved = dict(
        AuditLog.objects.filter(action=MOVE_AUDIT_ACTION, detail__process_key=versions[0].process_key)
        .values_list("detail__from_version")
        .annotate(n=Count(KeyTextTransform("instance_id", "detail"), distinct=True))
    )
    for version in versions:
        version.moved_away = moved.get(version.number, 0)
    return versions


def running_on_older_versions(*, process_key: str, newest: ProcessVersion) -> QuerySet[ProcessInstance]:
    """Return the running instances of the process not on `newest` (its current version), oldest first."""
    # Read here rather than in workflows/selectors.py, which is being reworked; it only filters.
    return (
        ProcessInstance.objects.filter(
            process_version__process_key=process_key, status=ProcessInstance.Status.RUNNING
        )
        .exclude(process_version=newest)
        .select_related("process_version", "portal_request")
        .order_by("process_version__number", "pk")
    )


def deploy_impact(version: ProcessVersion, *, only_version: bool) -> dict:
    """The requests running on `version` (the current one), counted per task they are at: what the
    deploy's confirmation names, as they stay on it until moved. `only_version`: the flow has no other
    version yet, so nothing can be moved before the deploy (the confirmation says where to, after it)."""
    rows = (
        ProcessInstance.objects.filter(process_version=version, status=ProcessInstance.Status.RUNNING)
        .values("current_task_name", "stage")
        .annotate(n=Count("pk"))
        .order_by("-n", "current_task_name", "stage")
    )
    tasks: dict[str, int] = {}
    for row in rows:
        label = stage_label(row["current_task_name"] or row["stage"], version_id=version.pk) or "—"
        tasks[label] = tasks.get(label, 0) + row["n"]
    return {
        "number": version.number,
        "only_version": only_version,
        "total": sum(tasks.values()),
        "tasks": [{"label": label, "count": count} for label, count in tasks.items()],
    }


def instance_row(instance: ProcessInstance) -> dict:
    return {
        "instance": instance,
        "stage": stage_label(instance.stage, version_id=instance.process_version_id),
        "task": stage_label(instance.current_task_name, version_id=instance.process_version_id)
        if instance.current_task_name
        else "",
    }
