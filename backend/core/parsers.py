"""The API's JSON parser: DRF's, refusing what no portal body holds and what breaks the layers below.

- Nesting deeper than MAX_DEPTH: the parser followed any depth, and a body of a thousand nested lists ran
  Python out of recursion (a 500) in the parser or, a little shallower, in the validation after it.
- The NUL character in any text or key: PostgreSQL cannot store it (a draft holding "\\u0000" was a 500
  there, in a JSON column that no field validator guards).
Either is a 400 parse error in the error shape. So is a body that is not JSON at all, with a sentence for the
user instead of DRF's "JSON parse error - Expecting value: line 1 column 1 (char 0)" (the decoder's words,
never translated), and a charset that is not a text encoding.

The multipart parser (uploads) likewise answers a body it cannot read, e.g. a Content-Type without its
boundary, with a sentence instead of DRF's "Multipart form parse error - Invalid boundary in multipart: None".
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, MultiPartParser

MAX_DEPTH = 32


def _too_deep(limit: int) -> str:
    return _("The JSON body nests too deeply (at most %(limit)d levels).") % {"limit": limit}


def body_problem(value: object, max_depth: int = MAX_DEPTH) -> str:
    """What makes parsed JSON unacceptable ("" when nothing), walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return _("Text may not contain the NUL character.")
            continue
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return _too_deep(max_depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list | str))
    return ""


class PortalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # deeper than the decoder goes: no data to look at
            raise ParseError(_too_deep(MAX_DEPTH)) from None
        except ParseError:
            raise ParseError(_("The request body is not valid JSON.")) from None
        if problem := body_problem(data):
            raise ParseError(problem)
        return data


class PortalMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError(
                _("The form sent could not be read: send the file as multipart/form-data.")
            ) from None
