"""Input serializers of request steps, shared by the REST API and the portal's pages.

A page and the API of the same step validate with the same class, so they never disagree about what
is valid; the submit form's rules are RequestSubmitInputSerializer (validation.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.accounts.customer_service import NOT_ASSIGNABLE, assignable_staff
from backend.core.date_fields import POLISH_DATE, DateInputField
from backend.core.file_fields import OneFileField
from backend.core.filters import id_field, id_query_field, parse_id
from backend.core.money_fields import AmountField
from backend.core.text_fields import MultilineTextField
from backend.requests_app.catalogue import CURRENCIES, INSTALLMENT_OPTIONS
from backend.requests_app.internal_notes import EMPTY_NOTE, MAX_NOTE_LENGTH, note_refusal
from backend.requests_app.models import RequestKind, RequestStatus, RequestType
from backend.requests_app.price_conversion import PLAUSIBLE_RATES
from backend.requests_app.term_fields import months_field, positive_amount_field, residual_percent_field
from workflows.contract import staff_task_ids, user_task_ids

MAX_ATTACHMENTS = 10


def attachment_ids_field() -> serializers.ListField:
    """The ids of files uploaded beforehand (POST /api/requests/attachments/), bound by the step."""
    return serializers.ListField(
        child=id_field(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
    )


def task_id_field() -> serializers.UUIDField:
    """The task the user saw; a step of a task completed meanwhile (another tab) is a 409."""
    return serializers.UUIDField(required=False, allow_null=True)


class MessageInputSerializer(serializers.Serializer):
    message = MultilineTextField(max_length=4000)
    attachment_ids = attachment_ids_field()


class ReplyInputSerializer(MessageInputSerializer):
    task_id = task_id_field()


class AttachmentUploadInputSerializer(serializers.Serializer):
    file = OneFileField()


class ScheduleQuoteInputSerializer(serializers.Serializer):
    contract_id = id_field()
    kind = serializers.ChoiceField(
        choices=[RequestKind.SCHEDULE_CHANGE, RequestKind.CONTRACT_VALUE_CHANGE],
        default=RequestKind.SCHEDULE_CHANGE,
    )
    residual_percent = residual_percent_field(required=False, allow_null=True)
    months = months_field(required=False, allow_null=True)
    installment_option = serializers.ChoiceField(choices=list(INSTALLMENT_OPTIONS), default="auto")
    # The submit's rules (validation.py): a net price or installment above zero, said as such.
    net_installments = serializers.ListField(child=positive_amount_field(), required=False, max_length=120)
    net_amount = positive_amount_field(required=False)
    # A value change's price currency (the contract's when left out): another is not previewed.
    currency = serializers.ChoiceField(choices=CURRENCIES, required=False)


MAX_RATE_AGE_DAYS = 30  # an NBP table older than a month is not the rate of the approval


# What a rate out of PLAUSIBLE_RATES is told, zero or below too: DRF's own words named the limit 0,0001
# as "0,00" (money is written to the grosz), so 0 read "must be at least 0,00".
NBP_RATE_HINT = _("Enter the NBP rate: złoty for 1 unit of the currency (e.g. 4,2500).")


def nbp_rate_field(help_text: str) -> AmountField:
    return AmountField(
        max_digits=10,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        required=False,
        help_text=help_text,
        error_messages={"min_value": NBP_RATE_HINT},
    )


class ExchangeRateInputSerializer(serializers.Serializer):
    """The NBP rates approving a value change priced in another currency than the contract's takes
    (price_conversion.py): the approve endpoint's and the generic task completion's, one set of rules."""

    exchange_rate = nbp_rate_field(
        "Required exactly when the request's price is in another currency than the contract's "
        "(form_data.currency ≠ the contract's): the NBP table A mid rate, zł for 1 unit of the foreign "
        "currency (1 EUR = 4.2500 PLN; for EUR on a CHF contract or CHF on EUR, the price's currency), up to "
        "4 decimals, between 1 and 10. A EUR or CHF price on a PLN contract becomes price × rate, a PLN price on "
        "a EUR or CHF contract price ÷ rate, rounded half-up to grosze; form_data.price_conversion keeps "
        "both amounts and the rates."
    )
    contract_rate = nbp_rate_field(
        "Only for a EUR price on a CHF contract or CHF on EUR: the NBP table A mid rate of the contract's "
        "currency (zł for 1 unit), of the same table. The amount is price × exchange_rate ÷ contract_rate, "
        "rounded half-up to grosze."
    )
    rate_date = DateInputField(
        required=False,
        help_text=f"The date of the rates (their NBP table): not in the future, at most {MAX_RATE_AGE_DAYS} "
        "days ago.",
    )

    def _plausible(self, value: Decimal) -> Decimal:
        low, high = PLAUSIBLE_RATES
        if not low <= value <= high:
            raise serializers.ValidationError(NBP_RATE_HINT)
        return value

    def validate_exchange_rate(self, value: Decimal) -> Decimal:
        return self._plausible(value)

    def validate_contract_rate(self, value: Decimal) -> Decimal:
        return self._plausible(value)

    def validate_rate_date(self, value: date) -> date:
        today = timezone.localdate()
        if value > today:
            raise serializers.ValidationError(_("The exchange rate's date cannot be in the future."))
        if value < today - timedelta(days=MAX_RATE_AGE_DAYS):
            raise serializers.ValidationError(
                _("The exchange rate's date can be at most %(days)d days ago.") % {"days": MAX_RATE_AGE_DAYS}
            )
        return value


class _StaffCompleteFields(serializers.Serializer):
    task_id = task_id_field()
    data = serializers.DictField(help_text="The fields of the task's form (see current_task.form_schema).")
    attachment_ids = attachment_ids_field()


class StaffCompleteInputSerializer(_StaffCompleteFields, ExchangeRateInputSerializer):
    """A staff task's form data; an approval (`data.decision` "approve") of a price in another currency
    than the contract's takes the rates as approve/ does."""


