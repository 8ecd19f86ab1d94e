"""The restricted script environment: safe builtins, no imports, service tasks to registered functions.

Conditions, scripts and decision-table cells are bounded by construction, so no expression an analyst
deploys can hold a web process: `expression_problem` allows only the Python a flow needs (comparisons,
arithmetic, names, subscripts, literals, comprehensions, calls of the safe builtins and a few read-only
methods; `**` only to a small constant) in at most MAX_SOURCE_CHARS, and every evaluation runs a
guarded copy of the code (`script_guard.guarded_code`) whose operations, loops and time are bounded. The
same check runs at deploy (Validate names the element) and before each evaluation, so a version
deployed before a rule existed is refused at run time (an incident), never run.
"""

from __future__ import annotations

import ast
import builtins
import functools
import json
import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from workflows.engine.errors import UnsafeScriptError, WorkflowError
from workflows.engine.script_guard import (
    GUARD_NAME,
    MAX_EXPONENT,
    MAX_INT_BITS,
    MAX_ITEMS,
    Budget,
    bounded_range,
    guarded_code,
)

ServiceCall = Callable[[str, dict, dict], dict]

# The data a service task gets on the path of a timer fired in this step also holds, under this key, the
# due times the firing stands for (ISO, earliest first): one, or every missed occurrence of a cycle that
# a late sweep fired once (timers.fire_timers_due_by). Only in the copy handed to the function: not stored.
TIMER_DUES_KEY = "fired_timer_dues"

MAX_SOURCE_CHARS = 5_000  # a condition, script or cell; the shipped ones hold at most ~400


def no_services(name: str, params: dict, data: dict) -> dict:
    """A service runner that does nothing: for benchmarks and engine-only tests."""
    return {}


SAFE_BUILTINS: dict[str, Any] = {
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
} | {"range": bounded_range}
SAFE_FUNCTIONS = frozenset(name for name in SAFE_BUILTINS if name not in {"True", "False", "None"})
# Read-only methods of the task data (dicts and strings), each linear in its object's size.
SAFE_METHODS = frozenset(
    {"get", "keys", "values", "items", "lower", "upper", "casefold", "strip", "lstrip", "rstrip"}
    | {"startswith", "endswith", "split", "isdigit"}
)
_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.Pass, ast.Break,
    ast.Continue, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call, ast.keyword,
    ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.List, ast.Tuple, ast.Set, ast.Dict,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension, ast.JoinedStr,
    ast.FormattedValue, ast.expr_context, ast.boolop, ast.unaryop, ast.cmpop,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.BitAnd, ast.BitOr, ast.BitXor,
)  # fmt: skip
_SEQUENCE_LITERALS = (ast.List, ast.Tuple, ast.JoinedStr, ast.ListComp, ast.GeneratorExp)


def _segment(source: str, node: ast.AST) -> str:
    return " ".join((ast.get_source_segment(source, node) or type(node).__name__).split())[:120]


