"""Deploy rules of the request lifecycle: the user tasks of the contract, paths that end, the outcomes the
contract requires (also after its deciding timers), and loops with a wait state.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from workflows.contract import Outcome, RequestTypeContract
from workflows.deploy_graph import ProcessGraph
from workflows.engine import BpmnProblem
from workflows.engine.bpmn_xml import _line_of, _properties


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
                    _line_of(node),
                )
            )
            continue
        lane = model.lane_of.get(task_id, "")
        if lane != expected.lane:
            problems.append(
                BpmnProblem(
                    task_id,
                    _("The user task must lie in the %(lane)s lane.") % {"lane": expected.lane.value},
                    _line_of(node),
                )
            )
        form_key = _properties(node).get("formKey", "")
        if form_key and form_key != expected.form_key:
            problems.append(
                BpmnProblem(
                    task_id,
                    _("The user task must use the form %(form)s.") % {"form": expected.form_key},
                    _line_of(node),
                )
            )
    for task in contract.user_tasks:
        if task.required and task.task_id not in present:
            problems.append(
                BpmnProblem(
                    model.process.get("id", ""),
                    _("The user task %(task)s (lane %(lane)s) is missing; was it renamed?")
                    % {"task": task.task_id, "lane": task.lane.value},
                    _line_of(model.process),
                )
            )
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
                    _line_of(model.nodes[node_id]),
                )
            )
    # End events on the main path decide the request; side branches (non-interrupting timers) may not.
    main = model.reachable(starts, main_path_only=True)
    outcomes: set[str] = set()
    valid = {o.value for o in Outcome}
    for end_id in ends:
        outcome = _properties(model.nodes[end_id]).get("outcome", "")
        if outcome and outcome not in valid:
            problems.append(
                BpmnProblem(
                    end_id,
                    _("The outcome %(outcome)s is not one of %(valid)s.")
                    % {"outcome": outcome, "valid": ", ".join(sorted(valid))},
                    _line_of(model.nodes[end_id]),
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
                    % {"valid": ", ".join(sorted(valid))},
                    _line_of(model.nodes[end_id]),
                )
            )
    if contract is not None:
        for outcome in sorted(contract.required_outcomes - {Outcome(o) for o in outcomes}):
            problems.append(
                BpmnProblem(
                    process_key,
                    _(
                        "No end event of the process %(process)s has the outcome %(outcome)s, which this "
                        "request type needs (required: %(required)s)."
                    )
                    % {
                        "process": process_key,
                        "outcome": outcome.value,
                        "required": ", ".join(sorted(o.value for o in contract.required_outcomes)),
                    },
                    _line_of(model.process),
                )
            )
        problems.extend(_check_timer_outcomes(model, contract))
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
            _properties(model.nodes[node_id]).get("outcome") == timer.outcome.value
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
                    % {"timer": timer.event_id, "process": process_key, "outcome": timer.outcome.value},
                    _line_of(model.nodes[timer.event_id]),
                )
            )
    return problems


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
                    _line_of(model.nodes[component[0]]),
                )
            )
    return problems
