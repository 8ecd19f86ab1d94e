"""Deploy rules of the request lifecycle: the user tasks and timers of the contract, paths that end, the
outcomes the contract requires (also after its deciding timers), outcomes the request can take where a path
reaches them, and loops with a wait state.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend.core.language import quoted
from workflows import engine
from workflows.contract import OUTCOMES_FROM, SUBMITTED, Lane, Outcome, RequestTypeContract, TimerContract
from workflows.deploy_graph import BPMN, ProcessGraph, local_name
from workflows.engine import BpmnProblem
from workflows.engine.bpmn_xml import extension_properties, line_of
from workflows.lane_labels import lane_named
from workflows.outcome_labels import outcome_named, outcomes_named


def check_contract(model: ProcessGraph, contract: RequestTypeContract) -> list[BpmnProblem]:
    problems: list[BpmnProblem] = []
    known = ", ".join(t.task_id for t in contract.user_tasks)
    present = set(model.of_kind("userTask"))
    for task_id in model.of_kind("userTask"):
        node = model.nodes[task_id]
        expected = contract.task(task_id)
        if expected is None:
            problems.append(
                BpmnProblem(
                    task_id,
                    _(
                        "The user task is not a stage of this request type, so nobody would see it "
                        "(stages: %(known)s)."
                    )
                    % {"known": known},
                    line_of(node),
                )
            )
            continue
        lane = model.lane_of.get(task_id, "")
        if lane != expected.lane:
            problems.append(
                BpmnProblem(
                    task_id,
                    _("The user task must lie in the %(lane)s lane.") % {"lane": lane_named(expected.lane)},
                    line_of(node),
                )
            )
        form_key = extension_properties(node).get("formKey", "")
        if form_key and form_key != expected.form_key:
            problems.append(
                BpmnProblem(
                    task_id,
                    _("The user task must use the form %(form)s.") % {"form": expected.form_key},
                    line_of(node),
                )
            )
    for task in contract.user_tasks:
        if task.required and task.task_id not in present:
            problems.append(
                BpmnProblem(
                    model.process.get("id", ""),
                    _("The user task %(task)s in the %(lane)s lane is missing; was it renamed?")
                    % {"task": task.task_id, "lane": lane_named(task.lane)},
                    line_of(model.process),
                )
            )
    return problems


def _length(duration: timedelta) -> str:
    if duration % timedelta(days=1):
        return str(duration)
    return ngettext("%(days)d day", "%(days)d days", duration.days) % {"days": duration.days}


def timer_expression(node) -> str:
    """The text of the timer event's duration, date or cycle ("" when it has none)."""
    for definition in node.iter(BPMN + "timerEventDefinition"):
        for child in definition:
            if local_name(child) in {"timeDuration", "timeDate", "timeCycle"}:
                return (child.text or "").strip()
    return ""


def valid_timer(expression: str) -> bool:
    """A timer expression the engine's conventions accept (a broken one is reported there already)."""
    try:
        engine.parse_timer_expression(expression)
    except ValueError:
        return False
    return bool(expression)


def _what_it_does(timer: TimerContract) -> str:
    if timer.outcome is not None and timer.duration is not None:
        return _(
            "after %(length)s of waiting at %(task)s it ends the request with the outcome %(outcome)s"
        ) % {
            "length": _length(timer.duration),
            "task": timer.attached_to,
            "outcome": outcome_named(timer.outcome),
        }
    return _("it runs while %(task)s waits") % {"task": timer.attached_to}


