"""The engine facade: the only module that touches SpiffWorkflow.

Plain data in and out. Nothing here uses Django but gettext for the messages analysts read (translated
when the problem is raised, in the request's language), so the functions can be benchmarked bare:

    process = parse_bpmn(xml)                      # validated, parsed once per process version
    result = start_instance(process, data={...}, services=call)
    result = complete_user_task(process, result.state, task_id, {...}, services=call)
    result = fire_due_timers(process, result.state, services=call)
    timer_due_times(process, result.state)        # the waiting timers and when each falls due
    fire_timers_due_by(process, state, at, ...)    # a simulated clock (the test run of workflows/simulation.py)

`state` is the JSON-ready serialized instance WITHOUT the spec (the spec lives once per process
version, cached by `get_cached_process`). `services(name, params, data) -> dict` runs the Python
function registered for a BPMN service task (see workflows/service_tasks.py).

Conventions the BPMN files follow (checked by `validate_bpmn`):
- every user task lies in a lane named Client, Staff or System and names its form with
  `<spiffworkflow:property name="formKey" value="<process>/<task>"/>`; the JSON Schema is
  bpmn/forms/<formKey>.json. `name` is the Polish title, property `titleEn` the English one;
- every exclusive gateway has a default flow or a condition on each outgoing flow;
- timer expressions are quoted ISO-8601 durations or dates ("P14D"): SpiffWorkflow evaluates them
  as Python expressions, so an unquoted P14D would only fail when the timer starts;
- service tasks use `<spiffworkflow:serviceTaskOperator id="<registered function>">`.
`migrate_state` keeps the clocks: a timer keeps its due time across a move to another version.
At deploy, `parse_bpmn(..., contracts=...)` adds the request types' lifecycle contract and the rules of
workflows/deploy_rules.py. One engine call runs at most STEP_BUDGET automatic steps.
"""

from __future__ import annotations

import ast
import builtins
import functools
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NSMAP = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
LANES = ("Client", "Staff", "System")
WAITING_FOR_BY_LANE = {"Client": "client", "Staff": "staff"}
# Our storage format: SpiffWorkflow's serializer version plus our spec-less envelope.
SERIALIZER_VERSION = f"{SPIFF_SERIALIZER_VERSION}-nospec-1"

ServiceCall = Callable[[str, dict, dict], dict]


def no_services(name: str, params: dict, data: dict) -> dict:
    """A service runner that does nothing: for benchmarks and engine-only tests."""
    return {}


# --------------------------------------------------------------------------------------------------
# Plain data returned by the facade


@dataclass(frozen=True)
class UserTask:
    id: UUID
    name: str  # BPMN element id, e.g. "staff_review"
    lane: str  # "Client" | "Staff" | "System"
    form_key: str  # "payment_date_change/staff_review" → bpmn/forms/<form_key>.json
    title_pl: str
    title_en: str


@dataclass(frozen=True)
class BpmnProblem:
    element_id: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"[{self.element_id}] " if self.element_id else ""
        if self.line:
            return _("%(problem)s (line %(line)d)") % {"problem": f"{where}{self.message}", "line": self.line}
        return f"{where}{self.message}"


