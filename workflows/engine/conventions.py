"""The portal's conventions a BPMN file must follow (lanes, forms, gateways, scripts, timers, services).

Checked by `parse_bpmn` unless `portal_rules=False`; see the facade's docstring for the list.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from workflows.engine.bpmn_xml import NSMAP, SPIFF_NS, extension_properties, line_of
from workflows.engine.errors import BpmnProblem
from workflows.engine.scripts import describe_problem, expression_problem

LANES = ("Client", "Staff", "System")
SPIFF_OPERATOR = f"{{{SPIFF_NS}}}serviceTaskOperator"


DATA_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def data_reference(expression: str) -> tuple[str, tuple] | None:
    """The variable and the keys `expression` reads from the process data (`clock["due_at"]` →
    ("clock", ("due_at",))), or None when it is not such a read (a literal, a call, an upper-case name)."""
    try:
        node = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        return None
    keys = []
    while isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        keys.insert(0, node.slice.value)
        node = node.value
    # Lower-case names only: an unquoted "P14D" or "R3/PT1H" stays the quoting mistake it is.
    if isinstance(node, ast.Name) and DATA_NAME.match(node.id) is not None:
        return node.id, tuple(keys)
    return None


def is_data_reference(expression: str) -> bool:
    """Is `expression` a read of process data (`clock` or `clock["due_at"]`), not a literal?

    A timer may take its date from the data (e.g. a statutory deadline the process computes and may move);
    the deploy rules check that something provides the variable, and the value is checked when it starts.
    """
    return data_reference(expression) is not None


def parse_timer_expression(expression: str) -> None:
    """Raise ValueError unless `expression` is a quoted ISO-8601 duration, date-time or cycle, or a read
    of process data (`is_data_reference`)."""
    if is_data_reference(expression):
        return
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


def timer_duration(expression: str) -> timedelta | None:
    """The length of a quoted ISO-8601 duration of fixed length ("P30D", "PT720H", "P4W2D"); None for a
    date, a cycle, a read of the data or a duration in months or years (whose length depends on when)."""
    try:
        value = ast.literal_eval(expression.strip())
        if not isinstance(value, str) or not value.upper().startswith("P"):
            return None
        parsed = TimerEventDefinition.parse_iso_duration(value)
    except Exception:
        return None
    if parsed.get("years") or parsed.get("months"):
        return None
    return timedelta(**{k: v for k, v in parsed.items() if k not in {"years", "months"}})


def timer_cycle(expression: str) -> tuple[int, timedelta] | None:
    """The repetitions (-1: without end, "R/…") and interval of a quoted ISO-8601 cycle ("R3/P7D");
    None for anything else."""
    try:
        value = ast.literal_eval(expression.strip())
        if not isinstance(value, str) or not value.upper().startswith("R"):
            return None
        cycles, _start, interval = TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:
        return None
    return cycles, interval


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
                    line_of(task),
                )
            )
        form_key = extension_properties(task).get("formKey")
        if not form_key:
            problems.append(
                BpmnProblem(
                    task_id,
                    _("The user task has no form: choose one in the Form field of the properties panel."),
                    line_of(task),
                )
            )
        elif form_exists is not None and not form_exists(form_key):
            problems.append(
                BpmnProblem(
                    task_id,
                    _('The form "%(form)s" does not exist in bpmn/forms.') % {"form": form_key},
                    line_of(task),
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
                        line_of(gateway),
                    )
                )

    # Every source the engine evaluates, each reported once, with the source and in the analyst's words
    # (the deploy rules leave what is refused here to this check).
    sources = [
        (condition.getparent(), condition, "eval", "condition")
        for condition in process.xpath(".//bpmn:sequenceFlow/bpmn:conditionExpression", namespaces=NSMAP)
    ]
    sources += [
        (script.getparent(), script, "exec", "script")
        for script in process.xpath(".//bpmn:scriptTask/bpmn:script", namespaces=NSMAP)
    ]
    for element in process.xpath(
        ".//spiffworkflow:preScript | .//spiffworkflow:postScript", namespaces=NSMAP
    ):
        owner = element.getparent().getparent()
        sources.append((owner, element, "exec", "script"))
    for parameter in process.xpath(
        ".//spiffworkflow:serviceTaskOperator//spiffworkflow:parameter", namespaces=NSMAP
    ):
        owner = next(a for a in parameter.iterancestors() if a.get("id") and a.tag != SPIFF_OPERATOR)
        sources.append((owner, parameter, "eval", "expression"))
    for owner, element, mode, kind in sources:
        source = element.get("value", "") if kind == "expression" else element.text or ""
        reason = expression_problem(source, mode=mode)
        if reason:
            message = describe_problem(source, reason, kind=kind)
            problems.append(BpmnProblem(owner.get("id", ""), message, line_of(element)))

    for timer in process.xpath(".//bpmn:timerEventDefinition", namespaces=NSMAP):
        event = timer.getparent()
        expressions = timer.xpath(
            "./bpmn:timeDuration | ./bpmn:timeDate | ./bpmn:timeCycle", namespaces=NSMAP
        )
        if not expressions or not (expressions[0].text or "").strip():
            problems.append(
                BpmnProblem(event.get("id", ""), _("The timer has no expression."), line_of(event))
            )
            continue
        try:
            parse_timer_expression(expressions[0].text)
        except ValueError as exc:
            problems.append(
                BpmnProblem(
                    event.get("id", ""), _("Invalid timer: %(reason)s.") % {"reason": exc}, line_of(event)
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
                    BpmnProblem(task.get("id", ""), _("The service task names no operator."), line_of(task))
                )
            elif operators[0].get("id") not in known:
                problems.append(
                    BpmnProblem(
                        task.get("id", ""),
                        _('The service task calls "%(function)s", which is not a registered function.')
                        % {"function": operators[0].get("id")},
                        line_of(task),
                    )
                )
    del root
    return problems
