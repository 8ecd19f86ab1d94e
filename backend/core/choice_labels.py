"""`get_FOO_display()` of a model read from a table of its field's choices built once per field.

Django's own builds `dict(make_hashable(field.flatchoices))` on every call, and hashing each
(value, lazy label) pair translates every label: about 30 µs a call for a ten-value field, paid for each row
of a list and for the answer of every workflow step (bench/bench_http.py). Here the table maps the values to
the lazy labels, so only the one label asked for is translated, in the language active at the call; the
result is the same (a value without a label comes back as it is). Choices are fixed when the class is made.

Put first among a model's bases: `class PortalRequest(ChoiceLabels, models.Model)`; Django binds each
`get_FOO_display` to the `_get_FIELD_display` the class has when the field is added to it.
"""

from __future__ import annotations

from typing import Any

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_TABLE = "_portal_choice_labels"


def _labels(field) -> dict[Any, Any]:
    try:
        return field.__dict__[_TABLE]
    except KeyError:
        table = {make_hashable(value): label for value, label in field.flatchoices}
        setattr(field, _TABLE, table)
        return table


class ChoiceLabels:
    def _get_FIELD_display(self, field) -> Any:  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
