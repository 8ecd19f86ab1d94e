"""What a BPMN file must satisfy before analysts may deploy it (beyond what SpiffWorkflow parses).

Each rule stops a class of versions that deploy fine and then break every request of the type: tasks
the portal cannot show, stages the lifecycle does not know, end events without an outcome, dead ends,
endless automatic loops, conditions over variables nobody sets, gateways where every condition can be
false, ids that break URLs or columns. Run at deploy only (`engine.parse_bpmn(..., contracts=...)`):
versions deployed before a rule existed still load and run.

Plain lxml and `ast`; no SpiffWorkflow (engine.py stays its only importer).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from workflows.contract import (
    PROCESS_KEY_MAX_LENGTH,
    PROCESS_KEY_PATTERN,
    STAGE_ID_MAX_LENGTH,
    Outcome,
    RequestTypeContract,
)
from workflows.engine import NSMAP, SAFE_BUILTINS, BpmnProblem, _line_of, _properties

BPMN = "{" + NSMAP["bpmn"] + "}"
SPIFF = "{" + NSMAP["spiffworkflow"] + "}"

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
}
# Direct children of a process that are not flow nodes.
NOT_NODES = {
    "laneSet",
    "sequenceFlow",
    "extensionElements",
    "documentation",
    "textAnnotation",
    "association",
    "dataObject",
    "dataObjectReference",
    "dataStoreReference",
    "property",
    "ioSpecification",
    "group",
}
WAIT_NODES = {"userTask", "receiveTask"}


def _local(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.split("}", 1)[-1]


def _event_definitions(node) -> list[str]:
    return [_local(child) for child in node if _local(child).endswith("EventDefinition")]


class _Model:
    """The process as a graph: flow nodes by id, sequence flows, boundary attachments."""

    def __init__(self, process):
        self.process = process
        self.nodes: dict[str, object] = {}
        self.flows: dict[str, object] = {}
        for child in process:
            name = _local(child)
            if not name or name in NOT_NODES:
                if name == "sequenceFlow" and child.get("id"):
                    self.flows[child.get("id")] = child
                continue
            if child.get("id"):
                self.nodes[child.get("id")] = child
        self.edges: dict[str, list[str]] = {node_id: [] for node_id in self.nodes}
        for flow in self.flows.values():
            source, target = flow.get("sourceRef"), flow.get("targetRef")
            if source in self.nodes and target in self.nodes:
                self.edges[source].append(target)
        self.non_interrupting: set[tuple[str, str]] = set()
        for node_id, node in self.nodes.items():
            host = node.get("attachedToRef")
            if _local(node) == "boundaryEvent" and host in self.nodes:
                self.edges[host].append(node_id)
                if node.get("cancelActivity") == "false":
                    self.non_interrupting.add((host, node_id))
        self.lane_of: dict[str, str] = {}
        for lane in process.iter(BPMN + "lane"):
            for ref in lane.findall(BPMN + "flowNodeRef"):
                self.lane_of[(ref.text or "").strip()] = lane.get("name", "")

    def kind(self, node_id: str) -> str:
        return _local(self.nodes[node_id])

    def of_kind(self, *kinds: str) -> list[str]:
        return [node_id for node_id in self.nodes if self.kind(node_id) in kinds]

    def reachable(self, starts: Iterable[str], *, main_path_only: bool = False) -> set[str]:
        seen: set[str] = set()
        queue = list(starts)
        while queue:
            node_id = queue.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            for target in self.edges.get(node_id, []):
                if main_path_only and (node_id, target) in self.non_interrupting:
                    continue
                queue.append(target)
        return seen

    def reaching(self, targets: Iterable[str]) -> set[str]:
        reverse: dict[str, list[str]] = {node_id: [] for node_id in self.nodes}
        for source, targets_of in self.edges.items():
            for target in targets_of:
                reverse[target].append(source)
        seen: set[str] = set()
        queue = list(targets)
        while queue:
            node_id = queue.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            queue.extend(reverse[node_id])
        return seen

    def is_wait(self, node_id: str) -> bool:
        kind = self.kind(node_id)
        if kind in WAIT_NODES:
            return True
        if kind in {"intermediateCatchEvent", "boundaryEvent"}:
            return bool(
                {"timerEventDefinition", "messageEventDefinition"}
                & set(_event_definitions(self.nodes[node_id]))
            )
        return False

    def cycles(self) -> list[list[str]]:
        """Strongly connected components that hold a cycle (Tarjan, iterative)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        found: list[list[str]] = []
        counter = 0
        for root in self.nodes:
            if root in index:
                continue
            work = [(root, iter(self.edges[root]))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node_id, children = work[-1]
                child = next(children, None)
                if child is not None:
                    if child not in index:
                        index[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(self.edges[child])))
                    elif child in on_stack:
                        low[node_id] = min(low[node_id], index[child])
                    continue
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node_id])
                if low[node_id] == index[node_id]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node_id:
                            break
                    if len(component) > 1 or node_id in self.edges[node_id]:
                        order = list(self.nodes)
                        found.append(sorted(component, key=order.index))
        return found


