"""Registry of the Python functions BPMN service tasks may call.

A service task names its function: `<spiffworkflow:serviceTaskOperator id="apply_payment_date_change">`.
Domain apps register their functions at start-up (AppConfig.ready), so this module imports nothing
from them. A function takes `(params, data)` — the evaluated operator parameters and a copy of the task
data — and returns a JSON-ready dict stored in the task's result variable. It runs inside the
transaction of the engine step: an exception rolls the whole step back.
"""

from __future__ import annotations

from collections.abc import Callable

ServiceFunction = Callable[[dict, dict], dict | None]

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


def call_service(name: str, params: dict, data: dict) -> dict:
    """Run the registered function; this is the `services` callable handed to the engine."""
    function = _registry.get(name)
    if function is None:
        raise UnknownServiceTask(f"No service task function is registered as {name!r}.")
    return function(params, data) or {}
