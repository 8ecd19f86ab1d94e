"""A message kept as an id and parameters (an incident's reason) read in the reader's language, each value
named as the pages name it. The outcomes are the facade's own words (outcome_labels); a value of an app
above the facade, which it may not import (a request's status), is named by the function that app
registers for the message's parameter, as it registers its service tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext

from workflows.outcome_labels import with_outcomes_named

# (message id, parameter) → the function naming its stored value in the active language.
_namers: dict[tuple[str, str], Callable[[str], str]] = {}


def register_param_namer(reason_id: str, param: str, namer: Callable[[str], str]) -> None:
    """Name the value of `param` in the message `reason_id` by `namer` when the message is read."""
    _namers[(reason_id, param)] = namer


def reason_text(reason_id: str, params: Mapping) -> str:
    """The message in the active language, its outcomes and registered parameters named. Stored values
    stay raw, so a message recorded before a namer existed reads named too."""
    named = with_outcomes_named(params)
    for key, value in named.items():
        namer = _namers.get((reason_id, key))
        if namer is not None and isinstance(value, str):
            named[key] = namer(value)
    return gettext(reason_id) % named
