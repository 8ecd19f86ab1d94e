"""Deploying BPMN files as process versions, and reading deployed versions (cached per process).

A version never changes once stored: deploy validates the file (engine, contract, deploy rules), runs its
test run and stores it with its forms; `get_version` (and versioning.parsed, the spec) then serve steps
from a per-process cache.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from lxml import etree

from backend.core.exceptions import Conflict, PortalValidationError
from backend.core.language import active_lang, quoted
from backend.core.money import format_datetime
from workflows import engine, simulation
from workflows.contract import CONTRACTS
from workflows.deploy_graph import ProcessGraph
from workflows.deploy_rules import deploy_checks
from workflows.forms import form_exists, load_form
from workflows.models import CurrentVersion, ProcessVersion
from workflows.service_tasks import registered_names
from workflows.version_content import BPMN_NS, content_checksum, version_with_content

# The largest diagram accepted (characters of XML); the shipped flows hold about 25 000.
MAX_BPMN_CHARS = 2_000_000


def max_bpmn_megabytes() -> str:
    """MAX_BPMN_CHARS for people: in MB (the editor refuses a larger file before reading it)."""
    return f"{MAX_BPMN_CHARS / 1_000_000:g}"


def bpmn_dir() -> Path:
    return Path(settings.BASE_DIR) / "bpmn"


def _in_reading_order(fields: dict[str, list[str]], xml: str) -> dict[str, list[str]]:
    """The problems of a file by element in the order the analyst reads its diagram (deploy_graph's
    reading_order), not in the order the rules found them: the file's own first, then the elements along
    the flow; ones the diagram does not hold (a decision table's rules) keep their order after them."""
    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return fields  # a file that does not parse has one problem: its syntax
    order: list[str] = []
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        order.extend(ProcessGraph(process).reading_order())
    # then every other element of the file (pools, lanes) in its order
    order.extend(
        element.get("id") for element in root.iter() if isinstance(element.tag, str) and element.get("id")
    )
    position: dict[str, int] = {}
    for element_id in order:
        position.setdefault(element_id, len(position))
    ranked = sorted(
        enumerate(fields),
        key=lambda item: (item[1] != "bpmn", position.get(item[1], len(position)), item[0]),
    )
    return {key: fields[key] for _index, key in ranked}


def bpmn_problems_error(
    problems: list[engine.BpmnProblem], dmn: dict[str, str] | None = None, xml: str = ""
) -> PortalValidationError:
    """The refusal of a file's problems, keyed by element; it says whether they lie in the diagram
    (`xml`), in its decision tables (`dmn`: decision id → XML) or in both."""
    from workflows.dmn import element_ids

    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.element_id or "bpmn", []).append(problem.message)
    fields = _in_reading_order(fields, xml)
    in_tables = element_ids(dmn or {}) - element_ids({"": xml} if xml else {})
    if fields and all(key in in_tables for key in fields):
        message = _("The decision table has errors.")
    elif any(key in in_tables for key in fields):
        message = _("The diagram and its decision tables have errors.")
    else:
        message = _("The BPMN file has errors.")
    return PortalValidationError(message, fields=fields)


def _form_schema(form_key: str) -> dict | None:
    return load_form(form_key) if form_exists(form_key) else None


@functools.cache
def shipped_task_names(process_key: str) -> dict[str, str]:
    """Operation → the name of the service task that runs it in the flow shipped as bpmn/<key>.bpmn:
    how a refusal names a task a version deleted (the analyst knows it by that name)."""
    path = builtin_process_files().get(process_key)
    if path is None:
        return {}
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    names: dict[str, str] = {}
    for task in root.iter(f"{{{BPMN_NS}}}serviceTask"):
        for operator in task.iter(f"{{{engine.SPIFF_NS}}}serviceTaskOperator"):
            if operator.get("id") and task.get("name"):
                names.setdefault(operator.get("id"), " ".join(task.get("name").split()))
    return names


