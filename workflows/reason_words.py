"""A message kept as an id and parameters (an incident's reason, a test run's path) read in the reader's
language, each value named as the pages name it, by the function registered for its parameter: the
outcomes, the facade's own words (outcome_labels), in every message; a value of an app above the facade,
which it may not import (a request's status), in the message that app registers it for, as it registers
its service tasks; a BPMN element's id by its name in the message's version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext

from backend.core.language import quoted
from workflows.outcome_labels import OUTCOME_PARAMS, outcome_param_named

EVERY_MESSAGE = "*"

# (message id or EVERY_MESSAGE, parameter) → the function naming its stored value in the active language.
_namers: dict[tuple[str, str], Callable[[str], str]] = {}


def register_param_namer(reason_id: str, param: str, namer: Callable[[str], str]) -> None:
    """Name the value of `param` in the message `reason_id` (EVERY_MESSAGE: in any) by `namer` when read."""
    _namers[(reason_id, param)] = namer


# The parameters that hold a BPMN element's id: a reader knows the element by its name on the canvas.
ELEMENT_PARAMS = frozenset({"element", "end"})
# A version's id → its elements' names (stage_labels.element_names, registered by WorkflowsConfig.ready: it
# reads the versions, whose model module imports this one).
_version_element_names: list[Callable[[int], Mapping[str, str]]] = []


def register_element_names(names_of_version: Callable[[int], Mapping[str, str]]) -> None:
    _version_element_names[:] = [names_of_version]


def named_params(reason_id: str, params: Mapping, *, version_id: int | None = None) -> dict:
    """The message's parameters with each registered one named (a message's own namer first), and an
    element's id by its name in the version given (quoted) when it has one there. Stored values stay raw,
    so a message recorded before a namer existed reads named too."""
    named = dict(params)
    for key, value in params.items():
        namer = _namers.get((reason_id, key)) or _namers.get((EVERY_MESSAGE, key))
        if namer is not None and isinstance(value, str):
            named[key] = namer(value)
    elements = ELEMENT_PARAMS & params.keys()
    if elements and version_id is not None and _version_element_names:
        names = _version_element_names[0](version_id)
        for key in elements:
            name = names.get(params[key]) if isinstance(params[key], str) else None
            if name:
                named[key] = quoted(name)
    return named


def reason_text(reason_id: str, params: Mapping, *, version_id: int | None = None) -> str:
    """The message in the active language, its parameters named (named_params)."""
    return gettext(reason_id) % named_params(reason_id, params, version_id=version_id)


for _param in OUTCOME_PARAMS:
    register_param_namer(EVERY_MESSAGE, _param, outcome_param_named)
