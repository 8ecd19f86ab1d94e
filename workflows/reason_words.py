"""A message kept as an id and parameters (an incident's reason, a test run's path) read in the reader's
language, each value named as the pages name it, by the function registered for its parameter: the
outcomes, the facade's own words (outcome_labels), in every message; a value of an app above the facade,
which it may not import (a request's status), in the message that app registers it for, as it registers
its service tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext

from workflows.outcome_labels import OUTCOME_PARAMS, outcome_param_named

EVERY_MESSAGE = "*"

# (message id or EVERY_MESSAGE, parameter) → the function naming its stored value in the active language.
_namers: dict[tuple[str, str], Callable[[str], str]] = {}


def register_param_namer(reason_id: str, param: str, namer: Callable[[str], str]) -> None:
    """Name the value of `param` in the message `reason_id` (EVERY_MESSAGE: in any) by `namer` when read."""
    _namers[(reason_id, param)] = namer


def named_params(reason_id: str, params: Mapping) -> dict:
    """The message's parameters with each registered one named (a message's own namer first). Stored
    values stay raw, so a message recorded before a namer existed reads named too."""
    named = dict(params)
    for key, value in params.items():
        namer = _namers.get((reason_id, key)) or _namers.get((EVERY_MESSAGE, key))
        if namer is not None and isinstance(value, str):
            named[key] = namer(value)
    return named


def reason_text(reason_id: str, params: Mapping) -> str:
    """The message in the active language, its parameters named (named_params)."""
    return gettext(reason_id) % named_params(reason_id, params)


for _param in OUTCOME_PARAMS:
    register_param_namer(EVERY_MESSAGE, _param, outcome_param_named)