def check_process_key(xml: str, expected: str | None) -> None:
    """Refuse a diagram of another process than `expected` (the flow the analyst edits), naming both.

    Checked before everything else: a valid diagram of another flow would otherwise deploy as a version
    of that flow. A file that names no process is left to the full parse, which says why.
    """
    found = engine.executable_process_id(xml)
    if not expected or found is None or found == expected:
        return
    if found in CONTRACTS:
        message = _(
            "The diagram's process is %(found)s, but this is the flow %(expected)s: open the flow %(found)s "
            "to deploy it, or open a diagram of %(expected)s here."
        ) % {"found": found, "expected": expected}
    elif pool := _pool_of(xml, found):
        # A file of another tool with pools (several, in some): the one whose process is deployed.
        message = _(
            "The diagram's process id is %(found)s, which is no flow of the portal: here it must be "
            "%(expected)s. Change it in the properties panel: select the pool %(pool)s and enter "
            "%(expected)s as the process ID."
        ) % {"found": found, "expected": expected, "pool": pool}
    else:
        # A file of another tool without a pool: no flow of that id to open, so say what the id must be.
        message = _(
            "The diagram's process id is %(found)s, which is no flow of the portal: here it must be "
            "%(expected)s. Change it in the properties panel: click an empty spot of the canvas and enter "
            "%(expected)s as the process ID."
        ) % {"found": found or "—", "expected": expected}
    raise PortalValidationError(message, fields={found or "bpmn": [message]})


def _pool_of(xml: str, process_id: str | None) -> str:
    """The pool drawing the process, by its name as the canvas shows it ("" without a pool)."""
    if not process_id:
        return ""
    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return ""
    for participant in root.iter(f"{{{BPMN_NS}}}participant"):
        if participant.get("processRef") == process_id:
            name = " ".join((participant.get("name") or "").split())
            return quoted(name) if name else participant.get("id", "")
    return ""


def parse_for_deploy(
    xml: str, dmn: dict[str, str] | None = None, *, process_key: str | None = None
) -> engine.ParsedProcess:
    """Parse with every check a deploy needs; raise PortalValidationError keyed by element id.

    Besides the engine's checks, the file must keep its request type's lifecycle contract
    (workflows/contract.py) and pass the deploy rules (workflows/deploy_rules.py). With `process_key`
    the diagram must be that process's (check_process_key).
    """
    from workflows.dmn import tables_for_deploy

    check_process_key(xml, process_key)
    dmn = tables_for_deploy(xml, dmn)  # the called tables: uploaded, else shipped in bpmn/dmn/
    try:
        return engine.parse_bpmn(
            xml,
            form_exists=form_exists,
            known_services=registered_names(),
            deploy_checks=deploy_checks(
                contracts=CONTRACTS, form_schema=_form_schema, task_names=shipped_task_names
            ),
            dmn=dmn,
        )
    except engine.BpmnValidationError as exc:
        raise bpmn_problems_error(exc.problems, dmn, xml) from exc


@dataclass(frozen=True)
class DeployCheck:
    """A diagram that passed every check of a deploy: parsed, with its forms, tables and test run."""

    process: engine.ParsedProcess
    forms: dict[str, dict]
    dmn: dict[str, str] | None
    test_run: simulation.TestRun


def check_deployable(
    xml: str, dmn: dict[str, str] | None = None, *, process_key: str | None = None, validating: bool = False
) -> DeployCheck:
    """Every check a deploy makes, storing nothing: the process key, the engine's parse with the deploy
    rules, then the test run. Raises PortalValidationError keyed by element id. The editor's Validate runs
    it too (`validating`: its refusal does not speak of a version, Validate never stores one), so "valid"
    means a deploy of the same diagram passes."""
    from workflows import versioning
    from workflows.dmn import tables_for_deploy

    check_process_key(xml, process_key)
    # The decision tables go with the version: uploaded ones, else the shipped bpmn/dmn/<id>.dmn.
    dmn = tables_for_deploy(xml, dmn)
    process = parse_for_deploy(xml, dmn)
    forms = {key: load_form(key) for key in process.form_keys}
    run = versioning.run_test(process, forms)
    if not run.passed:
        raise versioning.test_run_error(
            run,
            # Validate names itself: the analyst pressed Validate, not Test run.
            _(
                "Validation failed: the test run stopped on some paths, so this diagram cannot be deployed "
                "as it is."
            )
            if validating
            else _("The test run failed, so this diagram cannot be deployed: no version was stored."),
        )
    return DeployCheck(process, forms, dmn, run)


