"""backend.core.serializers.FlatReadSerializerMixin: the same output as DRF's own to_representation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal, InvalidOperation

import pytest
from rest_framework import serializers

from backend.core.serializers import FlatReadSerializerMixin


@dataclass
class Owner:
    name: str


class Row:
    def __init__(self, *, amount, owner=None, day=date(2026, 3, 1), note="", status="paid"):
        self.amount = amount
        self.owner = owner
        self.day = day
        self.note = note
        self.status = status
        self.count = 3

    @property
    def doubled(self) -> Decimal:
        return self.amount * 2

    def shout(self) -> str:  # a callable source: DRF calls it
        return self.note.upper()


class DrfRowSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    doubled = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    owner_name = serializers.CharField(source="owner.name", allow_null=True, default=None)
    day = serializers.DateField()
    note = serializers.CharField(allow_blank=True)
    shout = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=[("paid", "Paid"), ("unpaid", "Unpaid")])
    count = serializers.IntegerField()
    secret = serializers.CharField(write_only=True)


class FlatRowSerializer(FlatReadSerializerMixin, DrfRowSerializer):
    pass


class Nested(FlatReadSerializerMixin, serializers.Serializer):
    owner = DrfRowSerializer()  # not a plain value field: DRF's path serves


ROWS = [
    Row(amount=Decimal("1230.00"), owner=Owner("ACME"), note="abc"),
    Row(amount=Decimal("0"), owner=None, day=date(2024, 2, 29), status="unpaid"),
    Row(amount=Decimal("1234567.891"), owner=Owner(""), note="ąę"),  # rounded as DRF rounds
    Row(amount=Decimal("-5.5"), owner=Owner("X"), day=None),
    Row(amount=Decimal("0.125"), owner=Owner("half to even, down")),
    Row(amount=Decimal("0.135"), owner=Owner("half to even, up")),
    Row(amount=Decimal("-0.00"), owner=Owner("negative zero")),
    Row(amount=Decimal("1E+3"), owner=Owner("exponent")),
    Row(amount=2.675, owner=Owner("a float")),
    Row(amount=7, owner=Owner("an int")),
]


def test_each_row_is_what_drfs_own_path_gives():
    for row in ROWS:
        assert FlatRowSerializer(row).data == DrfRowSerializer(row).data
        assert list(FlatRowSerializer(row).data) == list(DrfRowSerializer(row).data)  # same key order


def test_a_decimal_beyond_max_digits_fails_as_in_drf():
    row = Row(amount=Decimal("123456789012345.00"))
    with pytest.raises(InvalidOperation):
        DrfRowSerializer(row).data
    with pytest.raises(InvalidOperation):
        FlatRowSerializer(row).data


def test_a_list_is_what_drfs_own_path_gives():
    assert FlatRowSerializer(ROWS, many=True).data == DrfRowSerializer(ROWS, many=True).data


def test_the_plan_is_built_once_per_class_and_leaves_write_only_fields_out():
    plan = FlatRowSerializer.flat_read_plan()
    assert plan is FlatRowSerializer.flat_read_plan()
    assert [entry[0] for entry in plan] == [
        "amount",
        "doubled",
        "owner_name",
        "day",
        "note",
        "shout",
        "status",
        "count",
    ]


def test_a_serializer_with_a_nested_one_keeps_drfs_path():
    assert Nested.flat_read_plan() is None
    row = Row(amount=Decimal("1"), owner=Owner("A"))
    holder = type("Holder", (), {"owner": row})()
    assert Nested(holder).data == {"owner": DrfRowSerializer(row).data}


def test_a_subclass_builds_its_own_plan():
    class WithExtra(FlatRowSerializer):
        extra = serializers.CharField(source="note")

    assert "extra" in [entry[0] for entry in WithExtra.flat_read_plan()]
    assert "extra" not in [entry[0] for entry in FlatRowSerializer.flat_read_plan()]


def test_a_mapping_goes_through_drfs_path():
    data = {"amount": Decimal("2"), "doubled": Decimal("4"), "owner": None, "day": None, "note": "n"}
    data |= {"shout": "N", "status": "paid", "count": 1}
    assert FlatRowSerializer(data).data == DrfRowSerializer(data).data


class Stamp:
    def __init__(self, at, note=""):
        self.at, self.note = at, note


class DrfStampSerializer(serializers.Serializer):
    at = serializers.DateTimeField(allow_null=True)
    label = serializers.SerializerMethodField()

    def get_label(self, obj) -> str:
        return f"{self.context.get('lane', '-')}:{obj.note}"


class FlatStampSerializer(FlatReadSerializerMixin, DrfStampSerializer):
    pass


def test_method_fields_and_times_are_what_drfs_path_gives_in_the_zone_and_context_of_the_call(settings):
    from datetime import datetime

    from django.utils import timezone as django_timezone

    settings.USE_TZ = True
    stamps = [Stamp(datetime(2026, 11, 28, 15, 30, 1, 123456, tzinfo=UTC), "a"), Stamp(None, "b")]
    assert FlatStampSerializer.flat_read_plan() is not None  # served by the plan, not DRF's path
    for zone in ("Europe/Warsaw", "UTC", "America/New_York"):
        with django_timezone.override(zone):
            for stamp in stamps:
                for context in ({}, {"lane": "Staff"}):
                    flat = FlatStampSerializer(stamp, context=context).data
                    assert flat == DrfStampSerializer(stamp, context=context).data
                    assert list(flat) == ["at", "label"]
    with django_timezone.override("Europe/Warsaw"):
        assert FlatStampSerializer(stamps[0], context={"lane": "Client"}).data == {
            "at": "2026-11-28T16:30:01.123456+01:00",
            "label": "Client:a",
        }


class Account:
    def __init__(self, owner: Owner, status: str):
        self._owner, self.status = owner, status

    def get_owner(self) -> Owner:
        return self._owner

    def label(self, language="pl") -> str:  # defaults only: DRF calls it
        return f"{self._owner.name}/{language}"

    def needs(self, argument) -> str:  # a required argument: DRF does not call it
        return str(argument)


class DrfAccountSerializer(serializers.Serializer):
    owner_name = serializers.CharField(source="get_owner.name")  # a method on the way
    label = serializers.CharField()
    needs = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")


class FlatAccountSerializer(FlatReadSerializerMixin, DrfAccountSerializer):
    pass


def test_methods_on_the_way_and_at_the_end_are_called_as_drf_calls_them(db):
    from backend.requests_app.models import PortalRequest

    # given: rows whose sources are methods, one of them Django's choices display (a partial)
    accounts = [Account(Owner("ACME"), "x"), Account(Owner("Żuraw"), "y")]
    for account, status in zip(accounts, ["approved", "waiting_for_client"], strict=True):
        request = PortalRequest(status=status)
        account.get_status_display = request.get_status_display  # an instance's own callable
    plain = Account(Owner("plain"), "z")
    plain.get_status_display = lambda: "bez statusu"

    # when / then: each row, twice (the second read uses what the first learnt about the class)
    for account in [*accounts, plain, *accounts]:
        assert FlatAccountSerializer(account).data == DrfAccountSerializer(account).data
    assert FlatAccountSerializer(accounts[0]).data["owner_name"] == "ACME"
    assert FlatAccountSerializer(accounts[0]).data["label"] == "ACME/pl"


def test_a_models_choices_display_is_called_through_the_class_cache(db):
    from backend.requests_app.models import PortalRequest

    class DrfRequestSerializer(serializers.Serializer):
        status_label = serializers.CharField(source="get_status_display")

    class FlatRequestSerializer(FlatReadSerializerMixin, DrfRequestSerializer):
        pass

    for status in ["approved", "rejected", "waiting_for_client"]:
        request = PortalRequest(status=status)
        assert FlatRequestSerializer(request).data == DrfRequestSerializer(request).data
        assert FlatRequestSerializer(request).data["status_label"] == request.get_status_display()
