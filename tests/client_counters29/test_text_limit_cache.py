"""A text field's limit is read from its serializer once per process: the thread page and the client's
request page render it on every view and live refresh, and building a serializer's fields is not free."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from portal_ui.text_limits import max_length


class CountingSerializer(serializers.Serializer):
    built = 0
    note = serializers.CharField(max_length=321)

    def get_fields(self):
        type(self).built += 1
        return super().get_fields()


def test_the_limit_is_the_serializers_own_and_its_fields_are_built_once():
    assert max_length(CountingSerializer, "note") == 321
    assert max_length(CountingSerializer, "note") == 321
    assert CountingSerializer.built == 1


def test_a_field_without_a_limit_is_refused_every_time():
    class Unlimited(serializers.Serializer):
        note = serializers.CharField()

    for _ in range(2):
        with pytest.raises(ValueError, match="Unlimited.note has no max_length"):
            max_length(Unlimited, "note")