def check_timers(model: ProcessGraph, contract: RequestTypeContract) -> list[BpmnProblem]:
    """The contract's timers keep their promise: a required one exists wherever its task does (its id is how
    the test run and the outcome checks find it), sits on that task as declared, and has the fixed length."""
    problems: list[BpmnProblem] = []
    for timer in contract.timers:
        node = model.nodes.get(timer.event_id)
        host = model.nodes.get(timer.attached_to)
        if node is None:
            if timer.required and host is not None:
                problems.append(
                    BpmnProblem(
                        timer.attached_to,
                        _(
                            "The timer %(timer)s on %(task)s is missing: this request type needs it (%(does)s). "
                            "Was it renamed or deleted? Its id must stay %(timer)s."
                        )
                        % {"timer": timer.event_id, "task": timer.attached_to, "does": _what_it_does(timer)},
                        line_of(host),
                    )
                )
            continue
        interrupting = node.get("cancelActivity", "true") != "false"
        if (
            model.kind(timer.event_id) != "boundaryEvent"
            or node.get("attachedToRef") != timer.attached_to
            or interrupting != timer.interrupting
        ):
            message = (
                _("The timer %(timer)s must be an interrupting timer on the task %(task)s (%(does)s).")
                if timer.interrupting
                else _(
                    "The timer %(timer)s must be a non-interrupting timer on the task %(task)s (%(does)s)."
                )
            )
            problems.append(
                BpmnProblem(
                    timer.event_id,
                    message
                    % {"timer": timer.event_id, "task": timer.attached_to, "does": _what_it_does(timer)},
                    line_of(node),
                )
            )
        expression = timer_expression(node)
        if (
            timer.duration is not None
            and valid_timer(expression)
            and engine.timer_duration(expression) != timer.duration
        ):
            problems.append(
                BpmnProblem(
                    timer.event_id,
                    _(
                        'The timer %(timer)s must wait exactly %(length)s ("P%(days)dD"), not %(found)s: the '
                        "published terms of this request type give the client %(length)s to reply before an "
                        "unanswered request is cancelled, so the contract fixes it."
                    )
                    % {
                        "timer": timer.event_id,
                        "length": _length(timer.duration),
                        "days": timer.duration.days,
                        "found": expression or "—",
                    },
                    line_of(node),
                )
            )
    return problems


def _standings(model: ProcessGraph, contract: RequestTypeContract) -> dict[str, dict[str, str]]:
    """Element id → where the request can stand when a main path reaches it (SUBMITTED, or the lane of the
    last user task: lifecycle.status_for_step) → the element that put it there (that task, or the timer on
    it that fired). Timers are followed like any path, whatever their ids."""
    found: dict[str, dict[str, str]] = {}
    queue = [(start, SUBMITTED, start) for start in model.of_kind("startEvent")]
    while queue:
        node_id, standing, via = queue.pop()
        if standing in found.setdefault(node_id, {}):
            continue
        found[node_id][standing] = via
        kind = model.kind(node_id)
        if kind == "userTask":
            lane = (
                Lane.CLIENT
                if node_id == contract.waiting_for_client_task
                else contract.lane_of(node_id) or model.lane_of.get(node_id)
            )
            if lane in OUTCOMES_FROM:
                standing, via = lane, node_id
        elif kind == "boundaryEvent":
            via = node_id
        for target in model.edges.get(node_id, []):
            if (node_id, target) not in model.non_interrupting:  # side branches decide nothing
                queue.append((target, standing, via))
    return found


def _standing_text(standing: str) -> str:
    if standing == Lane.CLIENT:
        return _("the request waits for the client's reply")
    if standing == Lane.STAFF:
        return _("the request is in review")
    return _("the request has just been submitted")


