"""Input rules of request submission, per kind, with translated field-level messages."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.fields import empty

from backend.clients.access_rules import may_see_contract
from backend.clients.validators import validate_polish_iban
from backend.contracts.models import Contract
from backend.contracts.schedule import ScheduleError
from backend.contracts.selectors import change_refusal
from backend.core.filters import id_field
from backend.core.language import active_lang
from backend.core.mail import absolute_url
from backend.core.money import format_money
from backend.core.prepared_reads import PreparedRead
from backend.core.text_fields import MultilineTextField, SingleLineTextField
from backend.requests_app.buyout_effects import EarlyTerminationDataSerializer
from backend.requests_app.catalogue import (
    CURRENCIES,
    INSTALLMENT_OPTIONS,
    KIND_DECLARATIONS,
    KINDS_CHANGING_CONTRACT,
    KINDS_NEEDING_ACTIVE_CONTRACT,
    KINDS_NEEDING_ATTACHMENT,
    KINDS_NEEDING_CONTRACT,
    PAYMENT_DAY_REASONS,
    PAYMENT_DAYS,
    VALUE_CHANGE_OPTIONS,
)
from backend.requests_app.change_plans import (
    CLIENT_DATA_FIELDS,
    MAX_CONTRACT_NET_VALUE,
    InstallmentOptionError,
    SchedulePlan,
    contract_value_plan_for,
    schedule_change_plan_for,
)
from backend.requests_app.models import RequestKind
from backend.requests_app.price_conversion import Price, least_converted
from backend.requests_app.selectors import open_request_of_kind
from backend.requests_app.submit_schema import add_schema_errors, submit_schema_errors
from backend.requests_app.term_fields import months_field, positive_amount_field, residual_percent_field

POSTAL_CODE_RE = re.compile(r"^\d{2}-\d{3}$")


def validate_phone(value: str) -> str:
    """Accept a Polish number (9 digits, optional +48) or an international one (+ and 8 to 15 digits)."""
    compact = re.sub(r"[\s\-()]", "", value or "")
    if compact.startswith("+"):
        ok = compact[1:].isdigit() and 8 <= len(compact) - 1 <= 15
        if compact.startswith("+48"):
            ok = compact[3:].isdigit() and len(compact) == 12
    else:
        ok = compact.isdigit() and len(compact) == 9
    if not ok:
        raise serializers.ValidationError(
            _("Enter a Polish phone number (9 digits) or an international one starting with +.")
        )
    return value.strip()


def validate_postal_code(value: str) -> str:
    if value and not POSTAL_CODE_RE.match(value):
        raise serializers.ValidationError(_("Enter a postal code in the form 00-000."))
    return value


# The forms send an emptied input as "": it reads like every other empty required field of the form.
EMPTY_IS_REQUIRED = {"blank": serializers.Field.default_error_messages["required"]}


class ContactSerializer(serializers.Serializer):
    name = SingleLineTextField(
        max_length=150, label=gettext_lazy("Contact person"), error_messages=EMPTY_IS_REQUIRED
    )
    phone = serializers.CharField(
        max_length=32,
        validators=[validate_phone],
        label=gettext_lazy("Phone"),
        error_messages=EMPTY_IS_REQUIRED,
    )
    email = serializers.EmailField(
        max_length=254, label=gettext_lazy("E-mail"), error_messages=EMPTY_IS_REQUIRED
    )


class PaymentDateChangeDataSerializer(serializers.Serializer):
    payment_day = serializers.ChoiceField(choices=PAYMENT_DAYS, required=False)
    reason = serializers.ChoiceField(choices=list(PAYMENT_DAY_REASONS))
    reason_other = SingleLineTextField(max_length=500, required=False, allow_blank=True)

    def validate(self, attrs):
        contract: Contract = self.context["contract"]
        errors = {}
        if "payment_day" not in attrs:
            if contract.payment_day in PAYMENT_DAYS:
                attrs["payment_day"] = contract.payment_day
            else:
                errors["payment_day"] = [_("This field is required.")]
        if attrs.get("payment_day") == contract.payment_day:
            errors["payment_day"] = [_("The new payment day is the same as the current one.")]
        if attrs.get("reason") == "other" and not (attrs.get("reason_other") or "").strip():
            # Not the field's label ("Describe the reason") again: the summary reads "label: message".
            errors["reason_other"] = [_("Write what the reason for the change is.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ContractValueChangeDataSerializer(serializers.Serializer):
    option = serializers.ChoiceField(choices=list(VALUE_CHANGE_OPTIONS))
    # "750000,00" too: the form's JSON Schema (bpmn/forms/contract_value_change/submit.json) allows a comma.
    net_amount = positive_amount_field()
    currency = serializers.ChoiceField(choices=CURRENCIES)

    def validate(self, attrs):
        contract: Contract = self.context["contract"]
        if attrs["currency"] != contract.currency:
            # A price in another currency is taken as given (the manual offers PLN/EUR/CHF); staff convert it
            # when approving, at the rate they enter (price_conversion.py), so its plan is checked then:
            # here only a price no rate an approval accepts brings within a contract's bound.
            price = Price(attrs["net_amount"], attrs["currency"], contract.currency)
            if least_converted(price) > MAX_CONTRACT_NET_VALUE:
                message = _(
                    "At any exchange rate this price is above the highest net amount a contract may have, %(max)s."
                ) % {"max": format_money(MAX_CONTRACT_NET_VALUE, contract.currency, lang=active_lang())}
                raise serializers.ValidationError({"net_amount": [message]})
            return attrs
        try:
            contract_value_plan_for(contract, attrs)
        except ScheduleError as exc:
            raise serializers.ValidationError({"net_amount": [str(exc)]}) from exc
        return attrs


# The last installment absorbs what the installments chosen by the client ("keep" or "amount") did not
# repay. Up to one ordinary installment of capital is rounding or a short last month; above that the
# preview warns, naming the capital left; above this many ordinary installments the plan is refused
# (40 x 2 500 zl against 198 000 zl of capital would end in a last installment of over 100 000 zl).
BALLOON_REFUSED_ABOVE = 3


def _unpaid_capital(plan: SchedulePlan, installment_option: str) -> tuple[Decimal, Decimal] | None:
    """Return (capital left for the last installment, the largest other installment) when it is a balloon."""
    if installment_option not in {"keep", "amount"} or len(plan.installments) < 2:
        return None
    last = plan.installments[-1]
    largest = max(row.net for row in plan.installments[:-1])
    return (last.capital, largest) if last.capital > largest else None


def capital_warning(plan: SchedulePlan, *, installment_option: str, currency: str, lang: str = "pl") -> str:
    """The preview's warning when the chosen installments leave capital for the last one ("" if not)."""
    if _unpaid_capital(plan, installment_option) is None:
        return ""
    return _(
        "After these installments %(capital)s of capital is left to repay: the last installment would be "
        "%(last)s."
    ) % {
        "capital": format_money(plan.installments[-1].capital, currency, lang=lang),
        "last": format_money(plan.installments[-1].net, currency, lang=lang),
    }


