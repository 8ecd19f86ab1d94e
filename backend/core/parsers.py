"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

No body of the portal nests more than a few levels, but the parser followed any depth: a body of a
thousand nested lists ran Python out of recursion (a 500) in the parser or, a little shallower, in the
validation after it. Deeper than MAX_DEPTH is now a 400 parse error in the error shape.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_exceeds(value: object, limit: int) -> bool:
    """Whether lists and objects inside `value` nest deeper than `limit` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class PortalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(
            _("The JSON body nests too deeply (at most %(limit)d levels).") % {"limit": MAX_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if nesting_exceeds(data, MAX_DEPTH):
            raise too_deep
        return data