def _constant_int(node: ast.AST) -> int | None:
    """The value of a constant whole-number expression (`4 * 10**8`), or None."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) is int else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _constant_int(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Pow):
        left, right = _constant_int(node.left), _constant_int(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Pow):
            if not (0 <= right <= MAX_EXPONENT and abs(left) < 2**64):
                return None
            return left**right
        if isinstance(node.op, ast.Mult):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                return None
            return left * right
        return left + right if isinstance(node.op, ast.Add) else left - right
    return None


def _constant_range_length(call: ast.Call) -> int | None:
    """How many numbers `range(...)` of constant arguments counts, or None when they are not constant."""
    values = [_constant_int(arg) for arg in call.args]
    if not values or len(values) > 3 or None in values:
        return None
    try:
        return len(range(*values))
    except (ValueError, OverflowError):
        return None


def _is_small_int(node: ast.AST, limit: int) -> bool:
    value = _constant_int(node)
    return value is not None and abs(value) <= limit


def _parsed_text(source: str, mode: str) -> str:
    """The text parsed: an expression without its surrounding whitespace (a condition "\n  x > 1")."""
    return source.strip() if mode == "eval" else source


@functools.lru_cache(maxsize=1024)
def _script_problem(source: str, mode: str) -> tuple[str, dict[str, Any]] | None:
    """Why the engine refuses the source, or None (cached: the same expressions run on every step).

    The message is kept untranslated because the cache outlives the request and its language.
    """
    if len(source) > MAX_SOURCE_CHARS:
        return gettext_noop("it is longer than %(limit)d characters"), {"limit": MAX_SOURCE_CHARS}
    text = _parsed_text(source, mode)
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError as exc:
        # Python's own text ("invalid syntax", "'(' was never closed") is English: say where instead.
        if text.count("\n") and exc.lineno:
            return gettext_noop("a syntax error at line %(line)d, column %(column)d"), {
                "line": exc.lineno,
                "column": exc.offset or 1,
            }
        return gettext_noop("a syntax error at column %(column)d"), {"column": exc.offset or 1}
    except (ValueError, RecursionError, MemoryError):
        return gettext_noop("it cannot be read (a NUL character or nesting too deep)"), {}
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            return gettext_noop("imports are not allowed"), {}
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            return gettext_noop("private attributes are not allowed"), {}
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            return gettext_noop("names starting with __ are not allowed"), {}
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            return gettext_noop("%(code)s is not allowed in conditions and scripts"), {
                "code": _segment(text, node)
            }
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id not in SAFE_FUNCTIONS:
                return gettext_noop(
                    "%(name)s is not a function conditions and scripts may call (they may call %(allowed)s)"
                ), {"name": node.func.id, "allowed": ", ".join(sorted(SAFE_FUNCTIONS))}
            if isinstance(node.func, ast.Attribute) and node.func.attr not in SAFE_METHODS:
                return gettext_noop("the method %(name)s is not allowed (allowed: %(allowed)s)"), {
                    "name": node.func.attr,
                    "allowed": ", ".join(sorted(SAFE_METHODS)),
                }
            if not isinstance(node.func, ast.Name | ast.Attribute):
                return gettext_noop("%(code)s is not allowed in conditions and scripts"), {
                    "code": _segment(text, node)
                }
        if isinstance(node, ast.Attribute) and id(node) not in called:
            return gettext_noop("%(code)s: only the methods %(allowed)s may be used after a dot"), {
                "code": _segment(text, node),
                "allowed": ", ".join(sorted(SAFE_METHODS)),
            }
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Pow)
            and not _is_small_int(node.right, MAX_EXPONENT)
        ):
            return gettext_noop(
                "the power %(code)s is not allowed: the exponent must be a whole number up to %(limit)d"
            ), {
                "code": _segment(text, node),
                "limit": MAX_EXPONENT,
            }
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            for sequence, count in ((node.left, node.right), (node.right, node.left)):
                literal = isinstance(sequence, _SEQUENCE_LITERALS) or (
                    isinstance(sequence, ast.Constant) and isinstance(sequence.value, str | bytes)
                )
                if literal and not _is_small_int(count, MAX_ITEMS):
                    return gettext_noop("the repetition %(code)s may make more than %(limit)d items"), {
                        "code": _segment(text, node),
                        "limit": MAX_ITEMS,
                    }
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "range"
            and (_constant_range_length(node) or 0) > MAX_ITEMS
        ):
            return gettext_noop("%(code)s counts more than %(limit)d numbers"), {
                "code": _segment(text, node),
                "limit": MAX_ITEMS,
            }
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = node.format_spec
            if any(
                isinstance(part, ast.FormattedValue) for part in ast.walk(spec) if part is not spec
            ) or any(
                re.search(r"\d{4,}", part.value)
                for part in ast.walk(spec)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            ):
                return gettext_noop("the format %(code)s is not allowed: widths go up to 999"), {
                    "code": _segment(text, node)
                }
        if isinstance(node, ast.AugAssign) and not isinstance(node.target, ast.Name):
            return gettext_noop("%(code)s is not allowed: assign the whole value instead"), {
                "code": _segment(text, node)
            }
    return None


_KIND_MESSAGES = {
    "condition": gettext_noop("The condition “%(source)s” cannot be used: %(reason)s."),
    "script": gettext_noop("The script cannot be used: %(reason)s."),
    "expression": gettext_noop("The expression “%(source)s” cannot be used: %(reason)s."),
}


def expression_problem(source: str, *, mode: str = "exec") -> str:
    """Why the engine refuses `source` (`mode`: "eval" for a condition or expression, "exec" for a
    script), in the current language without the frame, or ""."""
    problem = _script_problem(source, mode)
    if problem is None:
        return ""
    message, params = problem
    return _(message) % params


def describe_problem(source: str, reason: str, *, kind: str = "expression") -> str:
    """One sentence for a refused source: "The condition `x = 1` cannot be used: a syntax error at …"."""
    shown = " ".join(source.split())
    shown = f"{shown[:200]}…" if len(shown) > 200 else shown
    return _(_KIND_MESSAGES[kind]) % {"source": shown, "reason": reason}


def check_script_safety(
    source: str, *, element_id: str = "", mode: str = "exec", kind: str = "script"
) -> None:
    """Refuse what the restricted environment does not run (see the module's docstring), naming
    the source; `kind` ("condition", "script", "expression") is what the analyst calls it."""
    reason = expression_problem(source, mode=mode)
    if reason:
        raise UnsafeScriptError(describe_problem(source, reason, kind=kind), element_id=element_id)


class RestrictedEnvironment(TaskDataEnvironment):
    """Safe builtins only; no imports; bounded evaluation; service tasks go to the registered functions."""

    def __init__(self, services: ServiceCall | None):
        super().__init__({"__builtins__": SAFE_BUILTINS})
        self.services = services

    def evaluate(self, expression, context, external_context=None):
        check_script_safety(expression, mode="eval", kind="expression")
        scope = {**self.globals, **(external_context or {}), **context, GUARD_NAME: Budget()}
        return eval(guarded_code(_parsed_text(expression, "eval"), "eval"), scope)  # noqa: S307 (checked and guarded above)

    def execute(self, script, context, external_context=None):
        check_script_safety(script, mode="exec", kind="script")
        # The budget is a global like the builtins: removed from the data after the run.
        guarded = {**(external_context or {}), GUARD_NAME: Budget()}
        return super().execute(guarded_code(script, "exec"), context, guarded)


class PortalScriptEngine(PythonScriptEngine):
    def __init__(self, services: ServiceCall | None):
        super().__init__(environment=RestrictedEnvironment(services))
        # Timer task id → the due times its firing in this step stands for (set by fire_timers_due_by).
        self.fired_timer_dues: dict[Any, list[str]] = {}

    def _fired_timer_dues(self, task) -> list[str] | None:
        """The due times of the timer fired in this step whose path reached `task` (None: no such timer
        before the task's user task, if any)."""
        parent = task.parent
        while parent is not None and not parent.task_spec.manual:
            if parent.id in self.fired_timer_dues:
                return self.fired_timer_dues[parent.id]
            parent = parent.parent
        return None

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        services = self.environment.services
        if services is None:
            raise WorkflowError(_("No service runner is configured."), element_id=task.task_spec.bpmn_id)
        params = {name: spec["value"] for name, spec in (operation_params or {}).items()}
        data = dict(task.data)
        dues = self._fired_timer_dues(task) if self.fired_timer_dues else None
        if dues is not None:
            data[TIMER_DUES_KEY] = list(dues)
        try:
            result = services(operation_name, params, data)
        except Exception as exc:
            # Keep the domain error (e.g. an impossible schedule) for the caller to show.
            exc.bpmn_element_id = task.task_spec.bpmn_id
            raise
        return json.dumps(result or {}, default=str)
