"""The lifecycle contract of each request type: what a deployed BPMN must offer the portal.

Plain data, no SpiffWorkflow and no Django: the deploy rules (`deploy_rules.deploy_checks(contracts=
CONTRACTS)`, run by engine.parse_bpmn) check a file against its type's contract at deploy, and the request
lifecycle (backend/requests_app/lifecycle.py) maps engine steps to request statuses through it, so no other
code hard-codes BPMN element ids:

- user tasks: which ids the portal can show and complete, in which lane and with which form;
- the waiting-for-client task (the request waits for the client while it is ready);
- the outcome of each end event on the main path (`<spiffworkflow:property name="outcome" ...>`), and which
  outcomes a request can still take from where the process stands (OUTCOMES_FROM);
- the timers of the waiting tasks, the deciding ones required and fixed in length (the 30-day cancel);
- the service operations every path to an outcome must run (the approved change, the decision document);
- the variables the process starts with (the submit), on top of what forms and service tasks provide.

A new request type is declared here explicitly; uploading a BPMN with an unknown process id is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum

# Process ids become URL parts and a varchar(64) column (ProcessVersion.process_key).
PROCESS_KEY_MAX_LENGTH = 64
PROCESS_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# User task and end event ids are stored as the instance's stage (ProcessInstance.stage, varchar(64)).
STAGE_ID_MAX_LENGTH = 64


class Lane(StrEnum):
    CLIENT = "Client"
    STAFF = "Staff"
    SYSTEM = "System"


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class CancelledStage(StrEnum):
    """The stage of an instance cancelled from outside its flow, by whom: no BPMN element has these ids
    (deploy refuses them), so a request's stage label tells a client's withdrawal from the lessor's
    cancellation. Both end in the outcome `cancelled`."""

    WITHDRAWN = "cancelled"  # the client withdrew the request
    BY_LESSOR = "cancelled_by_lessor"  # an administrator cancelled it in the repair console, with a reason


# Where a request stands before any user task ran: just submitted (the other standings are the lanes of
# the last user task: Staff is "in review", Client "waiting for the client").
SUBMITTED = "submitted"
# The outcomes a request can still take from where it stands: the FSM of backend/requests_app/models.py
# (approve from submitted or in review, reject only in review, cancel while open; tests/workflows_deploy/
# test_timer_contract.py keeps the two in step). Deploy refuses an end event a path reaches from a standing
# that does not allow its outcome: an `approved` end after the client's wait would fail every step there.
OUTCOMES_FROM: dict[str, frozenset[Outcome]] = {
    SUBMITTED: frozenset({Outcome.APPROVED, Outcome.CANCELLED}),
    Lane.STAFF: frozenset(Outcome),
    Lane.CLIENT: frozenset({Outcome.CANCELLED}),
}
# How long a client has to reply before an unanswered request is cancelled: the published terms of every
# standard request type, so the cancel timer's length is part of the contract, not of a diagram.
CANCEL_AFTER = timedelta(days=30)
# The timers of the wait for the client's reply, by element id: the reminder (day 14) and the cancel.
REMINDER_TIMER = "reminder_timer"
CANCEL_TIMER = "cancel_timer"
# A reminder the analyst sets to repeat (a cycle, "R3/P7D") must end and stay sparse: each repetition is an
# e-mail to the client. "R/PT1H" would mail them every hour until the request is cancelled.
REMINDER_MAX_REPEATS = 10
REMINDER_MIN_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class TaskContract:
    task_id: str
    lane: Lane
    form_key: str
    required: bool = True


class FixedReadReason(StrEnum):
    """What the date a timer's fixed read (TimerContract.reads) gives means, so a page can say why it is
    fixed; the words are the page's (portal_ui/editor_panel.py: fixed_read_text)."""

    CLIENT_REPLY_WAIT_END = "client_reply_wait_end"  # the moment the wait for the client's reply ends