def check_capital_repaid(
    plan: SchedulePlan, *, installment_option: str, currency: str, lang: str = "pl"
) -> None:
    """Refuse chosen installments that leave most of the capital to the last installment."""
    balloon = _unpaid_capital(plan, installment_option)
    if balloon is None or balloon[0] <= balloon[1] * BALLOON_REFUSED_ABOVE:
        return
    raise ScheduleError(
        _(
            "These installments leave %(capital)s of capital unpaid: the last installment would be "
            "%(last)s. Raise the installments or change the period."
        )
        % {
            "capital": format_money(plan.installments[-1].capital, currency, lang=lang),
            "last": format_money(plan.installments[-1].net, currency, lang=lang),
        }
    )


def refuse_loan_residual(contract: Contract, residual_percent: Decimal | None) -> None:
    """A loan is repaid in full: it has no final (buyout) value to change (the submit and the preview)."""
    if contract.type == Contract.Type.LOAN and residual_percent is not None:
        raise serializers.ValidationError(
            {"residual_percent": [_("A loan has no final value: leave this field out.")]}
        )


class ScheduleChangeDataSerializer(serializers.Serializer):
    residual_percent = residual_percent_field(required=False, allow_null=True)
    months = months_field(required=False, allow_null=True)
    installment_option = serializers.ChoiceField(choices=list(INSTALLMENT_OPTIONS))
    net_installments = serializers.ListField(
        child=positive_amount_field(),
        required=False,
        max_length=120,
    )

    def validate(self, attrs):
        contract: Contract = self.context["contract"]
        refuse_loan_residual(contract, attrs.get("residual_percent"))
        if attrs["installment_option"] == "amount" and not attrs.get("net_installments"):
            raise serializers.ValidationError(
                {"net_installments": [_("Enter the new net installment amounts.")]}
            )
        if (
            attrs.get("residual_percent") is None
            and not attrs.get("months")
            and attrs["installment_option"] == "keep"
        ):
            raise serializers.ValidationError(
                _("Change at least one of: final value, period or installment.")
            )
        try:
            plan = schedule_change_plan_for(contract, attrs)
            check_capital_repaid(
                plan,
                installment_option=attrs["installment_option"],
                currency=contract.currency,
                lang=active_lang(),
            )
        except InstallmentOptionError as exc:
            # Said once, at the option it is about (the error summary links to it).
            raise serializers.ValidationError({"installment_option": [str(exc)]}) from exc
        except ScheduleError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return attrs


class ClientDataChangeDataSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, required=False)
    phone = serializers.CharField(max_length=32, required=False, validators=[validate_phone])
    registered_street = SingleLineTextField(max_length=255, required=False)
    registered_postal_code = serializers.CharField(
        max_length=6, required=False, validators=[validate_postal_code]
    )
    registered_city = SingleLineTextField(max_length=100, required=False)
    correspondence_street = SingleLineTextField(max_length=255, required=False, allow_blank=True)
    correspondence_postal_code = serializers.CharField(
        max_length=6, required=False, allow_blank=True, validators=[validate_postal_code]
    )
    correspondence_city = SingleLineTextField(max_length=100, required=False, allow_blank=True)
    bank_account = serializers.CharField(max_length=34, required=False)

    def validate_bank_account(self, value: str) -> str:
        compact = value.replace(" ", "").upper()
        try:
            validate_polish_iban(compact)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return compact

    def validate(self, attrs):
        client = self.context["client"]
        if not any(field in attrs and attrs[field] != getattr(client, field) for field in CLIENT_DATA_FIELDS):
            raise serializers.ValidationError(_("Change at least one field."))
        return attrs


class OtherRequestDataSerializer(serializers.Serializer):
    subject = SingleLineTextField(max_length=200)
    message = MultilineTextField(max_length=4000)


DATA_SERIALIZERS = {
    RequestKind.PAYMENT_DATE_CHANGE: PaymentDateChangeDataSerializer,
    RequestKind.CONTRACT_VALUE_CHANGE: ContractValueChangeDataSerializer,
    RequestKind.SCHEDULE_CHANGE: ScheduleChangeDataSerializer,
    RequestKind.CLIENT_DATA_CHANGE: ClientDataChangeDataSerializer,
    RequestKind.OTHER_REQUEST: OtherRequestDataSerializer,
    RequestKind.EARLY_TERMINATION: EarlyTerminationDataSerializer,  # the stored quote (buyout_effects)
    RequestKind.COMPLAINT: OtherRequestDataSerializer,  # what it is about and the description
    # RequestKind.VEHICLE_ABROAD_PERMIT: registered by backend.permits (a layer above) at start-up
}


def input_max_lengths(kind: str) -> dict[str, int]:
    """The longest text each input of the submit form takes, keyed by the page's input name.

    Read from the serializers that check the submit, so the browser's `maxlength` stops exactly where
    the server would refuse.
    """
    lengths = {}
    for prefix, serializer in (("contact", ContactSerializer()), ("data", DATA_SERIALIZERS[kind]())):
        for name, field in serializer.fields.items():
            if getattr(field, "max_length", None) and isinstance(field, serializers.CharField):
                lengths[f"{prefix}__{name}"] = field.max_length
    return lengths


# Read for every submitted request: compiled once per connection (backend/core/prepared_reads.py).
_CLIENT_CONTRACT = PreparedRead(
    lambda pk, client_id: Contract.objects.filter(pk=pk, client_id=client_id).order_by("pk")[:1],
    ints=("pk", "client_id"),
)