def check_outcomes_where_reached(model: ProcessGraph, contract: RequestTypeContract) -> list[BpmnProblem]:
    """An end event's outcome must be one the request can take where every main path (a timer's too)
    reaches it (contract.OUTCOMES_FROM); otherwise each attempt to finish the request there would fail."""
    problems: list[BpmnProblem] = []
    standings = _standings(model, contract)
    valid = {o.value for o in Outcome}
    for end_id in model.of_kind("endEvent"):
        outcome = extension_properties(model.nodes[end_id]).get("outcome", "")
        if outcome not in valid:
            continue
        for standing, via in sorted(standings.get(end_id, {}).items()):
            allowed = OUTCOMES_FROM[standing]
            if Outcome(outcome) in allowed:
                continue
            problems.append(
                BpmnProblem(
                    end_id,
                    _(
                        "The end event %(end)s has the outcome %(outcome)s, but a path reaches it from "
                        "%(via)s, where %(standing)s: from there the request can only end %(allowed)s, so it "
                        "would stay stuck."
                    )
                    % {
                        "end": end_id,
                        "outcome": outcome_named(outcome),
                        "via": via,
                        "standing": _standing_text(standing),
                        "allowed": outcomes_named(allowed),
                    },
                    line_of(model.nodes[end_id]),
                )
            )
            break
    return problems


def check_paths(model: ProcessGraph, contract: RequestTypeContract | None) -> list[BpmnProblem]:
    problems: list[BpmnProblem] = []
    process_key = model.process.get("id", "")
    starts = model.of_kind("startEvent")
    ends = model.of_kind("endEvent")
    if not ends:
        return [
            BpmnProblem(process_key, _("The process has no end event: requests would never finish."), None)
        ]
    reachable = model.reachable(starts)
    finishing = model.reaching(ends)
    for node_id in model.nodes:
        if node_id in reachable and node_id not in finishing:
            problems.append(
                BpmnProblem(
                    node_id,
                    _("No path leads from this element to an end event: requests would stop here."),
                    line_of(model.nodes[node_id]),
                )
            )
    # End events on the main path decide the request; side branches (non-interrupting timers) may not.
    main = model.reachable(starts, main_path_only=True)
    outcomes: set[str] = set()
    valid = {o.value for o in Outcome}
    for end_id in ends:
        outcome = extension_properties(model.nodes[end_id]).get("outcome", "")
        if outcome and outcome not in valid:
            problems.append(
                BpmnProblem(
                    end_id,
                    _("The outcome %(outcome)s is not one of %(valid)s.")
                    % {"outcome": outcome_named(outcome), "valid": outcomes_named(valid)},
                    line_of(model.nodes[end_id]),
                )
            )
        elif outcome:
            outcomes.add(outcome)
        elif end_id in main:
            problems.append(
                BpmnProblem(
                    end_id,
                    _(
                        "The end event has no outcome: give it the spiffworkflow property outcome "
                        "(%(valid)s), otherwise the request never gets a decision."
                    )
                    % {"valid": outcomes_named(valid)},
                    line_of(model.nodes[end_id]),
                )
            )
    if contract is not None:
        for outcome in sorted(contract.required_outcomes - {Outcome(o) for o in outcomes}):
            problems.append(
                BpmnProblem(
                    process_key,
                    _(
                        "No end event of the process %(process)s has the outcome %(outcome)s, which this "
                        "request type needs (required: %(required)s). Choose it as the Outcome (the panel's "
                        "Portal group) of the end event where such requests finish."
                    )
                    % {
                        "process": process_key,
                        "outcome": outcome_named(outcome),
                        "required": outcomes_named(contract.required_outcomes),
                    },
                    line_of(model.process),
                )
            )
        problems.extend(_check_timer_outcomes(model, contract))
        problems.extend(check_outcomes_where_reached(model, contract))
    return problems


def _check_timer_outcomes(model: ProcessGraph, contract: RequestTypeContract) -> list[BpmnProblem]:
    """A contract timer that decides the request (the 30-day cancel) must lead to its outcome."""
    problems: list[BpmnProblem] = []
    process_key = model.process.get("id", "")
    for timer in contract.timers:
        if timer.outcome is None or timer.event_id not in model.nodes:
            continue
        after = model.reachable([timer.event_id], main_path_only=True)
        if not any(
            extension_properties(model.nodes[node_id]).get("outcome") == timer.outcome.value
            for node_id in after
            if model.kind(node_id) == "endEvent"
        ):
            problems.append(
                BpmnProblem(
                    timer.event_id,
                    _(
                        "No end event after the timer %(timer)s of the process %(process)s has the outcome "
                        "%(outcome)s: a request it ends would get no decision."
                    )
                    % {
                        "timer": timer.event_id,
                        "process": process_key,
                        "outcome": outcome_named(timer.outcome),
                    },
                    line_of(model.nodes[timer.event_id]),
                )
            )
    return problems


