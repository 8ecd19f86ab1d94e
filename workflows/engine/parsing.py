"""Parsing and validating a BPMN file into a ParsedProcess, and the per-version cache of parsed processes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from workflows.engine.bpmn_xml import (
    BPMN_NS,
    NSMAP,
    _element_at_line,
    _parse_tree,
    line_of,
    xml_syntax_message,
)
from workflows.engine.conventions import _check_process
from workflows.engine.errors import BpmnProblem, BpmnValidationError
from workflows.engine.results import ParsedProcess, UserTask

# The deploy rules run on the process element and the version's DMN tables (decision id → XML).
DeployChecks = Callable[[Any, dict[str, str]], list[BpmnProblem]]

# The most elements (flow nodes and sequence flows, with those of subprocesses) one process may hold; the
# shipped flows hold at most 58. SpiffWorkflow's parser follows the flows recursively (a chain of some 430
# tasks exceeds Python's recursion limit) and a few deploy rules grow with the flows: the bound keeps a
# pathological upload from holding a web worker, and the analyst is told what to change.
MAX_PROCESS_ELEMENTS = 500

# SpiffWorkflow's parser speaks English; the messages an analyst can meet are translated here.
_ENGINE_MESSAGES = {
    "No start event found": gettext_noop("The process has no start event."),
    "Invalid Script Task.  No Script Provided.": gettext_noop("The script task has no script."),
    "A Service Task must have an operator": gettext_noop("The service task names no operator."),
    "Non-default exclusive outgoing sequence flow without condition": gettext_noop(
        "An outgoing flow of the exclusive gateway has no condition and is not its default flow."
    ),
    "There is no support implemented for this task type.": gettext_noop(
        "This element type is not supported by the engine."
    ),
    "Unknown Time Specification": gettext_noop("The timer has an unknown time specification."),
    "Time Specification Error.": gettext_noop("The timer's time specification is invalid."),
    "No DMN Diagram available with id": gettext_noop(
        "The business rule task calls a decision table that is not shipped with this version."
    ),
}


def _engine_problem(element_id: str, detail: str, line: int | None, root) -> BpmnProblem:
    """Translate a SpiffWorkflow parser message; keep its element and line."""
    first = detail.split("\n")[0].strip()
    for english, message in _ENGINE_MESSAGES.items():
        if first.startswith(english):
            text = _(message)
            break
    else:
        text = _("The BPMN engine cannot read this element: %(detail)s") % {"detail": first}
    if not line and element_id:  # the parser does not always know the line: take the element's
        found = root.xpath("//*[@id=$id]", id=element_id)
        line = line_of(found[0]) if found else None
    return BpmnProblem(element_id or _element_at_line(root, line), text, line or None)


def validate_bpmn(
    xml: str | bytes,
    *,
    form_exists: Callable[[str], bool] | None = None,
    known_services: Iterable[str] | None = None,
    deploy_checks: DeployChecks | None = None,
    dmn: dict[str, str] | None = None,
) -> list[BpmnProblem]:
    """Return the problems of the file (empty when it can be deployed)."""
    try:
        parse_bpmn(
            xml,
            form_exists=form_exists,
            known_services=known_services,
            deploy_checks=deploy_checks,
            dmn=dmn,
        )
    except BpmnValidationError as exc:
        return exc.problems
    return []


def _add_dmn_tables(parser: SpiffBpmnParser, tables: dict[str, str]) -> None:
    """Hand each DMN table (workflows/dmn.py) to SpiffWorkflow's parser before the BPMN is parsed."""
    for decision_id, xml in tables.items():
        try:
            root = etree.fromstring(
                xml.encode("utf-8") if isinstance(xml, str) else xml,
                etree.XMLParser(resolve_entities=False, no_network=True),
            )
        except etree.XMLSyntaxError as exc:
            message = xml_syntax_message(exc, dmn=True)
            raise BpmnValidationError([BpmnProblem("", message, exc.lineno)]) from exc
        try:
            parser.add_dmn_xml(root, filename=f"{decision_id}.dmn")
        except ValidationException as exc:
            message = _("The DMN table %(decision)s cannot be read: %(detail)s") % {
                "decision": decision_id,
                "detail": str(exc).split("\n")[0],
            }
            raise BpmnValidationError([BpmnProblem(decision_id, message, exc.line_number or None)]) from exc