def check_deploy_rules(
    process,
    *,
    contracts: dict[str, RequestTypeContract],
    form_schema: Callable[[str], dict | None] | None = None,
) -> list[BpmnProblem]:
    """Return the problems that make the process unsafe to deploy, each naming its element."""
    model = _Model(process)
    process_key = process.get("id", "")
    problems: list[BpmnProblem] = []

    def problem(element_id: str, message: str, element=None) -> None:
        problems.append(BpmnProblem(element_id, message, _line_of(element) if element is not None else None))

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
        definitions = _event_definitions(node)
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
        if kind in {"userTask", "endEvent"} and len(node_id) > STAGE_ID_MAX_LENGTH:
            problem(
                node_id,
                _("The id is longer than %(limit)d characters.") % {"limit": STAGE_ID_MAX_LENGTH},
                node,
            )

    if contract is not None:
        problems.extend(_check_contract(model, contract))
    problems.extend(_check_paths(model, contract))
    problems.extend(_check_cycles(model))
    if contract is not None:
        problems.extend(_check_expressions(model, contract, form_schema))
    return problems


def _check_contract(model: _Model, contract: RequestTypeContract) -> list[BpmnProblem]:
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


def _check_paths(model: _Model, contract: RequestTypeContract | None) -> list[BpmnProblem]:
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
                    _("No end event has the outcome %(outcome)s, which this request type needs.")
                    % {"outcome": outcome.value},
                    _line_of(model.process),
                )
            )
    return problems


def _check_cycles(model: _Model) -> list[BpmnProblem]:
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


# --------------------------------------------------------------------------------------------------
# Conditions and scripts


def _bound_names(tree: ast.AST) -> set[str]:
    """Names a script or expression binds itself (assignments, loop and comprehension targets, lambdas)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def _loaded_names(tree: ast.AST) -> list[str]:
    seen: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in seen:
            seen.append(node.id)
    return seen


def _always_fails(tree: ast.AST) -> str:
    """Why the script fails on every run (a raise, a division by zero), or ""."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise):
            return _("The script raises an exception: every request would stop here. Use a gateway instead.")
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod)
            and isinstance(node.right, ast.Constant)
            and node.right.value == 0
        ):
            return _("The script divides by zero: every request would stop here.")
    return ""


def _form_properties(schema: dict) -> dict[str, dict]:
    properties = dict(schema.get("properties") or {})
    for branch in schema.get("allOf") or []:
        for name, spec in ((branch.get("then") or {}).get("properties") or {}).items():
            properties.setdefault(name, spec)
    return properties