def contract_refusal(kind: str, contract: Contract) -> str:
    """Why `contract` takes no new request of `kind`, "" when it does: a kind that changes the contract
    needs one open to changes (contracts.selectors.change_refusal: active, no agreed buyout) and no open
    request of the same kind on it, which the message names with its address. Checked at submit by the
    serializer and again by the service under the contract's lock. A kind about a contract in force
    (KINDS_NEEDING_ACTIVE_CONTRACT, the permit) needs an active one; its page offers only those."""
    if kind in KINDS_NEEDING_ACTIVE_CONTRACT and contract.status != Contract.Status.ACTIVE:
        return _(
            "Contract %(number)s is no longer active (%(status)s): this request can be made only about an "
            "active contract."
        ) % {"number": contract.number, "status": contract.get_status_display()}
    if kind not in KINDS_CHANGING_CONTRACT:
        return ""
    refusal = change_refusal(contract)
    if refusal:
        return refusal
    open_request = open_request_of_kind(contract_id=contract.pk, kind=kind)
    if open_request is None:
        return ""
    # The address right after the number: a page shows the two as one link (portal_ui.error_summary).
    return _(
        "Contract %(contract)s already has an open request of this kind, %(number)s (%(link)s): wait for its "
        "decision or withdraw it."
    ) % {
        "contract": contract.number,
        "number": open_request.number,
        "link": absolute_url(reverse("request-page", args=[open_request.pk])),
    }


def json_ready(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value


class RequestSubmitInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    contract_id = id_field(required=False, allow_null=True)
    contact = ContactSerializer()
    declarations = serializers.DictField(child=serializers.BooleanField(), allow_empty=True)
    data = serializers.DictField(help_text="Kind-specific fields; see the catalogue's form_schema.")
    attachment_ids = serializers.ListField(
        child=id_field(),
        required=False,
        default=list,
        max_length=10,
    )

    def run_validation(self, data=empty):
        """The serializer's checks and the kind's submit schema on the body as sent (before DRF reads "yes"
        as true or drops an unknown key). A field both refuse keeps the serializer's more precise message."""
        refused = submit_schema_errors(data)
        try:
            validated = super().run_validation(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(add_schema_errors(exc.detail, refused)) from exc
        if refused:
            raise serializers.ValidationError(refused)
        return validated

    def validate(self, attrs):
        """Check the declarations, the contract and the kind's own fields; collect every error at once."""
        kind = attrs["kind"]
        errors: dict = {}
        missing = [code for code in KIND_DECLARATIONS[kind] if not attrs["declarations"].get(code)]
        if missing:
            errors["declarations"] = {code: [_("This declaration must be accepted.")] for code in missing}
        contract = None
        if attrs.get("contract_id") is not None:
            client = self.context["client"]
            contract = (
                _CLIENT_CONTRACT.first(pk=attrs["contract_id"], client_id=client.pk) if client else None
            )
            # Only the contracts the acting user may see (a fleet manager's own set).
            if contract is not None and not may_see_contract(client, contract.pk):
                contract = None
            if contract is None:
                errors["contract_id"] = [_("Choose one of your contracts.")]
            elif refusal := contract_refusal(kind, contract):
                errors["contract_id"] = [refusal]
                if contract.status != Contract.Status.ACTIVE or change_refusal(contract):
                    contract = None  # an ended contract's data are not checked: its error says it all
        elif kind in KINDS_NEEDING_CONTRACT:
            errors["contract_id"] = [_("This field is required.")]
        if kind in KINDS_NEEDING_ATTACHMENT and not attrs.get("attachment_ids"):
            errors["attachment_ids"] = [_("Attach at least one document.")]
        if kind not in KINDS_NEEDING_CONTRACT or contract is not None:
            data_serializer = DATA_SERIALIZERS[kind](
                data=attrs["data"], context={"contract": contract, "client": self.context["client"]}
            )
            if data_serializer.is_valid():
                attrs["data"] = json_ready(dict(data_serializer.validated_data))
            else:
                errors["data"] = data_serializer.errors
        if errors:
            raise serializers.ValidationError(errors)
        attrs["contract"] = contract
        attrs["declarations"] = [code for code in KIND_DECLARATIONS[kind] if attrs["declarations"].get(code)]
        return attrs