DMN_NAMESPACES = frozenset(SCHEMAS)  # DMN 1.1, 1.2 and 1.3, as SpiffWorkflow reads them


def dmn_schema_problems(root, decision_id: str) -> list[BpmnProblem]:
    """The DMN file's departure from its version's XML schema (workflows/dmn.py checks the rest)."""
    schema = SCHEMAS.get(etree.QName(root).namespace)
    if schema is None:
        return []
    try:
        BpmnValidator(schema).validate(root)
    except ValidationException as exc:
        message = _("The file does not follow the DMN schema: %(detail)s") % {"detail": exc}
        return [BpmnProblem(decision_id, message, exc.line_number or None)]
    return []


def _executable_process(root) -> tuple[Any, list[BpmnProblem]]:
    """The process to check and deploy, and the file-level problem of several executable processes.

    With several, the first one is still checked (its problems are listed beside that one), so the
    analyst sees everything at once rather than one problem keyed to an arbitrary element.
    """
    processes = root.xpath("./bpmn:process", namespaces=NSMAP)
    if not processes:
        raise BpmnValidationError([BpmnProblem("", _("The file holds no BPMN process."))])
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    if len(executable) == 1:
        return executable[0], []
    pools = {
        participant.get("processRef"): " ".join((participant.get("name") or "").split())
        for participant in root.xpath("./bpmn:collaboration/bpmn:participant", namespaces=NSMAP)
    }
    described = ", ".join(
        _("%(process)s (pool “%(pool)s”)") % {"process": p.get("id", ""), "pool": pools[p.get("id")]}
        if pools.get(p.get("id"))
        else p.get("id", "")
        for p in executable
    )
    message = _(
        "The file holds %(count)d executable processes: %(processes)s. The portal deploys one process per "
        "file: delete the other pools (or their processes) and keep the one of this flow. The problems "
        "listed beside this one are those of %(first)s."
    ) % {"count": len(executable), "processes": described, "first": executable[0].get("id", "")}
    return executable[0], [BpmnProblem("", message, line_of(executable[1]))]


def _refuse_too_many_elements(process) -> None:
    """Refuse a process of more than MAX_PROCESS_ELEMENTS elements before anything reads its flows."""
    count = sum(1 for element in process.iter() if isinstance(element.tag, str) and element.get("id"))
    if count > MAX_PROCESS_ELEMENTS:
        message = _(
            "The process is too large for the portal: it holds %(count)s elements (tasks, events, gateways "
            "and flows), at most %(limit)s are allowed. Split it or remove the elements its requests do not "
            "need."
        ) % {"count": count, "limit": MAX_PROCESS_ELEMENTS}
        raise BpmnValidationError([BpmnProblem(process.get("id", ""), message, line_of(process))])


def executable_process_id(xml: str | bytes) -> str | None:
    """The id of the file's executable process, or None when the file names none (parse_bpmn says why)."""
    try:
        process, several = _executable_process(_parse_tree(xml))
    except BpmnValidationError:
        return None
    return None if several else process.get("id", "")