class StaffAskInputSerializer(serializers.Serializer):
    task_id = task_id_field()
    question = MultilineTextField(max_length=4000)
    attachment_ids = attachment_ids_field()


class _StaffApproveTexts(serializers.Serializer):
    task_id = task_id_field()
    answer = MultilineTextField(max_length=4000, required=False, allow_blank=True)
    comment = MultilineTextField(max_length=4000, required=False, allow_blank=True)
    attachment_ids = attachment_ids_field()


class StaffApproveInputSerializer(_StaffApproveTexts, ExchangeRateInputSerializer):
    """The approval, with the exchange rate a price in another currency than the contract's takes."""


class StaffRejectInputSerializer(serializers.Serializer):
    task_id = task_id_field()
    reason = MultilineTextField(max_length=2000)
    attachment_ids = attachment_ids_field()


class StaffAssignInputSerializer(serializers.Serializer):
    """`assignee_id`: the staff member to give the task to (your own id takes it over). Releasing your own
    claim is `unclaim/`.

    `expected_assignee_id` (optional): who you saw holding the task (null: nobody); when it has changed
    hands since, nothing changes and the answer is 409.
    """

    assignee_id = id_field()
    expected_assignee_id = id_field(required=False, allow_null=True)

    def validate_assignee_id(self, value: int):
        # The people who work requests (a message thread's are the same).
        assignee = assignable_staff().filter(pk=value).first()
        if assignee is None:
            raise serializers.ValidationError(NOT_ASSIGNABLE)
        return assignee

    def expectation(self) -> dict:
        """The service's `expected_assignee_id` keyword when the caller sent one (nothing checked otherwise)."""
        data = self.validated_data
        return (
            {"expected_assignee_id": data["expected_assignee_id"]} if "expected_assignee_id" in data else {}
        )


# --------------------------------------------------------------------------------------------------
# Query strings of the lists


def query_choice(choices) -> serializers.ChoiceField:
    """An optional enum filter: blank means "not given", any other value outside the enum is a 400 (it
    matched nothing, so the caller read an empty list and no reason)."""
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True)


