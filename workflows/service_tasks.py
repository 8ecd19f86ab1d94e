"""Registry of the Python functions BPMN service tasks may call.

A service task names its function: `<spiffworkflow:serviceTaskOperator id="apply_payment_date_change">`.
Domain apps register their functions at start-up (AppConfig.ready), so this module imports nothing
from them. A function takes `(params, data)` — the evaluated operator parameters and a copy of the task
data — and returns a JSON-ready dict stored in the task's result variable. A function may take a third
argument, `subject`: the domain object the step is for, as the caller already locked and read it (the
request of a staff decision, a client's reply or a due timer), or None (an instance with no request
around it): it then need not read it again.
A function on the path of a timer the step fired finds in `data[TIMER_DUES_KEY]` the due times the firing
stands for (ISO, earliest first): one, or each missed occurrence of a cycle a late sweep fired once.
It runs inside the transaction of the engine step: an exception rolls the whole step back.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from workflows.engine import TIMER_DUES_KEY

__all__ = [
    "TIMER_DUES_KEY",
    "ServiceFunction",
    "UnknownServiceTask",
    "call_service",
    "declare_domain_errors",
    "domain_errors",
    "register",
    "registered_names",
]

ServiceFunction = Callable[..., dict | None]  # (params, data) or (params, data, subject)

_registry: dict[str, ServiceFunction] = {}
# Errors a service function raises on purpose (a refusal the caller shows, e.g. an impossible schedule):
# they pass through unchanged; anything else a service task raises makes the step an incident.
_domain_errors: set[type[BaseException]] = set()


class UnknownServiceTask(LookupError):
    pass


def register(name: str) -> Callable[[ServiceFunction], ServiceFunction]:
    """Register `function` under `name` (decorator)."""

    def decorator(function: ServiceFunction) -> ServiceFunction:
        _registry[name] = function
        return function

    return decorator


def declare_domain_errors(*classes: type[BaseException]) -> None:
    """Declare exception classes that are expected refusals, not failures of the process."""
    _domain_errors.update(classes)


def domain_errors() -> tuple[type[BaseException], ...]:
    return tuple(_domain_errors)


def registered_names() -> set[str]:
    return set(_registry)


def call_service(name: str, params: dict, data: dict, subject: Any = None) -> dict:
    """Run the registered function; this (with the step's subject bound) is the engine's `services`."""
    function = _registry.get(name)
    if function is None:
        raise UnknownServiceTask(f"No service task function is registered as {name!r}.")
    return (function(params, data, subject) if _takes_subject(function) else function(params, data)) or {}


@functools.cache
def _takes_subject(function: ServiceFunction) -> bool:
    return len(inspect.signature(function).parameters) >= 3
