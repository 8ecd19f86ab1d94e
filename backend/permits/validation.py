"""The submit data of a permit request: countries and dates, checked next to each field.

Only what the client can fix in the form is checked here (known countries, a sensible date range); the
business rules (allowed countries, the policy's scope, contract, invoices, the longest stay) are the DMN
table's, so a request that breaks one still goes in and reaches staff with the rule named.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from backend.core.date_fields import DateInputField
from backend.core.filters import id_field
from backend.permits.countries import COUNTRIES
from backend.permits.effects import contract_vehicles, vehicle_label

MAX_COUNTRIES = 20
# How far ahead a trip may be planned; the length of the stay itself is a rule of the DMN table.
MAX_DAYS_AHEAD = 365


class VehicleAbroadPermitDataSerializer(serializers.Serializer):
    countries = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(COUNTRIES)),
        min_length=1,
        max_length=MAX_COUNTRIES,
        label=gettext_lazy("Countries"),
        error_messages={
            "min_length": gettext_lazy("Choose at least one country."),
            "empty": gettext_lazy("Choose at least one country."),
        },
    )
    date_from = DateInputField(label=gettext_lazy("Travel from"))
    date_to = DateInputField(label=gettext_lazy("Return by"))
    # The leased item going abroad; required when the contract has several vehicles.
    item_id = id_field(required=False, allow_null=True, label=gettext_lazy("Vehicle"))

    def validate_countries(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))  # keep the order, drop repeats

    def validate(self, attrs):
        today = timezone.localdate()
        errors: dict[str, list[str]] = {}
        if attrs["date_from"] < today:
            errors["date_from"] = [_("The trip cannot start in the past.")]
        elif attrs["date_from"] > today + timedelta(days=MAX_DAYS_AHEAD):
            errors["date_from"] = [_("The trip can start at most a year from today.")]
        if attrs["date_to"] < attrs["date_from"]:
            errors["date_to"] = [_("The return date cannot be earlier than the departure date.")]
        vehicles = contract_vehicles(self.context["contract"]) if self.context.get("contract") else []
        item = None
        if attrs.get("item_id") is not None:
            item = next((v for v in vehicles if v.pk == attrs["item_id"]), None)
            if item is None:
                errors["item_id"] = [_("Choose a vehicle of the chosen contract.")]
        elif len(vehicles) > 1:
            errors["item_id"] = [_("The contract has several vehicles: choose the one going abroad.")]
        elif vehicles:
            item = vehicles[0]
        if errors:
            raise serializers.ValidationError(errors)
        data = {
            "countries": attrs["countries"],
            "date_from": attrs["date_from"].isoformat(),
            "date_to": attrs["date_to"].isoformat(),
        }
        if item is not None:
            # The vehicle as the pages name it (the permit's PDF reads the item itself).
            data |= {"item_id": item.pk, "vehicle": vehicle_label(item)}
        return data
