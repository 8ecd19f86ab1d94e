"""POST /api/requests/schedule-quote/: the schedule a schedule or contract value change would give."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.contracts.schedule import ScheduleError
from backend.contracts.selectors import change_refusal
from backend.core.exceptions import PortalValidationError
from backend.core.language import active_lang
from backend.core.money import format_amount, format_date, format_money
from backend.core.permissions import IsClientUser
from backend.requests_app import selectors
from backend.requests_app.change_plans import contract_value_plan_for, schedule_change_plan_for
from backend.requests_app.inputs import ScheduleQuoteInputSerializer
from backend.requests_app.models import RequestKind
from backend.requests_app.validation import capital_warning, check_capital_repaid, refuse_loan_residual


class InstallmentOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    capital = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    net = serializers.DecimalField(max_digits=14, decimal_places=2)
    vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    capital_remaining = serializers.DecimalField(max_digits=14, decimal_places=2)
    # Formatted by backend.core.money like every amount of the portal, so the preview shows exactly what
    # the schedule page will show (the browser's own number format differs: "7918,55" vs "7 918,55").
    due_date_display = serializers.SerializerMethodField()
    net_display = serializers.SerializerMethodField()
    gross_display = serializers.SerializerMethodField()
    capital_remaining_display = serializers.SerializerMethodField()

    def get_due_date_display(self, obj) -> str:
        return format_date(obj.due_date, lang=active_lang())

    def get_net_display(self, obj) -> str:
        return format_amount(obj.net, lang=active_lang())

    def get_gross_display(self, obj) -> str:
        return format_amount(obj.gross, lang=active_lang())

    def get_capital_remaining_display(self, obj) -> str:
        return format_amount(obj.capital_remaining, lang=active_lang())


class ScheduleQuoteOutputSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    residual_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    net_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    installments = InstallmentOutputSerializer(many=True)
    first_net_display = serializers.SerializerMethodField(
        help_text="The first new net installment, with its currency."
    )
    warning = serializers.CharField(
        help_text="Set when the chosen installments leave capital for the last one: how much, in words."
    )
    refused = serializers.BooleanField(help_text="The submit refuses this plan (the warning says why).")
    residual_percent_display = serializers.SerializerMethodField()
    net_value_display = serializers.SerializerMethodField()

    def get_first_net_display(self, obj) -> str:
        rows = obj["installments"]
        return format_money(rows[0].net, obj["currency"], lang=active_lang()) if rows else ""

    def get_residual_percent_display(self, obj) -> str:
        return format_amount(obj["residual_percent"], lang=active_lang())

    def get_net_value_display(self, obj) -> str:
        return format_money(obj["net_value"], obj["currency"], lang=active_lang())


class ScheduleQuoteApi(APIView):
    """The resulting schedule for any combination, before submitting (same computation as on approval)."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS

    @extend_schema(
        request=ScheduleQuoteInputSerializer,
        responses=ScheduleQuoteOutputSerializer,
        operation_id="requests_schedule_quote",
    )
    def post(self, request):
        serializer = ScheduleQuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = selectors.get_contract_for_client(
            client=request.active_client, contract_id=data["contract_id"]
        )
        # A contract that takes no change (ended, or ending with an agreed buyout) gets no new schedule
        # either: the preview says what the submit would (validation.py), not installments it refuses.
        refusal = change_refusal(contract)
        if refusal:
            raise PortalValidationError(refusal, fields={"contract_id": [refusal]})
        refuse_loan_residual(contract, data.get("residual_percent"))
        warning, refused = "", False
        try:
            if data["kind"] == RequestKind.CONTRACT_VALUE_CHANGE:
                if data.get("net_amount") is None:
                    raise ScheduleError(str(serializers.Field.default_error_messages["required"]))
                if data.get("currency", contract.currency) != contract.currency:
                    # The client's words; staff convert the price when approving (price_conversion.py).
                    raise ScheduleError(
                        _(
                            "The price is in %(currency)s and the contract in %(contract_currency)s, so no new "
                            "installments are shown yet: when approving, staff convert the price to "
                            "%(contract_currency)s at an exchange rate (e.g. the NBP mid rate) and the decision "
                            "states both amounts."
                        )
                        % {"currency": data["currency"], "contract_currency": contract.currency}
                    )
                plan = contract_value_plan_for(contract, data)
            else:
                plan = schedule_change_plan_for(contract, data)
        except ScheduleError as exc:
            raise PortalValidationError(str(exc), fields={"non_field_errors": [str(exc)]}) from exc
        if data["kind"] == RequestKind.SCHEDULE_CHANGE:
            # The schedule is shown either way (its first rows do not show a balloon at the end): with
            # the capital left named, and whether the submit will refuse it.
            balloon = {"installment_option": data["installment_option"], "currency": contract.currency}
            try:
                check_capital_repaid(plan, **balloon, lang=active_lang())
                warning = capital_warning(plan, **balloon, lang=active_lang())
            except ScheduleError as exc:
                warning, refused = str(exc), True
        return Response(
            ScheduleQuoteOutputSerializer(
                {
                    "months": plan.months,
                    "residual_percent": plan.residual_percent,
                    "net_value": plan.net_value,
                    "currency": contract.currency,
                    "installments": plan.installments,
                    "warning": warning,
                    "refused": refused,
                }
            ).data
        )