@dataclass(frozen=True)
class TimerContract:
    """A timer the type may have: a boundary event on `attached_to` (non-interrupting or not)."""

    event_id: str
    attached_to: str
    interrupting: bool
    # The outcome the timer's path must end with, when the process has the timer (the 30-day cancel).
    outcome: Outcome | None = None
    # Required whenever the process has the task it is attached to (a renamed or deleted one is refused).
    required: bool = False
    # The one duration the timer may have ("P30D"), when the terms fix it.
    duration: timedelta | None = None
    # A reminder to the client: as a cycle it may repeat at most REMINDER_MAX_REPEATS times, at least
    # REMINDER_MIN_INTERVAL apart (deploy_rules_timers.check_reminder_cycles).
    reminds_client: bool = False
    # The one read of the request's data a date timer must take its date from (`complaint_clock["reply_by_at"]`),
    # when the law or the terms fix when it fires.
    reads: str = ""
    # What that date is (None: the read alone says it).
    fixed_read_reason: FixedReadReason | None = None


@dataclass(frozen=True)
class RequestTypeContract:
    process_key: str
    user_tasks: tuple[TaskContract, ...]
    waiting_for_client_task: str
    required_outcomes: frozenset[Outcome]
    timers: tuple[TimerContract, ...] = ()
    # What the process starts with (requests_app.services._submit) besides forms and service results.
    start_variables: frozenset[str] = frozenset({"request_id", "kind"})
    # Example values of start variables for the deploy test run (workflows/simulation.py), where the
    # generic stand-in would not fit (e.g. a dict of dates a timer reads).
    start_examples: dict = field(default_factory=dict, hash=False, compare=False)
    # DMN decision tables (bpmn/dmn/<id>.dmn) a business-rule task of the process must call.
    decisions: frozenset[str] = frozenset()
    # Outcome → the service operations (workflows/service_tasks.py) every path to an end event of that
    # outcome must run: what makes the outcome true (the approved change applied, its decision document).
    # Deploy refuses a version where a path, a timer's too, reaches such an end event without one of them
    # (deploy_rules_lifecycle.check_effects); the test run checks they ran (workflows/simulation.py).
    effects: dict[Outcome, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)

    def task(self, task_id: str) -> TaskContract | None:
        return next((t for t in self.user_tasks if t.task_id == task_id), None)

    def lane_of(self, task_id: str) -> Lane | None:
        task = self.task(task_id)
        return task.lane if task is not None else None

    def wait_ending_timers(self) -> dict[str, Outcome | None]:
        """The interrupting timers of the wait for the client (event id → the outcome their path ends
        with, None when it goes on without the reply): when the first fires, the client's reply is late."""
        return {
            t.event_id: t.outcome
            for t in self.timers
            if t.interrupting and t.attached_to == self.waiting_for_client_task
        }


# The service operation that writes the decision document (the annex, the decision, the answer) of a
# decided request: every approved or rejected request gets one.
DECISION_DOCUMENT = "generate_decision_document"


def _decision_effects(applies: str) -> dict[Outcome, tuple[str, ...]]:
    """An approval applies the change (`applies`) and documents it; a rejection is documented."""
    return {Outcome.APPROVED: (applies, DECISION_DOCUMENT), Outcome.REJECTED: (DECISION_DOCUMENT,)}


def _standard_contract(process_key: str, *, applies: str) -> RequestTypeContract:
    """Staff review, an optional question to the client with its reminder and time-out; an approval runs
    the operation `applies`, which makes the requested change."""
    return RequestTypeContract(
        process_key=process_key,
        user_tasks=(
            TaskContract("staff_review", Lane.STAFF, f"{process_key}/staff_review"),
            TaskContract("client_reply", Lane.CLIENT, f"{process_key}/client_reply", required=False),
        ),
        waiting_for_client_task="client_reply",
        # The test run drives approve and reject; the cancel timer's own outcome is checked with it.
        required_outcomes=frozenset({Outcome.APPROVED, Outcome.REJECTED}),
        timers=(
            TimerContract(REMINDER_TIMER, "client_reply", interrupting=False, reminds_client=True),
            TimerContract(
                CANCEL_TIMER,
                "client_reply",
                interrupting=True,
                outcome=Outcome.CANCELLED,
                required=True,
                duration=CANCEL_AFTER,
            ),
        ),
        effects=_decision_effects(applies),
    )


