"""orjson behind the stdlib's JSONEncoder / JSONDecoder interface, for a JSONField that holds large data.

Django's JSONField encodes with `json.dumps(value, cls=encoder)` and decodes with `json.loads(text,
cls=decoder)`; both call the class's `encode` / `decode`, which here go to orjson (about ten times
faster on an engine state of a few kilobytes, read and written on every workflow step). What orjson
refuses (integers beyond 64 bits, NaN, non-string keys) falls back to the stdlib, so the stored JSON
means the same either way.
"""

from __future__ import annotations

import json

import orjson


class OrjsonEncoder(json.JSONEncoder):
    def encode(self, o) -> str:
        try:
            return orjson.dumps(o).decode()
        except (TypeError, orjson.JSONEncodeError):
            return super().encode(o)


class OrjsonDecoder(json.JSONDecoder):
    def decode(self, s, *args, **kwargs):
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError:
            return super().decode(s, *args, **kwargs)