class BpmnValidationError(Exception):
    """The BPMN cannot be deployed; each problem names the element."""

    def __init__(self, problems: list[BpmnProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class WorkflowError(Exception):
    """An engine step failed; `element_id` names the BPMN element that failed."""

    def __init__(self, message: str, *, element_id: str = ""):
        self.element_id = element_id
        super().__init__(f"[{element_id}] {message}" if element_id else message)


class TaskNotReadyError(WorkflowError):
    """The task does not exist or is not ready (already completed by someone else)."""


class UnsafeScriptError(WorkflowError):
    """A BPMN script or expression uses something the restricted environment forbids."""


class StepBudgetExceeded(WorkflowError):
    """The engine ran more automatic steps in one call than any sane flow needs (an endless loop)."""


# Automatic steps (gateways, scripts, service tasks, events) one call may run before it is stopped.
STEP_BUDGET = 200


@dataclass(frozen=True)
class ParsedProcess:
    """A parsed, validated process: the spec plus what the portal needs to know about its tasks."""

    process_key: str
    spec: Any = field(repr=False)
    subprocess_specs: dict = field(repr=False)
    user_tasks: dict[str, UserTask]  # element id → task template (id is a zero UUID)
    service_operations: dict[str, str]  # element id → registered function name
    form_keys: tuple[str, ...]
    # user task and end event id → (Polish `name`, English property `titleEn`): the stage labels
    stage_titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    end_outcomes: dict[str, str] = field(default_factory=dict)  # end event id → outcome property


@dataclass(frozen=True)
class StepResult:
    state: dict
    stage: str  # id of the ready user task, or of the end event reached, or "cancelled"
    waiting_for: str  # client | staff | nobody
    ready_tasks: list[UserTask]
    next_timer_due: datetime | None
    completed: bool
    cancelled: bool
    ran: list[str]  # element ids run during this step, in order
    data: dict  # the data of the last task run (what the process knows now)
    outcome: str = ""  # the outcome property of the deciding end event, once completed


# --------------------------------------------------------------------------------------------------
# Restricted script environment

SAFE_BUILTINS = {
    name: getattr(builtins, name)
    for name in [
        "abs",
        "all",
        "any",
        "bool",
        "dict",
        "enumerate",
        "float",
        "int",
        "isinstance",
        "len",
        "list",
        "max",
        "min",
        "range",
        "round",
        "set",
        "sorted",
        "str",
        "sum",
        "tuple",
        "zip",
        "True",
        "False",
        "None",
    ]
}


def check_script_safety(source: str, *, element_id: str = "") -> None:
    """Reject imports and dunder access: scripts only compute with task data."""
    problem = _script_problem(source)
    if problem:
        message, params = problem
        raise UnsafeScriptError(_(message) % params, element_id=element_id)


@functools.lru_cache(maxsize=1024)
def _script_problem(source: str) -> tuple[str, dict[str, str]] | None:
    """Return why the script is unsafe, or None (cached: the same expressions run on every step).

    The message is kept untranslated because the cache outlives the request and its language.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return gettext_noop("Syntax error in script: %(detail)s"), {"detail": str(exc.msg)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            return gettext_noop("Imports are not allowed in scripts."), {}
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            return gettext_noop("Private attributes are not allowed in scripts."), {}
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            return gettext_noop("Dunder names are not allowed in scripts."), {}
    return None


class RestrictedEnvironment(TaskDataEnvironment):
    """Safe builtins only; no imports; service tasks go to the registered Python functions."""

    def __init__(self, services: ServiceCall | None):
        super().__init__({"__builtins__": SAFE_BUILTINS})
        self.services = services

    def evaluate(self, expression, context, external_context=None):
        check_script_safety(expression)
        return super().evaluate(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        check_script_safety(script)
        return super().execute(script, context, external_context)


class PortalScriptEngine(PythonScriptEngine):
    def __init__(self, services: ServiceCall | None):
        super().__init__(environment=RestrictedEnvironment(services))

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        services = self.environment.services
        if services is None:
            raise WorkflowError(_("No service runner is configured."), element_id=task.task_spec.bpmn_id)
        params = {name: spec["value"] for name, spec in (operation_params or {}).items()}
        try:
            result = services(operation_name, params, dict(task.data))
        except Exception as exc:
            # Keep the domain error (e.g. an impossible schedule) for the caller to show.
            exc.bpmn_element_id = task.task_spec.bpmn_id
            raise
        return json.dumps(result or {}, default=str)


# --------------------------------------------------------------------------------------------------
# Parsing and validation


def _line_of(element) -> int | None:
    return getattr(element, "sourceline", None)


def _element_at_line(root, line: int | None) -> str:
    if not line:
        return ""
    best = ""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.sourceline and element.sourceline <= line and element.get("id"):
            best = element.get("id")
        if element.sourceline and element.sourceline > line:
            break
    return best


def _to_bytes(xml: str | bytes) -> bytes:
    return xml.encode("utf-8") if isinstance(xml, str) else xml


def _parse_tree(xml: str | bytes):
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)
        return etree.fromstring(_to_bytes(xml), parser)
    except etree.XMLSyntaxError as exc:
        raise BpmnValidationError(
            [
                BpmnProblem(
                    "", _("The file is not well-formed XML: %(detail)s") % {"detail": exc.msg}, exc.lineno
                )
            ]
        ) from exc


def _properties(element) -> dict[str, str]:
    return {
        prop.get("name"): prop.get("value", "")
        for prop in element.xpath(
            "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NSMAP
        )
    }


def parse_timer_expression(expression: str) -> None:
    """Raise ValueError unless `expression` is a quoted ISO-8601 duration, date-time or cycle."""
    try:
        value = ast.literal_eval(expression.strip())
    except (ValueError, SyntaxError) as exc:
        raise ValueError(
            _('the timer expression %(expression)s must be a quoted string such as "P14D"')
            % {"expression": expression.strip()}
        ) from exc
    if not isinstance(value, str):
        raise ValueError(
            _("the timer expression %(expression)s must be a string") % {"expression": expression.strip()}
        )
    try:
        if value.upper().startswith("R"):
            TimerEventDefinition.parse_iso_recurring_interval(value)
        else:
            parsed = TimerEventDefinition.parse_time_or_duration(value)
            if isinstance(parsed, dict) and not parsed:
                raise ValueError("empty duration")
    except Exception as exc:
        raise ValueError(
            _('the timer expression "%(expression)s" is not a valid ISO-8601 duration or date')
            % {"expression": value}
        ) from exc


def _check_process(
    process, *, form_exists: Callable[[str], bool] | None, known_services: Iterable[str] | None
) -> list[BpmnProblem]:
    problems: list[BpmnProblem] = []
    root = process.getroottree().getroot()
    lane_of: dict[str, str] = {}
    for lane in process.xpath(".//bpmn:lane", namespaces=NSMAP):
        for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NSMAP):
            lane_of[(ref.text or "").strip()] = lane.get("name", "")

    for task in process.xpath(".//bpmn:userTask", namespaces=NSMAP):
        task_id = task.get("id", "")
        lane = lane_of.get(task_id)
        if lane not in LANES:
            problems.append(
                BpmnProblem(
                    task_id,
                    _("The user task must lie in a lane named Client, Staff or System."),
                    _line_of(task),
                )
            )
        form_key = _properties(task).get("formKey")
        if not form_key:
            problems.append(
                BpmnProblem(
                    task_id, _("The user task has no form (spiffworkflow property formKey)."), _line_of(task)
                )
            )
        elif form_exists is not None and not form_exists(form_key):
            problems.append(
                BpmnProblem(
                    task_id,
                    _('The form "%(form)s" does not exist in bpmn/forms.') % {"form": form_key},
                    _line_of(task),
                )
            )

    flows = {flow.get("id"): flow for flow in process.xpath(".//bpmn:sequenceFlow", namespaces=NSMAP)}
    for gateway in process.xpath(".//bpmn:exclusiveGateway", namespaces=NSMAP):
        outgoing = [f for f in flows.values() if f.get("sourceRef") == gateway.get("id")]
        if len(outgoing) < 2 or gateway.get("default"):
            continue
        for flow in outgoing:
            if not flow.xpath("./bpmn:conditionExpression", namespaces=NSMAP):
                problems.append(
                    BpmnProblem(
                        gateway.get("id", ""),
                        _("The exclusive gateway needs a default flow or a condition on flow %(flow)s.")
                        % {"flow": flow.get("id")},
                        _line_of(gateway),
                    )
                )

    for condition in process.xpath(".//bpmn:sequenceFlow/bpmn:conditionExpression", namespaces=NSMAP):
        flow_id = condition.getparent().get("id", "")
        try:
            check_script_safety(condition.text or "", element_id=flow_id)
        except UnsafeScriptError as exc:
            problems.append(BpmnProblem(flow_id, str(exc).split("] ", 1)[-1], _line_of(condition)))

    for script in process.xpath(".//bpmn:scriptTask/bpmn:script", namespaces=NSMAP):
        task_id = script.getparent().get("id", "")
        try:
            check_script_safety(script.text or "", element_id=task_id)
        except UnsafeScriptError as exc:
            problems.append(BpmnProblem(task_id, str(exc).split("] ", 1)[-1], _line_of(script)))

    for timer in process.xpath(".//bpmn:timerEventDefinition", namespaces=NSMAP):
        event = timer.getparent()
        expressions = timer.xpath(
            "./bpmn:timeDuration | ./bpmn:timeDate | ./bpmn:timeCycle", namespaces=NSMAP
        )
        if not expressions or not (expressions[0].text or "").strip():
            problems.append(
                BpmnProblem(event.get("id", ""), _("The timer has no expression."), _line_of(event))
            )
            continue
        try:
            parse_timer_expression(expressions[0].text)
        except ValueError as exc:
            problems.append(
                BpmnProblem(
                    event.get("id", ""), _("Invalid timer: %(reason)s.") % {"reason": exc}, _line_of(event)
                )
            )

    if known_services is not None:
        known = set(known_services)
        for task in process.xpath(".//bpmn:serviceTask", namespaces=NSMAP):
            operators = task.xpath(
                "./bpmn:extensionElements/spiffworkflow:serviceTaskOperator", namespaces=NSMAP
            )
            if not operators:
                problems.append(
                    BpmnProblem(task.get("id", ""), _("The service task names no operator."), _line_of(task))
                )
            elif operators[0].get("id") not in known:
                problems.append(
                    BpmnProblem(
                        task.get("id", ""),
                        _('The service task calls "%(function)s", which is not a registered function.')
                        % {"function": operators[0].get("id")},
                        _line_of(task),
                    )
                )
    del root
    return problems


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
        line = _line_of(found[0]) if found else None
    return BpmnProblem(element_id or _element_at_line(root, line), text, line or None)


def validate_bpmn(
    xml: str | bytes,
    *,
    form_exists: Callable[[str], bool] | None = None,
    known_services: Iterable[str] | None = None,
    contracts: dict | None = None,
    form_schema: Callable[[str], dict | None] | None = None,
) -> list[BpmnProblem]:
    """Return the problems of the file (empty when it can be deployed)."""
    try:
        parse_bpmn(
            xml,
            form_exists=form_exists,
            known_services=known_services,
            contracts=contracts,
            form_schema=form_schema,
        )
    except BpmnValidationError as exc:
        return exc.problems
    return []


def _executable_process(root):
    processes = root.xpath("./bpmn:process", namespaces=NSMAP)
    if not processes:
        raise BpmnValidationError([BpmnProblem("", _("The file holds no BPMN process."))])
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    if len(executable) > 1:
        ids = ", ".join(p.get("id", "") for p in executable)
        raise BpmnValidationError(
            [
                BpmnProblem(
                    executable[1].get("id", ""),
                    _("The file holds several executable processes (%(ids)s); deploy one per file.")
                    % {"ids": ids},
                )
            ]
        )
    return executable[0]


def parse_bpmn(
    xml: str | bytes,
    *,
    form_exists: Callable[[str], bool] | None = None,
    known_services: Iterable[str] | None = None,
    portal_rules: bool = True,
    contracts: dict | None = None,
    form_schema: Callable[[str], dict | None] | None = None,
) -> ParsedProcess:
    """Validate (XSD + our rules) and parse; raise BpmnValidationError naming the elements at fault.

    `portal_rules=False` skips the portal's own conventions (lanes, forms, gateways, timers) and only
    checks what SpiffWorkflow needs; used to look at third-party files. `contracts` (process key →
    workflows.contract.RequestTypeContract) adds the deploy rules of workflows/deploy_rules.py: given at
    deploy only, so versions deployed before a rule existed still load.
    """
    root = _parse_tree(xml)
    if etree.QName(root).namespace != BPMN_NS or etree.QName(root).localname != "definitions":
        raise BpmnValidationError(
            [BpmnProblem("", _("The root element must be bpmn:definitions."), _line_of(root))]
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
    process = _executable_process(root)
    problems = (
        _check_process(process, form_exists=form_exists, known_services=known_services)
        if portal_rules
        else []
    )
    if contracts is not None:
        from workflows.deploy_rules import check_deploy_rules  # it imports this module

        problems += check_deploy_rules(process, contracts=contracts, form_schema=form_schema)
    if problems:
        raise BpmnValidationError(problems)

    process_key = process.get("id")
    parser = SpiffBpmnParser()
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


def get_cached_process(cache_key: Any, xml: str | bytes) -> ParsedProcess:
    """Return the parsed process for an immutable version, parsing it once per worker process."""
    process = _cache.get(cache_key)
    if process is None:
        process = parse_bpmn(xml)
        with _cache_lock:
            _cache.setdefault(cache_key, process)
    return _cache[cache_key]


def clear_process_cache() -> None:
    with _cache_lock:
        _cache.clear()


# --------------------------------------------------------------------------------------------------
# Serialization without the spec


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """Leave the spec out of the state; take it from the cache when restoring."""

    def to_dict(self, workflow):
        dct = super().to_dict(workflow)
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        dct = dict(dct)
        dct["spec"] = None
        dct["subprocess_specs"] = {}
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_SPECLESS_CONFIG = dict(SPIFF_CONFIG)
_SPECLESS_CONFIG[BpmnWorkflow] = _SpeclessWorkflowConverter
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_SPECLESS_CONFIG))


def serialize(workflow: BpmnWorkflow) -> dict:
    return json.loads(_serializer.serialize_json(workflow))


def _parents_first(tasks: dict, root: str) -> dict:
    """Order a serialized task mapping so every parent comes before its children.

    SpiffWorkflow restores a task's data as a delta over its parent's, so the parent must be restored
    first. PostgreSQL's jsonb does not keep key order, so the stored order cannot be trusted.
    """
    ordered: dict = {}
    queue = [root]
    while queue:
        task_id = queue.pop(0)
        if task_id in ordered or task_id not in tasks:
            continue
        ordered[task_id] = tasks[task_id]
        queue.extend(tasks[task_id].get("children", []))
    for task_id, task in tasks.items():  # anything unreachable keeps its place at the end
        ordered.setdefault(task_id, task)
    return ordered


def deserialize(process: ParsedProcess, state: dict, *, services: ServiceCall | None = None) -> BpmnWorkflow:
    dct = json.loads(json.dumps(state))  # the serializer mutates what it restores
    dct["tasks"] = _parents_first(dct.get("tasks", {}), dct.get("root"))
    for subprocess in (dct.get("subprocesses") or {}).values():
        subprocess["tasks"] = _parents_first(subprocess.get("tasks", {}), subprocess.get("root"))
    _serializer.migrate(dct)
    workflow = _serializer.from_dict(dct, spec=process.spec, subprocess_specs=process.subprocess_specs)
    workflow.script_engine = PortalScriptEngine(services)
    return workflow


# --------------------------------------------------------------------------------------------------
# Running


def _user_task(process: ParsedProcess, task) -> UserTask:
    template = process.user_tasks.get(task.task_spec.bpmn_id)
    if template is None:
        return UserTask(
            task.id,
            task.task_spec.bpmn_id,
            task.task_spec.lane or "",
            "",
            task.task_spec.bpmn_id,
            task.task_spec.bpmn_id,
        )
    return UserTask(
        task.id, template.name, template.lane, template.form_key, template.title_pl, template.title_en
    )


def _ready_tasks(process: ParsedProcess, workflow: BpmnWorkflow, lane: str | None = None) -> list[UserTask]:
    tasks = workflow.get_tasks(state=TaskState.READY, manual=True)
    found = [_user_task(process, t) for t in tasks]
    return [t for t in found if lane is None or t.lane == lane]


def _next_timer_due(workflow: BpmnWorkflow) -> datetime | None:
    due: list[datetime] = []
    for event in workflow.waiting_events():
        if "Timer" not in event.event_type or not event.value:
            continue
        try:
            if isinstance(event.value, dict):  # cycle timers
                due.append(datetime.fromisoformat(event.value["next"]))
            else:
                due.append(TimerEventDefinition.get_datetime(event.value))
        except (ValueError, KeyError, TypeError):
            continue
    return min(due) if due else None


def _end_event_reached(workflow: BpmnWorkflow) -> tuple[str, str]:
    """Return the id and outcome of the end event that decided the outcome.

    End events carrying the spiffworkflow property `outcome` win over side branches (the reminder
    branch ends too, possibly in the same engine step as the timeout).
    """
    ends = [
        t
        for t in workflow.get_tasks(state=TaskState.COMPLETED)
        if isinstance(t.task_spec, EndEvent) and t.workflow is workflow
    ]
    if not ends:
        return "completed", ""

    def outcome(task) -> str:
        return (getattr(task.task_spec, "extensions", None) or {}).get("properties", {}).get("outcome", "")

    decisive = [t for t in ends if outcome(t)]
    end = max(decisive or ends, key=lambda t: t.last_state_change)
    return end.task_spec.bpmn_id, outcome(end)


def _result(
    process: ParsedProcess, workflow: BpmnWorkflow, ran: list[str], *, cancelled: bool = False
) -> StepResult:
    ready = [] if cancelled else _ready_tasks(process, workflow)
    completed = workflow.is_completed()
    outcome = ""
    if cancelled:
        stage, waiting_for = "cancelled", "nobody"
    elif completed:
        (stage, outcome), waiting_for = _end_event_reached(workflow), "nobody"
    elif ready:
        stage, waiting_for = ready[0].name, WAITING_FOR_BY_LANE.get(ready[0].lane, "nobody")
    else:
        stage, waiting_for = "waiting", "nobody"
    last = workflow.last_task
    data = dict(last.data) if last is not None else dict(workflow.data)
    return StepResult(
        state=serialize(workflow),
        stage=stage,
        waiting_for=waiting_for,
        ready_tasks=ready,
        next_timer_due=None if (completed or cancelled) else _next_timer_due(workflow),
        completed=completed or cancelled,
        cancelled=cancelled,
        ran=ran,
        data=data,
        outcome=outcome,
    )


def _run_engine(workflow: BpmnWorkflow, ran: list[str]) -> None:
    steps = 0

    def count(task):
        nonlocal steps
        steps += 1
        if steps > STEP_BUDGET:
            raise StepBudgetExceeded(
                _(
                    "The process ran more than %(limit)d automatic steps without waiting for anyone; "
                    "it probably loops."
                )
                % {"limit": STEP_BUDGET},
                element_id=getattr(task.task_spec, "bpmn_id", "") or "",
            )

    def record(task):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id:
            ran.append(bpmn_id)

    try:
        workflow.do_engine_steps(will_complete_task=count, did_complete_task=record)
    except SpiffWorkflowException as exc:
        original = getattr(exc, "exception", None)
        if original is not None and getattr(original, "bpmn_element_id", None):
            raise original from exc
        task = getattr(exc, "task", None)
        element = getattr(getattr(task, "task_spec", None), "bpmn_id", "") or ""
        raise WorkflowError(str(exc).split("\n")[0], element_id=element) from exc


def start_instance(
    process: ParsedProcess, *, data: dict | None = None, services: ServiceCall | None = None
) -> StepResult:
    """Create an instance with the start data and run it to its first wait."""
    workflow = BpmnWorkflow(
        process.spec, process.subprocess_specs, script_engine=PortalScriptEngine(services)
    )
    if data:
        workflow.task_tree.data.update(json.loads(json.dumps(data)))
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(json.loads(json.dumps(data)))
    ran: list[str] = []
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def ready_user_tasks(process: ParsedProcess, state: dict, *, lane: str | None = None) -> list[UserTask]:
    """Return the user tasks waiting for a person (optionally only one lane's)."""
    return _ready_tasks(process, deserialize(process, state), lane)


def ready_task_data(process: ParsedProcess, state: dict) -> dict[str, dict]:
    """The data each ready user task holds (element id → data): what the instance knows at its wait."""
    workflow = deserialize(process, state)
    return {
        task.task_spec.bpmn_id: dict(task.data)
        for task in workflow.get_tasks(state=TaskState.READY, manual=True)
    }


def describe(process: ParsedProcess, state: dict) -> StepResult:
    """Return stage, waiting-for and next timer of a stored state without running anything."""
    return _result(process, deserialize(process, state), [])


def complete_user_task(
    process: ParsedProcess,
    state: dict,
    task_id: UUID | str,
    data: dict,
    *,
    services: ServiceCall | None = None,
) -> StepResult:
    """Complete a ready user task with (already validated) data and run the engine to the next wait."""
    workflow = deserialize(process, state, services=services)
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except Exception:
        task = None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReadyError(
            _("The task is not ready."), element_id=getattr(getattr(task, "task_spec", None), "bpmn_id", "")
        )
    ran: list[str] = []
    task.set_data(**json.loads(json.dumps(data)))
    try:
        task.run()
    except SpiffWorkflowException as exc:
        raise WorkflowError(str(exc).split("\n")[0], element_id=task.task_spec.bpmn_id) from exc
    ran.append(task.task_spec.bpmn_id)
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def fire_due_timers(
    process: ParsedProcess, state: dict, *, services: ServiceCall | None = None
) -> StepResult:
    """Fire every timer whose time has come and run the engine to the next wait."""
    workflow = deserialize(process, state, services=services)
    ran: list[str] = []
    workflow.refresh_timers()
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def cancel_instance(process: ParsedProcess, state: dict) -> StepResult:
    """Cancel the whole instance (the client withdrew the request)."""
    workflow = deserialize(process, state)
    workflow.cancel()
    return _result(process, workflow, [], cancelled=True)


# --------------------------------------------------------------------------------------------------
# Repairs by an administrator (workflows/repair.py)


def run_pending_steps(
    process: ParsedProcess, state: dict, *, services: ServiceCall | None = None
) -> StepResult:
    """Run what the instance can run by itself now: due timers and ready automatic tasks (a retry)."""
    workflow = deserialize(process, state, services=services)
    ran: list[str] = []
    workflow.refresh_timers()
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def update_ready_task_data(
    process: ParsedProcess, state: dict, task_id: UUID | str, data: dict
) -> StepResult:
    """Merge (already validated) data into the ready user task's data without completing it."""
    workflow = deserialize(process, state)
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except Exception:
        task = None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReadyError(_("The task is not ready."))
    task.set_data(**json.loads(json.dumps(data)))
    return _result(process, workflow, [])


def reset_to_task(
    process: ParsedProcess, state: dict, element_id: str, *, services: ServiceCall | None = None
) -> StepResult:
    """Move the token back to a user task the instance already reached (SpiffWorkflow's reset-to-task).

    The later branch is dropped; the task becomes ready again with the data it had when it was reached.
    """
    workflow = deserialize(process, state, services=services)
    if element_id not in process.user_tasks:
        raise WorkflowError(_("Choose a user task of this process."), element_id=element_id)
    reached = [
        task
        for task in workflow.get_tasks(spec_name=element_id)
        if task.state in (TaskState.READY, TaskState.COMPLETED, TaskState.STARTED)
    ]
    if not reached:
        raise WorkflowError(_("The instance has not reached this task yet."), element_id=element_id)
    target = max(reached, key=lambda task: task.last_state_change)
    ran: list[str] = []
    workflow.reset_from_task_id(target.id)
    # SpiffWorkflow 3.x leaves the dropped branch's waiting events (e.g. a boundary timer) registered.
    for task in list(workflow.event_manager.tasks.values()):
        if task.workflow.tasks.get(task.id) is not task:
            workflow.event_manager.remove_task(task)
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


# --------------------------------------------------------------------------------------------------
# Moving an instance to another version (explicit, by an analyst)


def migrate_state(
    old: ParsedProcess, new: ParsedProcess, state: dict, *, services: ServiceCall | None = None
) -> StepResult:
    """Move a stored instance onto another version of its process, or refuse naming what blocks it.

    Tasks that already happened or wait now must exist in the new version; ready and waiting tasks are
    re-predicted from the new spec (their ids change), then the engine runs to the next wait.
    """
    from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow

    if old.process_key != new.process_key:
        raise WorkflowError(
            _("The new version belongs to another process (%(process)s).") % {"process": new.process_key}
        )
    workflow = deserialize(old, state, services=services)
    if workflow.subprocesses:
        raise WorkflowError(_("Instances with running subprocesses cannot be migrated."))
    # not `_`: that name is gettext here
    top_diff, _subprocess_diffs = diff_workflow(
        _serializer.registry, workflow, new.spec, new.subprocess_specs
    )
    definite = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
    blocking = sorted(
        {t.task_spec.bpmn_id or t.task_spec.name for t in top_diff.removed if t.has_state(definite)}
    )
    if blocking:
        raise WorkflowError(
            _("The new version lacks elements this instance has reached: %(elements)s.")
            % {"elements": ", ".join(blocking)},
            element_id=blocking[0],
        )
    waiting_since = _waiting_since(workflow)
    timers_before = {
        task.task_spec.bpmn_id: (due, task.task_spec.event_definition.expression)
        for task, due in _waiting_timers(workflow)
    }
    migrate_workflow(top_diff, workflow, new.spec)
    workflow.subprocess_specs = new.subprocess_specs
    ran: list[str] = []
    _run_engine(workflow, ran)
    _reanchor_timers(workflow, timers_before, waiting_since)
    return _result(new, workflow, ran)


# --------------------------------------------------------------------------------------------------
# Timers: due times, a simulated clock, and keeping the clocks across a migration


def _waiting_timers(workflow: BpmnWorkflow) -> list[tuple[Any, datetime | None]]:
    """The waiting timer events of the instance with their due time (None: not started yet)."""
    found = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if not isinstance(definition, TimerEventDefinition):
            continue
        value = task._get_internal_data("event_value")
        try:
            if isinstance(value, dict):  # cycle timers
                due = datetime.fromisoformat(value["next"])
            else:
                due = TimerEventDefinition.get_datetime(value) if value else None
        except (ValueError, KeyError, TypeError):
            due = None
        found.append((task, due))
    return found


def _attached_task(timer_task) -> str:
    """The element id of the task a boundary timer is attached to ("" for other timers)."""
    parent = timer_task.parent
    for sibling in getattr(parent, "children", []):
        if sibling is not timer_task and getattr(sibling.task_spec, "manual", False):
            return sibling.task_spec.bpmn_id or ""
    return ""


def _waiting_since(workflow: BpmnWorkflow) -> dict[str, datetime]:
    """When each ready user task started waiting (its clock's anchor)."""
    return {
        task.task_spec.bpmn_id: datetime.fromtimestamp(task.last_state_change, tz=UTC)
        for task in workflow.get_tasks(state=TaskState.READY, manual=True)
    }


def _duration_due(expression: str, start: datetime) -> datetime | None:
    """The due time of a duration timer started at `start` (None for dates and cycles)."""
    try:
        value = ast.literal_eval(expression.strip())
        if not isinstance(value, str) or not value.upper().startswith("P"):
            return None
        parsed = TimerEventDefinition.parse_iso_duration(value)
        return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
    except Exception:
        return None


def _reanchor_timers(
    workflow: BpmnWorkflow,
    before: dict[str, tuple[datetime | None, str]],
    waiting_since: dict[str, datetime],
) -> None:
    """Keep the clocks of a moved instance: a timer keeps the due time it had (same element, same
    expression); a new or changed timer counts from when its task started waiting, not from the move."""
    for task, _due in _waiting_timers(workflow):
        definition = task.task_spec.event_definition
        old_due, old_expression = before.get(task.task_spec.bpmn_id, (None, None))
        if old_due is not None and old_expression == definition.expression:
            due = old_due
        else:
            since = waiting_since.get(_attached_task(task))
            due = _duration_due(definition.expression, since) if since is not None else None
        if due is not None:
            task._set_internal_data(event_value=due.isoformat())


@dataclass(frozen=True)
class TimerDue:
    element_id: str  # the timer event
    attached_to: str  # the user task it waits on ("" for intermediate timers)
    due: datetime | None


def timer_due_times(process: ParsedProcess, state: dict) -> list[TimerDue]:
    """The waiting timers of a stored instance and when each falls due, earliest first."""
    workflow = deserialize(process, state)
    timers = [
        TimerDue(t.task_spec.bpmn_id or "", _attached_task(t), due) for t, due in _waiting_timers(workflow)
    ]
    return sorted(
        timers, key=lambda t: (t.due is None, t.due or datetime.max.replace(tzinfo=UTC), t.element_id)
    )


def fire_timers_due_by(
    process: ParsedProcess, state: dict, at: datetime, *, services: ServiceCall | None = None
) -> StepResult:
    """Fire every timer due by `at` as if the clock showed `at` (the test run's frozen clock), then run
    the engine to the next wait. The real clock is not touched."""
    workflow = deserialize(process, state, services=services)
    for task, due in _waiting_timers(workflow):
        if due is not None and due <= at:
            task._set_internal_data(event_fired=True)
    ran: list[str] = []
    workflow.refresh_timers()
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)
