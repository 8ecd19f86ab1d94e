"""The guarded evaluation of a condition, script or decision cell that passed the static check.

Every evaluation runs a guarded copy of the code (`guarded_code`): the operations that can grow a value
(`+ * ** %`) and every loop go through the evaluation's `Budget`, which refuses a result over MAX_ITEMS
items or MAX_INT_BITS bits, a loop over MAX_ITEMS turns, more than MAX_TOTAL_ITEMS items in all, and
stops the evaluation after TIME_LIMIT seconds. The static check (`scripts`) uses the same limits.
"""

from __future__ import annotations

import ast
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from workflows.engine.errors import UnsafeScriptError

MAX_ITEMS = 10_000  # items (or characters) an operation may build, turns a loop may take
MAX_INT_BITS = 4_096  # about 1 200 digits: any amount, date or count of a request
MAX_EXPONENT = 64
TIME_LIMIT = 0.5  # seconds one evaluation may run
# Items all the operations and loop turns of one evaluation may build together: each operation stays under
# MAX_ITEMS, but ten thousand of them (`[[0] * 9999 for _ in range(9999)]`) would grow the web process by
# hundreds of MB within the half second the time limit allows. A million (what was built, freed or not:
# at most ~8 MB held) leaves room for a text grown in a loop over a contract's installments.
MAX_TOTAL_ITEMS = 1_000_000


def limit_message(what: str) -> str:
    return _("%(what)s: more than %(limit)s items (at most %(limit)s are allowed).") % {
        "what": what,
        "limit": MAX_ITEMS,
    }


def bounded_range(*args: int) -> range:
    """range() of at most MAX_ITEMS numbers: `sum(range(4 * 10**8))` would hold the process for minutes."""
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise UnsafeScriptError(limit_message("range"))
    return numbers


class Budget:
    """The limits of one evaluation: checked by the guarded code's operations and loops."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + TIME_LIMIT
        self.items = 0  # built by operations and taken by loop turns so far (MAX_TOTAL_ITEMS)

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise UnsafeScriptError(
                _("The expression ran longer than %(seconds)s s and was stopped.") % {"seconds": TIME_LIMIT}
            )

    def spend(self, items: int) -> None:
        self.items += items
        if self.items > MAX_TOTAL_ITEMS:
            raise UnsafeScriptError(
                _("The expression built more than %(limit)s items in all and was stopped.")
                % {"limit": MAX_TOTAL_ITEMS}
            )

    def iterate(self, items: Iterable) -> Iterator:
        for turn, item in enumerate(items):
            if turn >= MAX_ITEMS:
                raise UnsafeScriptError(limit_message(_("A loop")))
            self.tick()
            self.spend(1)
            yield item

    def binop(self, op: str, left: Any, right: Any) -> Any:
        self.tick()
        if op == "Mult":
            for sequence, count in ((left, right), (right, left)):
                sized = isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int)
                if sized and len(sequence) * count > MAX_ITEMS:
                    raise UnsafeScriptError(limit_message(_("A repetition")))
        whole = op == "Pow" and isinstance(left, int) and isinstance(right, int)
        if whole and (abs(right) > MAX_EXPONENT or left.bit_length() * right > MAX_INT_BITS):
            raise UnsafeScriptError(_("A power would be too large a number."))
        if op == "Mod" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise UnsafeScriptError(_("A % format may not have a width of 1000 or more."))
        result = _OPERATORS[op](left, right)
        if isinstance(result, str | bytes | list | tuple):
            if len(result) > MAX_ITEMS:
                raise UnsafeScriptError(limit_message(_("An operation")))
            self.spend(len(result))
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise UnsafeScriptError(_("A calculation would be too large a number."))
        return result


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "Add": lambda a, b: a + b,
    "Mult": lambda a, b: a * b,
    "Pow": lambda a, b: a**b,
    "Mod": lambda a, b: a % b,
}
# A printf width or precision of 1000 or more, or taken from the data ("*"): "%999999999d" % 1.
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{4,}|\d*\.(\*|\d{4,}))")
GUARD_NAME = "_portal_budget"  # one name in the globals of a guarded evaluation


class _Guard(ast.NodeTransformer):
    """Route the operations that can grow a value, and every loop, through the evaluation's Budget."""

    def _call(self, method: str, *args: ast.expr) -> ast.Call:
        func = ast.Attribute(value=ast.Name(id=GUARD_NAME, ctx=ast.Load()), attr=method, ctx=ast.Load())
        return ast.Call(func=func, args=list(args), keywords=[])

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        name = type(node.op).__name__
        if name not in _OPERATORS:
            return node
        return self._call("binop", ast.Constant(value=name), node.left, node.right)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        name = type(node.op).__name__
        if name not in _OPERATORS or not isinstance(node.target, ast.Name):
            return node
        current = ast.Name(id=node.target.id, ctx=ast.Load())
        value = self._call("binop", ast.Constant(value=name), current, node.value)
        return ast.Assign(targets=[node.target], value=value)

    def visit_For(self, node: ast.For) -> ast.AST:
        self.generic_visit(node)
        node.iter = self._call("iterate", node.iter)
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.iter = self._call("iterate", node.iter)
        return node


@functools.lru_cache(maxsize=1024)
def guarded_code(text: str, mode: str) -> Any:
    """The compiled guarded copy of a text that passed the static check (`scripts.expression_problem`)."""
    tree = ast.parse(text, mode=mode)
    tree = ast.fix_missing_locations(_Guard().visit(tree))
    return compile(tree, "<bpmn>", mode)
