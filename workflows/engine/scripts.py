"""The restricted script environment: safe builtins, no imports, service tasks to registered functions."""

from __future__ import annotations

import ast
import builtins
import functools
import json
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from workflows.engine.errors import UnsafeScriptError, WorkflowError

ServiceCall = Callable[[str, dict, dict], dict]


def no_services(name: str, params: dict, data: dict) -> dict:
    """A service runner that does nothing: for benchmarks and engine-only tests."""
    return {}


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