class RequestListQuerySerializer(serializers.Serializer):
    """The list's query string: a malformed contract id is a 400, not a database error."""

    status = query_choice(RequestStatus.choices)
    kind = query_choice(RequestKind.choices)
    type = query_choice(RequestType.choices)
    contract = id_query_field()


class DueDateTimeField(serializers.DateTimeField):
    """A date-time within the years 1900–2999. DRF's own field raised OverflowError (a 500) for the first
    and last days a datetime holds, shifting them by the time zone's offset; no task is due outside these years.
    """

    default_error_messages = {
        "out_of_range": _("Enter a date between the years 1900 and 2999."),
        # DRF's own named its ISO pattern ("YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]").
        "invalid": _("Enter the date as dd.mm.yyyy or yyyy-mm-dd, or a date and time as yyyy-mm-ddThh:mm."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", ["iso-8601", POLISH_DATE])  # as DateInputField reads a date
        super().__init__(**kwargs)

    def to_internal_value(self, value) -> datetime:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("out_of_range")
        if not 1900 <= parsed.year <= 2999:
            self.fail("out_of_range")
        return parsed


# The staff task lists (selectors_task_list.TASK_SCOPES) as the query string names them: "staff" is the default list.
TASK_LIST_SCOPES = {"staff": "", "client": "client", "open": "open", "closed": "closed"}


class StaffTaskQuerySerializer(serializers.Serializer):
    """The task list's query string: ids must be whole numbers in range, the due date a date-time, the
    enums one of their values (a stage is a user task of the request types' contracts).

    `scope` picks the list, as the page's tiles do: waiting for staff (the default), for the client, every
    open request, every closed one. Without it a stage the client works at (`client_reply`) lists the requests waiting for
    the client: in the staff list it could match nothing."""

    scope = query_choice(list(TASK_LIST_SCOPES))
    kind = query_choice(RequestKind.choices)
    type = query_choice(RequestType.choices)
    stage = query_choice(user_task_ids())
    contract = serializers.CharField(required=False, allow_blank=True)  # a part of the contract number
    client = id_query_field()
    due_before = DueDateTimeField(required=False)
    # selectors_task_list.overdue_condition: past the staff due time, from 17:00 of the due day, as the
    # page's filter.
    overdue = serializers.BooleanField(required=False, default=False)
    assignee = serializers.CharField(required=False, allow_blank=True)
    # The text selectors_task_list.task_search looks for.
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate_assignee(self, value: str) -> str | int:
        if value in {"", "me", "none"}:
            return value
        user_id = parse_id(value)
        if user_id is None:
            raise serializers.ValidationError(_('Enter "me", "none" or a user id.'))
        return user_id

    def validate(self, attrs: dict) -> dict:
        if attrs.get("scope"):
            attrs["scope"] = TASK_LIST_SCOPES[attrs["scope"]]
        elif attrs.get("stage") and attrs["stage"] not in staff_task_ids():
            attrs["scope"] = "client"
        return attrs


class ExtendDeadlineInput(serializers.Serializer):
    """A complaint's longer answer deadline and the reason the client is told (staff page and API)."""

    new_deadline = DateInputField(help_text="At most 60 days from the complaint's receipt.")
    extension_reason = MultilineTextField(min_length=10, max_length=2000)


class CounterOfferInputSerializer(serializers.Serializer):
    """Staff's counter-offer to a buyout quote: the new total and the reason the client reads."""

    total = AmountField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="The new gross total: above zero and at most the quote's total.",
    )
    reason = MultilineTextField(min_length=3, max_length=2000)


class RequestNoteInputSerializer(serializers.Serializer):
    """An internal note for colleagues on a request; the client never sees it."""

    note = MultilineTextField(
        allow_blank=True,  # refused by note_refusal, in the same words as a note of spaces alone
        error_messages={"required": EMPTY_NOTE, "null": EMPTY_NOTE},
        help_text=f"The note for colleagues, 1 to {MAX_NOTE_LENGTH} characters; the client never sees it.",
    )

    def validate_note(self, value: str) -> str:
        refusal = note_refusal(value)
        if refusal:
            raise serializers.ValidationError(refusal)
        return value
