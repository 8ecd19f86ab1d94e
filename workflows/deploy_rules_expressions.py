"""Deploy rules of conditions, scripts and gateways: they compile, read only variables some form, service
task, script, decision table or the start provides, do not always fail, and a gateway without a default
flow has conditions that cannot all be false.

Each problem is reported at its root only: an expression the engine refuses as unsafe (imports, dunder
names; workflows/engine/conventions.py) is not also a missing variable, and while a user task's form is
unknown (no formKey, or a form that does not exist: the engine reports the task) the variables that form
would provide are not reported missing, nor the gateways deciding on them.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable

from django.utils.translation import gettext as _

from workflows import dmn as dmn_tables
from workflows.contract import RequestTypeContract
from workflows.deploy_graph import BPMN, SPIFF, ProcessGraph
from workflows.engine import (
    SAFE_BUILTINS,
    SAFE_FUNCTIONS,
    BpmnProblem,
    expression_problem,
    is_data_reference,
)
from workflows.engine.bpmn_xml import extension_properties, line_of


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


def _is_unsafe(source: str, mode: str = "eval") -> bool:
    """True when the engine refuses the source (reported by its own check, with the source and the
    reason: a syntax error too, once)."""
    return bool(expression_problem(source, mode=mode))


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


def check_expressions(
    model: ProcessGraph,
    contract: RequestTypeContract,
    form_schema: Callable[[str], dict | None] | None,
    decisions: dict | None = None,
) -> list[BpmnProblem]:
    problems: list[BpmnProblem] = []
    provided: set[str] = set(contract.start_variables) | set(SAFE_BUILTINS)
    # variable → the values forms allow (None: free text or set by something else)
    choices: dict[str, set | None] = dict.fromkeys(contract.start_variables)
    # A task whose form is unknown may provide any variable: the task's own problem is the root cause.
    forms_unknown = False
    for task_id in model.of_kind("userTask"):
        form_key = extension_properties(model.nodes[task_id]).get("formKey", "")
        schema = form_schema(form_key) if form_schema and form_key else None
        if form_schema is not None and schema is None:
            forms_unknown = True
        schema = schema or {}
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
    tables: dict[str, dmn_tables.DecisionTable] = {}  # decision id → the table a business-rule task calls
    for node_id, node in model.nodes.items():
        kind = model.kind(node_id)
        if kind == "serviceTask":
            for operator in node.iter(SPIFF + "serviceTaskOperator"):
                if operator.get("resultVariable"):
                    provided.add(operator.get("resultVariable"))
                    choices[operator.get("resultVariable")] = None
                for parameter in operator.iter(SPIFF + "parameter"):
                    sources.append((node_id, "eval", parameter.get("value", ""), parameter))
        if kind == "businessRuleTask":
            # The table's outputs are set by the task; its cells read the task data (checked below).
            for called in node.iter(SPIFF + "calledDecisionId"):
                table = (decisions or {}).get((called.text or "").strip())
                if table is not None:
                    tables[table.decision_id] = table
                for name in table.output_names if table is not None else ():
                    provided.add(name.split(".")[0])
                    choices[name.split(".")[0]] = None
        if kind == "scriptTask":
            for script in node.findall(BPMN + "script"):
                sources.append((node_id, "exec", script.text or "", script))
        for definition in node.findall(BPMN + "timerEventDefinition"):
            # A timer that reads its date from the data must read something the process provides.
            for expression in definition:
                if is_data_reference(expression.text or ""):
                    sources.append((node_id, "eval", expression.text or "", expression))
        for tag in ("preScript", "postScript"):
            for script in node.iter(SPIFF + tag):
                sources.append((node_id, "exec", script.text or "", script))
    for flow_id, flow in model.flows.items():
        for condition in flow.findall(BPMN + "conditionExpression"):
            sources.append((flow_id, "eval", condition.text or "", condition))

    trees: dict[int, ast.AST] = {}
    unsafe: set[int] = set()  # refused by the engine's own check: nothing more to say about them
    for index, (element_id, mode, source, element) in enumerate(sources):
        if _is_unsafe(source, mode):
            unsafe.add(index)
        try:
            tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
        except SyntaxError:
            continue  # the engine's check reports it, with where
        trees[index] = tree
        failing = "" if index in unsafe else _always_fails(tree)
        if failing:
            problems.append(BpmnProblem(element_id, failing, line_of(element)))
        if mode == "exec":
            for name in _bound_names(tree):
                provided.add(name)
                choices[name] = None
    for index, tree in trees.items():
        element_id, _mode, source, element = sources[index]
        local = _bound_names(tree)
        missing = [n for n in _loaded_names(tree) if n not in provided and n not in local]
        if missing and not forms_unknown and index not in unsafe:
            # `open`, `eval`, `getattr` are Python's functions, not variables a form forgot to provide.
            functions = [n for n in missing if hasattr(builtins, n)]
            variables = [n for n in missing if n not in functions]
            if functions:
                problems.append(
                    BpmnProblem(
                        element_id,
                        _(
                            "The expression uses the Python function %(names)s, which conditions and scripts "
                            "cannot use (they may call %(allowed)s)."
                        )
                        % {"names": ", ".join(functions), "allowed": ", ".join(sorted(SAFE_FUNCTIONS))},
                        line_of(element),
                    )
                )
            if variables:
                problems.append(
                    BpmnProblem(
                        element_id,
                        _(
                            "The expression uses %(names)s, which no form, service task or script of this "
                            "process provides."
                        )
                        % {"names": ", ".join(variables)},
                        line_of(element),
                    )
                )
    if not forms_unknown:
        # Every name a table's input expression or cell reads, under its column or rule: a name nothing
        # provides ("> sześćdziesiąt") compiles, passes a test run that never reaches the cell, and
        # stops every request that does.
        for table in tables.values():
            problems.extend(dmn_tables.unknown_name_problems(table, provided))
    problems.extend(_check_gateways(model, choices, forms_unknown=forms_unknown))
    return problems


def _check_gateways(
    model: ProcessGraph, choices: dict[str, set | None], *, forms_unknown: bool
) -> list[BpmnProblem]:
    """An exclusive gateway without a default flow must have conditions that cannot all be false.

    While a task's form is unknown (`forms_unknown`), a gateway deciding on a variable nothing known
    provides is left alone: what that form would allow is unknown.
    """
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
            source = (found[0].text or "").strip()
            if _is_unsafe(source):
                exhaustive = True  # reported as not allowed
                break
            try:
                test = ast.parse(source, mode="eval").body
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
            if forms_unknown and name not in choices:
                exhaustive = True  # decided on a variable only the unknown form could provide
        if not exhaustive:
            problems.append(
                BpmnProblem(
                    gateway_id,
                    _(
                        "All conditions of this gateway can be false and it has no default flow: requests "
                        "would stop here with an error. Add a default flow."
                    ),
                    line_of(gateway),
                )
            )
    return problems
