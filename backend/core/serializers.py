"""Faster output of read-only list serializers, byte for byte what DRF's own `to_representation` gives.

DRF builds a serializer's fields anew for every response (a deep copy of the declared fields plus a
`build_field` per model field) and walks each field's `get_attribute` and `SkipField` checks for every
row: for a page of 25 invoices that was a fifth of the request's CPU. `FlatReadSerializerMixin` builds
the plan once per serializer class — each readable field's name, source attributes and the field itself,
whose `to_representation` formats the value exactly as before — and reads each row with plain
`getattr`. Only plain value fields qualify (`FLAT_FIELD_TYPES`) and method fields (their method is called
on the serializer at hand, as DRF calls it); a serializer with any other field (nested serializers,
write-only fields) keeps DRF's path, and so does a value the plain read cannot get (a None on the way, a
missing attribute, a callable): for that field DRF's own `get_attribute` decides. The schema is
untouched: the declared fields stay what drf-spectacular reads. Also used for the state a workflow step
answers with (backend/requests_app/apis/outputs.py), where the field copies were a tenth of the answer.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework.settings import api_settings

# Fields whose to_representation reads nothing but the value and the field's own options.
FLAT_FIELD_TYPES = (
    drf_fields.BigIntegerField,
    drf_fields.BooleanField,
    drf_fields.CharField,
    drf_fields.ChoiceField,
    drf_fields.DateField,
    drf_fields.DateTimeField,  # the current time zone is read per value, as DRF does
    drf_fields.DecimalField,
    drf_fields.IntegerField,
    drf_fields.ReadOnlyField,
)
_PLAN = "_flat_read_plan"

# (name, source attributes, field, formatter); a method field has no source attributes (None) and its
# method's name in place of the formatter.
PlanEntry = tuple[str, tuple[str, ...] | None, drf_fields.Field, Callable[[object], object] | str]


def _formatter(field: drf_fields.Field) -> Callable[[object], object]:
    """The field's to_representation, or for a plain DecimalField the same steps without their set-up.

    DRF's DecimalField builds a context (the thread's, with the field's max_digits as precision) and the
    quantum `Decimal('.1') ** decimal_places` for every value; here both are built once, from the
    context every thread starts with (decimal.DefaultContext; the portal never changes a thread's).
    Values that are not Decimals, and fields that localize, normalize or return Decimals, keep DRF's.
    """
    if type(field) is not drf_fields.DecimalField or field.decimal_places is None:
        return field.to_representation
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output:
        return field.to_representation
    context = decimal.DefaultContext.copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    quantum = decimal.Decimal(".1") ** field.decimal_places
    rounding, slow = field.rounding, field.to_representation

    def represent(value):
        if type(value) is not decimal.Decimal:
            return slow(value)
        return f"{value.quantize(quantum, rounding=rounding, context=context):f}"

    return represent


# (class, attribute) → whether DRF calls the method it names (drf_fields.is_simple_callable: no required
# arguments). DRF asks inspect.signature for every value read; a class's method does not change.
_SIMPLE_METHODS: dict[tuple[type, str], bool] = {}


def _simple_method(owner: object, attr: str, value: object) -> bool:
    """Whether `owner.attr` (callable) is a method of the owner's class that DRF calls without arguments."""
    if attr in getattr(owner, "__dict__", ()):  # set on the instance itself: ask every time, as DRF
        return drf_fields.is_simple_callable(value)
    key = (type(owner), attr)
    known = _SIMPLE_METHODS.get(key)
    if known is None:
        known = _SIMPLE_METHODS[key] = drf_fields.is_simple_callable(value)
    return known


# Put before the DRF serializer class: `class S(FlatReadSerializerMixin, serializers.ModelSerializer)`.
# A comment, not a docstring: drf-spectacular would publish an inherited docstring as each serializer's
# description in the API schema.
class FlatReadSerializerMixin:
    @classmethod
    def flat_read_plan(cls) -> tuple[PlanEntry, ...] | None:
        """(name, source attributes, field, formatter) of each readable field, or None for DRF's path."""
        if _PLAN in cls.__dict__:
            return cls.__dict__[_PLAN]
        plan: list[PlanEntry] | None = []
        for field in cls().fields.values():
            if field.write_only:
                continue
            if type(field) is drf_fields.SerializerMethodField:
                plan.append((field.field_name, None, field, field.method_name))
                continue
            if type(field) not in FLAT_FIELD_TYPES or field.source == "*":
                plan = None
                break
            plan.append((field.field_name, tuple(field.source_attrs), field, _formatter(field)))
        result = tuple(plan) if plan is not None else None
        setattr(cls, _PLAN, result)  # on this class only: a subclass builds its own
        return result

    def to_representation(self, instance):
        plan = self.flat_read_plan()
        if plan is None or isinstance(instance, Mapping):
            return super().to_representation(instance)
        row = {}
        for name, attrs, field, represent in plan:
            if attrs is None:
                row[name] = getattr(self, represent)(instance)
                continue
            try:
                value = instance
                for attr in attrs:
                    owner, value = value, getattr(value, attr)
                    if callable(value):
                        if not _simple_method(owner, attr, value):
                            raise AttributeError(attr)  # DRF's get_attribute decides
                        value = value()  # e.g. get_status_display, as DRF calls it
            except (AttributeError, ObjectDoesNotExist):  # None on the way, no such attribute or row
                try:
                    value = field.get_attribute(instance)
                except drf_fields.SkipField:
                    continue
            row[name] = None if value is None else represent(value)
        return row