def deployed_version_of(
    xml: str, dmn: dict[str, str] | None = None, *, process_key: str | None = None
) -> ProcessVersion | None:
    """The version already holding this content, by the rule a deploy answers "already deployed" by
    (content_checksum of the diagram, its forms and its tables), or None. The editor asks before its
    deploy dialog, so that the dialog can say nothing changed. Storing nothing and running no test run;
    a diagram that does not parse is no version's content."""
    from workflows.dmn import tables_for_deploy

    dmn = tables_for_deploy(xml, dmn)
    try:
        process = parse_for_deploy(xml, dmn, process_key=process_key)
    except PortalValidationError:
        return None
    forms = {key: load_form(key) for key in process.form_keys}
    return version_with_content(process.process_key, content_checksum(xml, forms, dmn))


class VersionChanged(Conflict):
    """Another version became current after the edit began: deploying would drop its changes."""

    code = "version_changed"


class OldVersionContent(Conflict):
    """The content is that of a version which is not current: making it current is a rollback."""

    code = "old_version_content"


def base_version(process_key: str | None, base_version_id: int | None) -> ProcessVersion | None:
    """The version an edit began on (None without one), refused unless it is a version of `process_key`."""
    if base_version_id is None:
        return None
    base = ProcessVersion.objects.filter(pk=base_version_id).first()
    if base is None or (process_key and base.process_key != process_key):
        message = _("Choose a version of this flow.")
        raise PortalValidationError(message, fields={"base_version_id": [message]})
    return base


def check_still_current(base: ProcessVersion | None) -> None:
    """Refuse (409 version_changed) when `base`, current when the edit began, is current no more.

    Two people editing the same version would otherwise each deploy their copy, the later one silently
    dropping the earlier one's changes. Inside a transaction the current-version row is locked first,
    so a deploy racing this one is seen (make_current locks the same row).
    """
    if base is None:
        return
    rows = CurrentVersion.objects.filter(process_key=base.process_key)
    if transaction.get_connection().in_atomic_block:
        list(rows.select_for_update().values_list("pk", flat=True))
    from workflows import versioning

    current = versioning.current_version_id(base.process_key)
    if current is None or current[0] == base.pk:
        return
    version = ProcessVersion.objects.select_related("deployed_by").get(pk=current[0])
    row = rows.select_related("changed_by").first()
    who = (row.changed_by if row is not None else None) or version.deployed_by
    when = row.changed_at if row is not None else version.deployed_at
    raise VersionChanged(
        _(
            "Version %(n)s became current on %(when)s (%(who)s) after this edit began on version %(base)s. "
            "Nothing was deployed, so its changes are not overwritten: keep your diagram, open version "
            "%(n)s and carry your changes over to it."
        )
        % {
            "n": version.number,
            "base": base.number,
            "when": format_datetime(when, lang=active_lang()),
            "who": who.email if who is not None else "—",
        }
    )