def _values_of(test: ast.AST) -> tuple[str, set] | None:
    """(variable, values) when `test` is `var == const`, `const == var`, `var in (consts)` or an or of those."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        parts = [_values_of(value) for value in test.values]
        if all(parts) and len({p[0] for p in parts}) == 1:
            return parts[0][0], set().union(*(p[1] for p in parts))
        return None
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(op, ast.Eq):
        if isinstance(left, ast.Name) and isinstance(right, ast.Constant):
            return left.id, {right.value}
        if isinstance(right, ast.Name) and isinstance(left, ast.Constant):
            return right.id, {left.value}
    if (
        isinstance(op, ast.In)
        and isinstance(left, ast.Name)
        and isinstance(right, ast.List | ast.Tuple | ast.Set)
        and all(isinstance(e, ast.Constant) for e in right.elts)
    ):
        return left.id, {e.value for e in right.elts}
    return None


def _check_expressions(
    model: _Model, contract: RequestTypeContract, form_schema: Callable[[str], dict | None] | None
) -> list[BpmnProblem]:
    problems: list[BpmnProblem] = []
    provided: set[str] = set(contract.start_variables) | set(SAFE_BUILTINS)
    # variable → the values forms allow (None: free text or set by something else)
    choices: dict[str, set | None] = dict.fromkeys(contract.start_variables)
    for task_id in model.of_kind("userTask"):
        form_key = _properties(model.nodes[task_id]).get("formKey", "")
        schema = (form_schema(form_key) if form_schema and form_key else None) or {}
        required = set(schema.get("required") or [])
        for name, spec in _form_properties(schema).items():
            provided.add(name)
            allowed = spec.get("enum") if isinstance(spec, dict) else None
            if isinstance(spec, dict) and "const" in spec:
                allowed = [spec["const"]]
            if allowed is None or name not in required or (name in choices and choices[name] is None):
                choices[name] = None
            else:
                choices[name] = (choices.get(name) or set()) | set(allowed)
    sources: list[tuple[str, str, str, object]] = []  # (element id, kind, source, element)
    for node_id, node in model.nodes.items():
        kind = model.kind(node_id)
        if kind == "serviceTask":
            for operator in node.iter(SPIFF + "serviceTaskOperator"):
                if operator.get("resultVariable"):
                    provided.add(operator.get("resultVariable"))
                    choices[operator.get("resultVariable")] = None
                for parameter in operator.iter(SPIFF + "parameter"):
                    sources.append((node_id, "eval", parameter.get("value", ""), parameter))
        if kind == "scriptTask":
            for script in node.findall(BPMN + "script"):
                sources.append((node_id, "exec", script.text or "", script))
        for tag in ("preScript", "postScript"):
            for script in node.iter(SPIFF + tag):
                sources.append((node_id, "exec", script.text or "", script))
    for flow_id, flow in model.flows.items():
        for condition in flow.findall(BPMN + "conditionExpression"):
            sources.append((flow_id, "eval", condition.text or "", condition))

    trees: dict[int, ast.AST] = {}
    for index, (element_id, mode, source, element) in enumerate(sources):
        try:
            tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
        except SyntaxError as exc:
            problems.append(
                BpmnProblem(
                    element_id,
                    _("The expression does not compile: %(detail)s (%(source)s).")
                    % {"detail": exc.msg, "source": source.strip()[:200]},
                    _line_of(element),
                )
            )
            continue
        trees[index] = tree
        failing = _always_fails(tree)
        if failing:
            problems.append(BpmnProblem(element_id, failing, _line_of(element)))
        if mode == "exec":
            for name in _bound_names(tree):
                provided.add(name)
                choices[name] = None
    for index, tree in trees.items():
        element_id, _mode, source, element = sources[index]
        local = _bound_names(tree)
        missing = [n for n in _loaded_names(tree) if n not in provided and n not in local]
        if missing:
            problems.append(
                BpmnProblem(
                    element_id,
                    _(
                        "The expression uses %(names)s, which no form, service task or script of this "
                        "process provides."
                    )
                    % {"names": ", ".join(missing)},
                    _line_of(element),
                )
            )
    problems.extend(_check_gateways(model, choices))
    return problems


def _check_gateways(model: _Model, choices: dict[str, set | None]) -> list[BpmnProblem]:
    """An exclusive gateway without a default flow must have conditions that cannot all be false."""
    problems: list[BpmnProblem] = []
    for gateway_id in model.of_kind("exclusiveGateway"):
        gateway = model.nodes[gateway_id]
        if gateway.get("default"):
            continue
        outgoing = [f for f in model.flows.values() if f.get("sourceRef") == gateway_id]
        conditions = [f.findall(BPMN + "conditionExpression") for f in outgoing]
        if not outgoing or any(not c for c in conditions):
            continue  # no condition on a flow: the engine's own gateway check reports it
        covered: dict[str, set] = {}
        exhaustive = False
        for found in conditions:
            try:
                test = ast.parse((found[0].text or "").strip(), mode="eval").body
            except SyntaxError:
                exhaustive = True  # reported as not compiling
                break
            if isinstance(test, ast.Constant) and test.value is True:
                exhaustive = True
                break
            values = _values_of(test)
            if values is None:
                covered = {}
                break
            covered.setdefault(values[0], set()).update(values[1])
        if not exhaustive and len(covered) == 1:
            name, values = next(iter(covered.items()))
            allowed = choices.get(name)
            exhaustive = allowed is not None and allowed <= values
        if not exhaustive:
            problems.append(
                BpmnProblem(
                    gateway_id,
                    _(
                        "All conditions of this gateway can be false and it has no default flow: requests "
                        "would stop here with an error. Add a default flow."
                    ),
                    _line_of(gateway),
                )
            )
    return problems
