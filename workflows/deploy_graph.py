"""The BPMN process as a graph, for the deploy rules (workflows/deploy_rules.py): flow nodes by id,
sequence flows, boundary attachments, lanes, reachability and cycles.

Plain lxml; no SpiffWorkflow (the engine package stays its importer).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from backend.core.language import quoted
from workflows.engine import NSMAP

BPMN = "{" + NSMAP["bpmn"] + "}"
SPIFF = "{" + NSMAP["spiffworkflow"] + "}"

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
# A wait state inside a loop keeps it from running without end.
WAIT_NODES = {"userTask", "receiveTask"}


def local_name(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.split("}", 1)[-1]


def event_definitions(node) -> list[str]:
    return [local_name(child) for child in node if local_name(child).endswith("EventDefinition")]


class ProcessGraph:
    """The process as a graph: flow nodes by id, sequence flows, boundary attachments."""

    def __init__(self, process):
        self.process = process
        self.nodes: dict[str, object] = {}
        self.flows: dict[str, object] = {}
        for child in process:
            name = local_name(child)
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
            if local_name(node) == "boundaryEvent" and host in self.nodes:
                self.edges[host].append(node_id)
                if node.get("cancelActivity") == "false":
                    self.non_interrupting.add((host, node_id))
        self.lane_of: dict[str, str] = {}
        for lane in process.iter(BPMN + "lane"):
            for ref in lane.findall(BPMN + "flowNodeRef"):
                self.lane_of[(ref.text or "").strip()] = lane.get("name", "")

    def reading_order(self) -> list[str]:
        """The process's elements as the analyst reads the diagram: along the flow from its start events
        (each node, then its outgoing flows, a task's boundary events after it), then what the flow does not
        reach, in the file's order."""
        # Linear in the file's size: a refusal of a large upload is ordered by it (deployment.py).
        outgoing: dict[str, list[str]] = {}
        for flow_id, flow in self.flows.items():
            outgoing.setdefault(flow.get("sourceRef"), []).append(flow_id)
        order: list[str] = []
        seen: set[str] = set()
        queue = deque(node_id for node_id in self.nodes if self.kind(node_id) == "startEvent")
        while queue:
            node_id = queue.popleft()
            if node_id in seen:
                continue
            seen.add(node_id)
            order.append(node_id)
            order.extend(outgoing.get(node_id, []))
            queue.extend(self.edges.get(node_id, []))
        listed = set(order)
        return order + [element for element in [*self.nodes, *self.flows] if element not in listed]

    def parallel_runs(self) -> dict[str, int]:
        """Node → how many runs of it the engine tracks at once: a parallel join counts the runs of every
        branch it joins (SpiffWorkflow keeps a join task per arriving branch, and each carries on), other
        nodes those of their busiest input. Walked along the flow from the start events in topological
        order, loops left out (a flow back to a node already on the path); the answer lists a node before
        the nodes it leads to."""
        order: list[str] = []
        back: set[tuple[str, str]] = set()
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in (n for n in self.nodes if self.kind(n) == "startEvent"):
            if start in state:
                continue
            state[start] = 1
            stack = [(start, iter(self.edges[start]))]
            while stack:
                node_id, targets = stack[-1]
                target = next(targets, None)
                if target is None:
                    stack.pop()
                    state[node_id] = 2
                    order.append(node_id)
                elif state.get(target) == 1:
                    back.add((node_id, target))
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(self.edges[target])))
        incoming: dict[str, int] = {}
        for targets in self.edges.values():
            for target in targets:
                incoming[target] = incoming.get(target, 0) + 1
        runs = {node_id: 1 for node_id in order if self.kind(node_id) == "startEvent"}
        for node_id in reversed(order):
            for target in self.edges[node_id]:
                if (node_id, target) in back:
                    continue
                if self.kind(target) == "parallelGateway" and incoming[target] > 1:
                    runs[target] = runs.get(target, 0) + runs.get(node_id, 1)
                else:
                    runs[target] = max(runs.get(target, 0), runs.get(node_id, 1))
        return {node_id: runs[node_id] for node_id in reversed(order) if node_id in runs}

    def kind(self, node_id: str) -> str:
        return local_name(self.nodes[node_id])

    def label(self, node_id: str) -> str:
        """How a message names an element: by the name analysts see on the canvas, the id only when it
        has none."""
        element = self.nodes.get(node_id)
        if element is None:
            element = self.flows.get(node_id)
        name = " ".join((element.get("name") or "").split()) if element is not None else ""
        return quoted(name) if name else node_id

    def operation(self, node_id: str) -> str | None:
        """The registered function a service task calls ("" when it names none), None for other nodes."""
        if self.kind(node_id) != "serviceTask":
            return None
        operator = next(self.nodes[node_id].iter(SPIFF + "serviceTaskOperator"), None)
        return (operator.get("id") or "") if operator is not None else ""

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
                & set(event_definitions(self.nodes[node_id]))
            )
        return False

    def cycles(self) -> list[list[str]]:
        """Strongly connected components that hold a cycle (Tarjan, iterative)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        found: list[list[str]] = []
        position = {node_id: n for n, node_id in enumerate(self.nodes)}  # the file's order
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
                        found.append(sorted(component, key=position.__getitem__))
        return found