# Request type → the operation that makes its approved change (backend/requests_app/effects.py).
CONTRACTS: dict[str, RequestTypeContract] = {
    key: _standard_contract(key, applies=applies)
    for key, applies in (
        ("payment_date_change", "apply_payment_date_change"),
        ("contract_value_change", "apply_contract_value_change"),
        ("schedule_change", "apply_schedule_change"),
        ("client_data_change", "apply_client_data_change"),
        ("other_request", "record_staff_answer"),
    )
}
# Permit to take the vehicle abroad: a business-rule task runs the DMN table first; staff review only a
# request one of its rules refused (backend/permits/). The permit itself (a PDF with its verification
# code) is what an approval issues, whether the rules or staff allowed the trip.
CONTRACTS["vehicle_abroad_permit"] = replace(
    _standard_contract("vehicle_abroad_permit", applies="issue_vehicle_permit"),
    decisions=frozenset({"vehicle_abroad_permit"}),
    effects={Outcome.APPROVED: ("issue_vehicle_permit",), Outcome.REJECTED: (DECISION_DOCUMENT,)},
)


# Complaint (reklamacja): the statutory clock runs from the submit whichever task waits, so its timers
# read their dates from `complaint_clock` (backend/requests_app/complaints.py), which an extension moves.
COMPLAINT_REPLY_DEADLINE_TIMER = "reply_deadline_timer"
COMPLAINT_REPLY_BY = 'complaint_clock["reply_by_at"]'
COMPLAINT_CLOCK_EXAMPLE = {
    "escalate_at": "2099-12-30T00:00:00+00:00",
    "deadline_at": "2099-12-31T00:00:00+00:00",
    "reply_by_at": "2099-12-26T00:00:00+00:00",
}
CONTRACTS["complaint"] = RequestTypeContract(
    process_key="complaint",
    user_tasks=(
        TaskContract("staff_review", Lane.STAFF, "complaint/staff_review"),
        TaskContract("client_reply", Lane.CLIENT, "complaint/client_reply", required=False),
    ),
    waiting_for_client_task="client_reply",
    required_outcomes=frozenset({Outcome.APPROVED, Outcome.REJECTED}),
    timers=(
        TimerContract(REMINDER_TIMER, "client_reply", interrupting=False, reminds_client=True),
        TimerContract("escalation_timer", "staff_review", interrupting=False),
        TimerContract("deadline_timer", "staff_review", interrupting=False),
        # The client's reply is awaited until the reply-by moment, days before the statutory deadline:
        # then the complaint goes back to staff, who must still answer it in time. No cancel.
        TimerContract(
            COMPLAINT_REPLY_DEADLINE_TIMER,
            "client_reply",
            interrupting=True,
            required=True,
            reads=COMPLAINT_REPLY_BY,
            fixed_read_reason=FixedReadReason.CLIENT_REPLY_WAIT_END,
        ),
    ),
    start_variables=frozenset({"request_id", "kind", "complaint_clock"}),
    start_examples={"complaint_clock": COMPLAINT_CLOCK_EXAMPLE},
    # The answer to the complaint, upheld or not, is the statutory written reply.
    effects=_decision_effects("record_staff_answer"),
)


# Buyout / early termination: the standard stages; staff may also counter the quote ("counter"), which
# waits in client_reply for the client's acceptance (backend/requests_app/buyout_effects.py).
# Approved, the quote becomes binding and the contract ends; rejected, the reserved quote is released.
CONTRACTS["early_termination"] = replace(
    _standard_contract("early_termination", applies="apply_early_termination"),
    effects={
        Outcome.APPROVED: ("apply_early_termination", DECISION_DOCUMENT),
        Outcome.REJECTED: ("release_buyout_quote", DECISION_DOCUMENT),
    },
)


def get_contract(process_key: str) -> RequestTypeContract | None:
    return CONTRACTS.get(process_key)


def user_task_ids() -> list[str]:
    """Every user task id the declared request types know, in declaration order."""
    return list(
        dict.fromkeys(task.task_id for contract in CONTRACTS.values() for task in contract.user_tasks)
    )


def staff_task_ids() -> list[str]:
    """The user task ids done in the Staff lane."""
    return [
        task_id
        for task_id in user_task_ids()
        if any(contract.lane_of(task_id) == Lane.STAFF for contract in CONTRACTS.values())
    ]