def parse_bpmn(
    xml: str | bytes,
    *,
    form_exists: Callable[[str], bool] | None = None,
    known_services: Iterable[str] | None = None,
    portal_rules: bool = True,
    deploy_checks: DeployChecks | None = None,
    dmn: dict[str, str] | None = None,
) -> ParsedProcess:
    """Validate (XSD + our rules) and parse; raise BpmnValidationError naming the elements at fault.

    `dmn` (decision id → DMN XML, workflows/dmn.py) are the decision tables the version's business-rule
    tasks call; at deploy each table is checked too.

    `portal_rules=False` skips the portal's own conventions (lanes, forms, gateways, timers) and only
    checks what SpiffWorkflow needs; used to look at third-party files. `deploy_checks` (the deploy rules
    of workflows/deploy_rules.py: the lifecycle contract, the DMN tables) is given at deploy only, so
    versions deployed before a rule existed still load; passed in, so the engine imports no rule module.
    """
    root = _parse_tree(xml)
    if etree.QName(root).namespace != BPMN_NS or etree.QName(root).localname != "definitions":
        raise BpmnValidationError(
            [BpmnProblem("", _("The root element must be bpmn:definitions."), line_of(root))]
        )
    try:
        VALIDATOR.validate(root)
    except ValidationException as exc:
        line = exc.line_number or None
        raise BpmnValidationError(
            [
                BpmnProblem(
                    _element_at_line(root, line),
                    _("The file does not follow the BPMN schema: %(detail)s") % {"detail": exc},
                    line,
                )
            ]
        ) from exc
    process, problems = _executable_process(root)
    _refuse_too_many_elements(process)
    if portal_rules:
        problems += _check_process(process, form_exists=form_exists, known_services=known_services)
    if deploy_checks is not None:
        problems += deploy_checks(process, dmn or {})
    if problems:
        raise BpmnValidationError(problems)

    process_key = process.get("id")
    parser = SpiffBpmnParser()
    if dmn:
        _add_dmn_tables(parser, dmn)
    try:
        parser.add_bpmn_xml(root)
        spec = parser.get_spec(process_key)
        subprocess_specs = parser.get_subprocess_specs(process_key)
    except ValidationException as exc:
        raise BpmnValidationError(
            [_engine_problem(exc.id or "", str(exc), exc.line_number or None, root)]
        ) from exc
    except SpiffWorkflowException as exc:
        raise BpmnValidationError(
            [_engine_problem(getattr(exc, "id", "") or "", str(exc), getattr(exc, "line_number", None), root)]
        ) from exc
    except Exception as exc:  # A parser bug must not become a 500: report it against the file.
        raise BpmnValidationError(
            [BpmnProblem("", _("The file cannot be parsed: %(detail)s") % {"detail": repr(exc)})]
        ) from exc

    user_tasks: dict[str, UserTask] = {}
    service_operations: dict[str, str] = {}
    stage_titles: dict[str, tuple[str, str]] = {}
    end_outcomes: dict[str, str] = {}
    zero = UUID(int=0)
    for task_spec in spec.task_specs.values():
        bpmn_id = getattr(task_spec, "bpmn_id", None)
        if bpmn_id is None:
            continue
        if task_spec.manual or isinstance(task_spec, EndEvent):
            props = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
            title = task_spec.bpmn_name or bpmn_id
            stage_titles[bpmn_id] = (title, props.get("titleEn", title))
            if isinstance(task_spec, EndEvent):
                end_outcomes[bpmn_id] = props.get("outcome", "")
        if task_spec.manual:
            props = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
            user_tasks[bpmn_id] = UserTask(
                id=zero,
                name=bpmn_id,
                lane=task_spec.lane or "",
                form_key=props.get("formKey", ""),
                title_pl=task_spec.bpmn_name or bpmn_id,
                title_en=props.get("titleEn", task_spec.bpmn_name or bpmn_id),
            )
        operation = getattr(task_spec, "operation_name", None)
        if operation:
            service_operations[bpmn_id] = operation
    return ParsedProcess(
        process_key=process_key,
        spec=spec,
        subprocess_specs=subprocess_specs,
        user_tasks=user_tasks,
        service_operations=service_operations,
        form_keys=tuple(sorted({t.form_key for t in user_tasks.values() if t.form_key})),
        stage_titles=stage_titles,
        end_outcomes=end_outcomes,
    )


# Parsed specs per process version. Versions are immutable, so a per-process cache keyed by the
# version id never goes stale, whichever process wrote the row.
_cache: dict[Any, ParsedProcess] = {}
_cache_lock = threading.Lock()


def get_cached_process(cache_key: Any, xml: str | bytes, dmn: dict[str, str] | None = None) -> ParsedProcess:
    """Return the parsed process for an immutable version (with its DMN tables), parsing it once per
    worker process."""
    process = _cache.get(cache_key)
    if process is None:
        # Checked when deployed; rules added since refuse at run time (a condition the engine bounds
        # now is refused when evaluated), so every stored version still loads.
        process = parse_bpmn(xml, dmn=dmn, portal_rules=False)
        with _cache_lock:
            _cache.setdefault(cache_key, process)
    return _cache[cache_key]


def clear_process_cache() -> None:
    with _cache_lock:
        _cache.clear()