def _reached_without(model: ProcessGraph, operation: str) -> set[str]:
    """The elements some path from a start event reaches without running `operation`: every path,
    timers' too. A path passes a task that runs it only by finishing the task; an interrupting timer on
    that task leaves it unfinished, so the timer's path goes on without the operation."""
    seen: set[str] = set()
    queue = list(model.of_kind("startEvent"))
    while queue:
        node_id = queue.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        runs = model.operation(node_id) == operation
        for target in model.edges.get(node_id, []):
            if runs and not (
                model.kind(target) == "boundaryEvent" and (node_id, target) not in model.non_interrupting
            ):
                continue
            queue.append(target)
    return seen


def check_effects(
    model: ProcessGraph, contract: RequestTypeContract, task_names: dict[str, str] | None = None
) -> list[BpmnProblem]:
    """Every path to an end event of an outcome runs the operations the contract ties to that outcome
    (contract.effects): a version whose approve path skips the task that applies the change would end
    requests approved, with their decision document, and leave the contract as it was.

    `task_names` (operation → name of the task that runs it in the shipped flow) names a task the
    version deleted. While a service task names no operation (its own problem), it might be the one
    missing: nothing is reported then."""
    operations = {node_id: model.operation(node_id) for node_id in model.of_kind("serviceTask")}
    if not contract.effects or "" in operations.values():
        return []
    problems: list[BpmnProblem] = []
    for outcome, required in contract.effects.items():
        ends = [
            end_id
            for end_id in model.of_kind("endEvent")
            if extension_properties(model.nodes[end_id]).get("outcome") == outcome.value
        ]
        for operation in required:
            reached = _reached_without(model, operation) if ends else set()
            for end_id in [end_id for end_id in ends if end_id in reached]:
                problems.append(
                    BpmnProblem(
                        end_id,
                        _(
                            "A path reaches this end event (%(end)s, outcome %(outcome)s) without running "
                            "%(task)s. Every request that ends %(outcome)s must run it, otherwise it would "
                            "end so without the task's work being done (e.g. an approved change never made). "
                            "Lead every path to this end event through that task."
                        )
                        % {
                            "end": model.label(end_id),
                            "outcome": outcome_named(outcome),
                            "task": _task_running(model, operation, task_names or {}),
                        },
                        line_of(model.nodes[end_id]),
                    )
                )
    return problems


def _task_running(model: ProcessGraph, operation: str, task_names: dict[str, str]) -> str:
    """The task that runs `operation`, by its name: in this version, else in the shipped flow."""
    named = [
        model.label(node_id)
        for node_id, node in model.nodes.items()
        if model.operation(node_id) == operation and node.get("name")
    ]
    name = named[0] if named else (quoted(task_names[operation]) if task_names.get(operation) else "")
    if name:
        return _("the task %(name)s (operation %(operation)s)") % {"name": name, "operation": operation}
    return _("a service task with the operation %(operation)s") % {"operation": operation}


def check_cycles(model: ProcessGraph) -> list[BpmnProblem]:
    problems = []
    for component in model.cycles():
        if not any(model.is_wait(node_id) for node_id in component):
            problems.append(
                BpmnProblem(
                    component[0],
                    _(
                        "The loop %(elements)s has no wait state (a user task or a timer): it would run "
                        "without end."
                    )
                    % {"elements": " → ".join(component)},
                    line_of(model.nodes[component[0]]),
                )
            )
    return problems