def deploy_bpmn_version(
    *,
    xml: str,
    by=None,
    request=None,
    dmn: dict[str, str] | None = None,
    process_key: str | None = None,
    base_version_id: int | None = None,
) -> ProcessVersion:
    """Validate, test-run and store the BPMN as the next version of its process, and make it current.

    The same content as the current version (content_checksum: serialization aside) gives that version,
    unchanged; the content of another version is refused (OldVersionContent): making an old version
    current is a rollback, with its reason (workflows/rollback.py). A failed test run refuses the deploy
    (PortalValidationError keyed by the element each failing path stopped at); the version's test run
    result is kept on it (`test_run`). With `process_key` the diagram must be that process's (the editor
    of one flow deploys that flow only); with `base_version_id` (the version current when the edit
    began) another version made current since refuses it (VersionChanged). Without it a deploy is not
    checked against one made in between.
    """
    from workflows import versioning

    base = base_version(process_key, base_version_id)
    check_still_current(base)  # before the test run: a refusal that costs nothing
    checked = check_deployable(xml, dmn, process_key=process_key or (base.process_key if base else None))
    process, forms, dmn, run = checked.process, checked.forms, checked.dmn, checked.test_run
    checksum = content_checksum(xml, forms, dmn)
    existing = version_with_content(process.process_key, checksum)
    if existing is not None:
        return _already_deployed(existing, run=run)
    try:
        with transaction.atomic():
            check_still_current(base)  # again, with the current version locked
            last = ProcessVersion.objects.filter(process_key=process.process_key).aggregate(n=Max("number"))[
                "n"
            ]
            version = ProcessVersion.objects.create(
                process_key=process.process_key,
                number=(last or 0) + 1,
                bpmn_xml=xml,
                forms=forms,
                dmn=dmn,
                checksum=checksum,
                deployed_by=by if getattr(by, "pk", None) else None,
                test_run=run.to_dict(),
            )
            versioning.make_current(
                version=version, by=by, action=versioning.Activation.DEPLOY, request=request
            )
            return version
    except IntegrityError:
        # A concurrent deploy of the same file won the race.
        existing = version_with_content(process.process_key, checksum)
        if existing is None:
            raise Conflict() from None
        return _already_deployed(existing, run=run)


def _already_deployed(version: ProcessVersion, *, run) -> ProcessVersion:
    """Content deployed before: the current version's is that version (its test run refreshed); another
    version's is refused, naming the rollback, the one place an old version becomes current again."""
    from workflows import versioning

    current = versioning.current_version_id(version.process_key)
    if current is None or current[0] != version.pk:
        current_number = (
            ProcessVersion.objects.filter(pk=current[0]).values_list("number", flat=True).first()
            if current is not None
            else None
        )
        raise OldVersionContent(
            _(
                "This content is version %(n)s, which is not the current one (version %(current)s), so "
                "nothing was deployed. To make new requests start on version %(n)s again, roll it back "
                "under Versions, tests and rollback, giving a reason; to deploy a new version, change "
                "the diagram."
            )
            % {"n": version.number, "current": current_number or "—"}
        )
    ProcessVersion.objects.filter(pk=version.pk).update(test_run=run.to_dict())
    version.test_run = run.to_dict()
    return version


def builtin_process_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(bpmn_dir().glob("*.bpmn"))}


def deploy_builtin_processes(**kwargs) -> list[ProcessVersion]:
    """Deploy each bpmn/*.bpmn as version 1 of its process when that process has no version yet.

    Idempotent; called after migrate (post_migrate) and lazily by `get_current_version`. A process
    that already has versions is left alone: new versions come from analysts, not from start-up.
    """
    deployed = []
    for key, path in builtin_process_files().items():
        if not ProcessVersion.objects.filter(process_key=key).exists():
            deployed.append(deploy_bpmn_version(xml=path.read_text(encoding="utf-8")))
    return deployed


# Deployed versions never change, so each process keeps the rows it has read: a step then reads only
# its instance row and the version's checksum, not the BPMN text and forms. The checksum is part of the
# key because an id can come back after a rolled-back deploy (SQLite reuses the highest rowid).
_versions: dict[tuple[int, str], ProcessVersion] = {}


def get_version(version_id: int, checksum: str) -> ProcessVersion:
    """Return the deployed version (id, checksum), from this process's cache after the first read."""
    version = _versions.get((version_id, checksum))
    if version is None:
        version = ProcessVersion.objects.filter(pk=version_id, checksum=checksum).first()
        if version is None:
            raise ProcessVersion.DoesNotExist(version_id)
        _versions[(version_id, checksum)] = version
    return version


def get_current_version(process_key: str) -> ProcessVersion:
    """Return the version new instances start on (deploying the built-in file if none exists yet).

    That is the current version (workflows/versioning.py), not necessarily the newest one.
    """
    from workflows import versioning

    current = versioning.current_version_id(process_key)
    if current is None:
        path = builtin_process_files().get(process_key)
        if path is None:
            raise LookupError(process_key)
        return deploy_bpmn_version(xml=path.read_text(encoding="utf-8"))
    return get_version(*current)
