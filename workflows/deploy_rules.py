"""What a BPMN file must satisfy before analysts may deploy it (beyond what SpiffWorkflow parses).

Each rule stops a class of versions that deploy fine and then break every request of the type: tasks
the portal cannot show, stages the lifecycle does not know, end events without an outcome, dead ends,
endless automatic loops, conditions over variables nobody sets, gateways where every condition can be
false, ids that break URLs or columns. Run at deploy only (`engine.parse_bpmn(..., deploy_checks=
deploy_checks(contracts=...))`): versions deployed before a rule existed still load and run.

Plain lxml and `ast`; no SpiffWorkflow (the engine package stays its importer).

Here: process ids, element types, business-rule tasks. By family elsewhere: the process graph
(workflows/deploy_graph.py), the lifecycle contract, paths, outcomes and loops
(workflows/deploy_rules_lifecycle.py), a reminder's cycle (workflows/deploy_rules_timers.py), conditions,
scripts and gateways (workflows/deploy_rules_expressions.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from workflows import dmn as dmn_tables
from workflows.contract import (
    PROCESS_KEY_MAX_LENGTH,
    PROCESS_KEY_PATTERN,
    STAGE_ID_MAX_LENGTH,
    CancelledStage,
    RequestTypeContract,
)
from workflows.deploy_graph import SPIFF, ProcessGraph, event_definitions
from workflows.deploy_rules_expressions import check_expressions
from workflows.deploy_rules_lifecycle import (
    check_contract,
    check_cycles,
    check_effects,
    check_paths,
    check_timers,
)
from workflows.deploy_rules_timers import check_reminder_cycles, check_timer_reads
from workflows.engine import BpmnProblem
from workflows.engine.bpmn_xml import line_of

# The flow elements the portal runs; anything else (plain/manual/send/receive tasks, sub-processes,
# call activities, inclusive or event-based gateways) would stop a request where nobody sees it.
SUPPORTED_NODES = {
    "startEvent",
    "endEvent",
    "intermediateThrowEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "userTask",
    "serviceTask",
    "scriptTask",
    "exclusiveGateway",
    "parallelGateway",
    # Only when its decision table is shipped with the version (checked below, workflows/dmn.py).
    "businessRuleTask",
}


def deploy_checks(
    *,
    contracts: dict[str, RequestTypeContract],
    form_schema: Callable[[str], dict | None] | None = None,
    task_names: Callable[[str], dict[str, str]] | None = None,
) -> Callable[[Any, dict[str, str]], list[BpmnProblem]]:
    """The deploy rules as engine.parse_bpmn(deploy_checks=...) runs them: DMN tables, then the process.

    `task_names(process_key)`: operation → the name of the service task running it in the shipped flow,
    to name a task a version deleted."""

    def check(process, dmn: dict[str, str]) -> list[BpmnProblem]:
        # A problem of a table as a whole (not well-formed, not DMN) is keyed by its decision id.
        problems = [
            replace(problem, element_id=problem.element_id or decision_id)
            for decision_id, table_xml in dmn.items()
            for problem in dmn_tables.dmn_problems(table_xml)
        ]
        return problems + check_deploy_rules(
            process,
            contracts=contracts,
            form_schema=form_schema,
            decisions=dmn_tables.decision_tables(dmn),
            task_names=task_names,
        )

    return check


def check_deploy_rules(
    process,
    *,
    contracts: dict[str, RequestTypeContract],
    form_schema: Callable[[str], dict | None] | None = None,
    decisions: dict | None = None,
    task_names: Callable[[str], dict[str, str]] | None = None,
) -> list[BpmnProblem]:
    """Return the problems that make the process unsafe to deploy, each naming its element.

    `decisions` (decision id → workflows.dmn.DecisionTable) are the DMN tables shipped with the version.
    """
    model = ProcessGraph(process)
    decisions = decisions or {}
    process_key = process.get("id", "")
    problems: list[BpmnProblem] = []

    def problem(element_id: str, message: str, element=None) -> None:
        problems.append(BpmnProblem(element_id, message, line_of(element) if element is not None else None))

    # Process id: part of URLs and of a varchar(64) column, and one of the declared request types.
    contract = contracts.get(process_key)
    if not PROCESS_KEY_PATTERN.match(process_key):
        problem(
            process_key,
            _(
                "The process id must start with a lowercase letter and hold only lowercase letters, digits "
                "and underscores, at most %(limit)d characters."
            )
            % {"limit": PROCESS_KEY_MAX_LENGTH},
            process,
        )
    elif contract is None:
        problem(
            process_key,
            _(
                "The process id %(key)s is not a known request type (%(known)s); a new request type is "
                "declared in the portal before its flow is deployed."
            )
            % {"key": process_key, "known": ", ".join(sorted(contracts))},
            process,
        )

    for node_id, node in model.nodes.items():
        kind = model.kind(node_id)
        if kind not in SUPPORTED_NODES:
            problem(
                node_id,
                _(
                    "The element type %(type)s is not supported: the portal runs user, service and script "
                    "tasks, exclusive and parallel gateways, timers and start and end events."
                )
                % {"type": kind},
                node,
            )
            continue
        definitions = event_definitions(node)
        allowed = {"timerEventDefinition"} if kind in {"intermediateCatchEvent", "boundaryEvent"} else set()
        if kind == "endEvent":
            allowed = {"terminateEventDefinition"}
        unsupported = [d for d in definitions if d not in allowed]
        if unsupported or (kind in {"intermediateCatchEvent", "boundaryEvent"} and not definitions):
            problem(
                node_id,
                _("The event type %(type)s is not supported: the portal's events are timers only.")
                % {"type": (unsupported or [kind])[0]},
                node,
            )
        if kind == "businessRuleTask":
            problems.extend(_check_business_rule(node_id, node, decisions))
        if kind in {"userTask", "endEvent"} and len(node_id) > STAGE_ID_MAX_LENGTH:
            problem(
                node_id,
                _("The id is longer than %(limit)d characters.") % {"limit": STAGE_ID_MAX_LENGTH},
                node,
            )
        if kind in {"userTask", "endEvent"} and node_id in set(CancelledStage):
            # A cancelled request's stage (withdrawn, cancelled by the lessor) must not be a step's too.
            problem(node_id, _("The id %(id)s is reserved for a cancelled request.") % {"id": node_id}, node)

    if contract is not None:
        called = {
            (e.text or "").strip()
            for node_id in model.of_kind("businessRuleTask")
            for e in model.nodes[node_id].iter(SPIFF + "calledDecisionId")
        }
        for decision in sorted(contract.decisions - called):
            problem(
                process_key,
                _("No business rule task calls the decision table %(decision)s, which this type needs.")
                % {"decision": decision},
                process,
            )
        problems.extend(check_contract(model, contract))
        problems.extend(check_timers(model, contract))
        problems.extend(check_reminder_cycles(model, contract))
        problems.extend(check_timer_reads(model, contract))
        problems.extend(check_effects(model, contract, task_names(process_key) if task_names else None))
    problems.extend(check_paths(model, contract))
    problems.extend(check_cycles(model))
    problems.extend(check_parallel_runs(model))
    if contract is not None:
        problems.extend(check_expressions(model, contract, form_schema, decisions))
    return problems


# The most runs of one step the engine may track at once (ProcessGraph.parallel_runs): a test run's time
# grows with it, ~1 s at 64 (six parallel gateways of two branches one after another), 5 s at 400 (two of
# twenty), 21 s at 4 096. The shipped flows stay at 1 or 2.
MAX_PARALLEL_RUNS = 50


def check_parallel_runs(model: ProcessGraph) -> list[BpmnProblem]:
    """Refuse parallel branches that multiply past MAX_PARALLEL_RUNS, at the first element they do
    (`parallel_runs` lists the elements along the flow, so the first over the bound is where they meet)."""
    for node_id, count in model.parallel_runs().items():
        if count > MAX_PARALLEL_RUNS:
            message = _(
                "Too many parallel branches meet here: counting the parallel gateways before it, the engine "
                "would track %(count)s runs of this step at once, at most %(limit)s are allowed. Use fewer "
                "branches or fewer parallel gateways one after another."
            ) % {"count": count, "limit": MAX_PARALLEL_RUNS}
            return [BpmnProblem(node_id, message, line_of(model.nodes[node_id]))]
    return []


def _check_business_rule(node_id: str, node, decisions: dict) -> list[BpmnProblem]:
    """A business-rule task must call a DMN table shipped with the version (bpmn/dmn/<decision id>.dmn)."""
    called = [(e.text or "").strip() for e in node.iter(SPIFF + "calledDecisionId")]
    if not called or not called[0]:
        message = _("The business rule task names no decision table (spiffworkflow:calledDecisionId).")
        return [BpmnProblem(node_id, message, line_of(node))]
    if called[0] not in decisions:
        message = _(
            "The business rule task calls the decision table %(decision)s, which is not shipped with this "
            "version (shipped: %(shipped)s)."
        ) % {"decision": called[0], "shipped": ", ".join(sorted(decisions)) or "—"}
        return [BpmnProblem(node_id, message, line_of(node))]
    return []
