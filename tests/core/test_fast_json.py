"""The orjson-backed JSON codec of the engine state (backend/core/fast_json.py) means what the stdlib means."""

from __future__ import annotations

import json
import math

import pytest

from backend.core.fast_json import OrjsonDecoder, OrjsonEncoder

STATE = {
    "data": {"message": "Odpowiedź: proszę o zmianę dnia płatności", "attachment_ids": [1, 2], "ok": True},
    "tasks": {"aae4ad3c-ce53-4150-b1e0-0c6c3d3f2f11": {"children": [], "state": 64, "last_change": 1.5}},
    "nothing": None,
}


@pytest.mark.parametrize(
    "value",
    [STATE, [], {}, "tekst", 0, -1.25, {"nested": [{"a": [1, {"b": None}]}]}],
    ids=["state", "empty-list", "empty-dict", "string", "zero", "float", "nested"],
)
def test_encoding_and_decoding_agree_with_the_stdlib(value):
    text = json.dumps(value, cls=OrjsonEncoder)
    assert json.loads(text) == value  # the stdlib reads what orjson wrote
    assert json.loads(json.dumps(value), cls=OrjsonDecoder) == value  # and orjson reads the stdlib's


def test_what_orjson_refuses_falls_back_to_the_stdlib():
    huge = {"n": 2**70}
    assert json.loads(json.dumps(huge, cls=OrjsonEncoder)) == huge
    assert json.loads(json.dumps({1: "a"}, cls=OrjsonEncoder)) == {"1": "a"}
    nan = json.loads('{"x": NaN}', cls=OrjsonDecoder)
    assert math.isnan(nan["x"])


@pytest.mark.django_db
def test_the_engine_state_column_round_trips_through_the_database():
    from workflows.deployment import get_current_version
    from workflows.models import ProcessInstance

    version = get_current_version("payment_date_change")
    instance = ProcessInstance.objects.create(process_version=version, state=STATE)
    assert ProcessInstance.objects.get(pk=instance.pk).state == STATE
