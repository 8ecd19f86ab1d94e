"""The test run: drive a process version through every path its request type's contract names.

Before a version becomes current (and on "Test" in the editor) the engine runs the version, with form
data generated from each task's JSON Schema, through:

- approve: submit → staff approves → the approved outcome;
- reject: submit → staff rejects → the rejected outcome;
- ask_reply_approve: submit → staff asks → the request waits for the client → reply → staff approves;
- reminder: staff asks, the clock stands at day 14 of waiting → the reminder ran, the client still answers
  (labelled with the day the version's own reminder timer fires);
- cancel: staff asks, the clock stands at day 30 of waiting → the cancelled outcome.

Only the engine runs: no request, no instance row. Service tasks are answered by a stand-in that only
checks the function is registered (the real ones change contracts and send reminders); a path that ends
with an outcome must have called the operations the contract ties to it (`RequestTypeContract.effects`).
The clock is a simulated one handed to the engine (`engine.fire_timers_due_by`), not the real one. All of
it runs in a transaction that is always rolled back, so even a service that wrote something could not
leave it.

Example data for the forms: workflows/schema_examples.py (fixed, not random: a deploy needs the same
answer every time).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows import engine
from workflows.contract import CANCEL_AFTER, Lane, Outcome, RequestTypeContract
from workflows.reason_words import reason_text
from workflows.schema_examples import example_from_schema, form_problem
from workflows.service_tasks import registered_names

# The decisions the staff review form sends (backend/requests_app/services.complete_staff_task).
DECISION_FIELD = "decision"
APPROVE, REJECT, ASK = "approve", "reject", "ask_client"
# The reminder must come by this day of waiting for the client (an earlier one is fine).
REMINDER_DAY = 14
CANCEL_DAY = CANCEL_AFTER.days  # the contract fixes the cancel timer's length (deploy refuses another)
# Automatic steps one whole path may run (each engine call also stops at engine.STEP_BUDGET).
PATH_STEP_BUDGET = 100

PATHS = ("approve", "reject", "ask_reply_approve", "reminder", "cancel")


class PathStatus:
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class PathResult:
    path: str
    status: str  # PathStatus
    element_id: str = ""  # where it stopped (failed) or ended (passed)
    reason: str = ""  # in the language of the run; readers see simulation_labels.path_reason
    steps: tuple[str, ...] = ()  # element ids run, in order
    # The run's own reasons are kept as a message id and its parameters, so that a stored run reads in
    # the language of whoever looks at it later; an engine error has only its text (`reason`).
    reason_id: str = ""
    reason_params: dict = field(default_factory=dict)
    # What the path's label says of this version (the day its reminder fires): simulation_labels.path_label.
    label_params: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status != PathStatus.FAILED

    def to_dict(self) -> dict:
        return {**asdict(self), "steps": list(self.steps)}


@dataclass(frozen=True)
class TestRun:
    __test__ = False  # not a pytest test class despite its name

    passed: bool
    paths: tuple[PathResult, ...]
    ran_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "ran_at": self.ran_at.isoformat(),
            "paths": [p.to_dict() for p in self.paths],
        }

    def failures(self) -> list[PathResult]:
        return [p for p in self.paths if p.status == PathStatus.FAILED]


# --------------------------------------------------------------------------------------------------
# Driving the engine


class _Stopped(Exception):
    """A path stopped: `reason` is a message id (gettext_noop) filled with `params`; with params None it
    is a text as it is (an engine error, already in the active language)."""

    def __init__(self, element_id: str, reason: str, params: dict | None = None):
        super().__init__(reason)
        self.element_id = element_id
        self.reason_id = reason if params is not None else ""
        self.params = params or {}
        self.reason = reason_text(reason, self.params) if params is not None else reason


class _Skipped(_Stopped):
    def __init__(self, reason: str, params: dict):
        super().__init__("", reason, params)


class _RolledBack(Exception):
    """Raised at the end of the run's transaction so that nothing it did can be committed."""


def stand_in_services(calls: list[str]) -> engine.ServiceCall:
    """A service runner for runs that must change nothing: it checks the function is registered, notes
    the call in `calls` and answers a neutral result (the real functions change contracts, send mail)."""
    known = registered_names()

    def run(name: str, params: dict, data: dict) -> dict:
        if name not in known:
            raise engine.WorkflowError(
                _('No service task function is registered as "%(name)s".') % {"name": name}
            )
        calls.append(name)
        return {"simulated": True, "summary": []}

    return run


class _Driver:
    """One path: the instance's state, the steps run so far, and the checks that stop the path."""

    def __init__(self, process: engine.ParsedProcess, contract: RequestTypeContract, forms: dict[str, dict]):
        self.process = process
        self.contract = contract
        self.forms = forms
        self.steps: list[str] = []
        self.calls: list[str] = []
        self.services = stand_in_services(self.calls)
        self.result: engine.StepResult | None = None
        self.label_params: dict = {}

    def _run(self, call) -> engine.StepResult:
        try:
            result = call()
        except Exception as exc:  # every engine failure is a finding of the run, named by its element
            element = getattr(exc, "element_id", "") or getattr(exc, "bpmn_element_id", "") or self.where()
            message = str(exc).split("] ", 1)[-1] if isinstance(exc, engine.WorkflowError) else str(exc)
            raise _Stopped(element, message or exc.__class__.__name__) from exc
        self.steps += result.ran
        if len(self.steps) > PATH_STEP_BUDGET:
            raise _Stopped(
                self.steps[-1],
                gettext_noop("The path ran more than %(limit)d steps; the flow probably loops."),
                {"limit": PATH_STEP_BUDGET},
            )
        self.result = result
        return result

    def where(self) -> str:
        if self.result is None:
            return self.process.process_key
        return (
            self.result.stage
            if self.result.stage not in {"waiting", "completed"}
            else (self.steps[-1] if self.steps else self.result.stage)
        )

    def start(self) -> None:
        data = {
            name: 0 if name.endswith("_id") else self.process.process_key
            for name in self.contract.start_variables
        }
        data.update(self.contract.start_examples)
        self._run(lambda: engine.start_instance(self.process, data=data, services=self.services))

    def task_id(self, lane: Lane) -> str:
        task = next((t for t in self.contract.user_tasks if t.lane == lane and t.required), None)
        task = task or next((t for t in self.contract.user_tasks if t.lane == lane), None)
        return task.task_id if task else ""

    def decisions(self) -> list:
        staff = self.process.user_tasks.get(self.task_id(Lane.STAFF))
        schema = self.forms.get(staff.form_key, {}) if staff else {}
        return list(schema.get("properties", {}).get(DECISION_FIELD, {}).get("enum", []))

    def expect_waiting(self, task_id: str) -> engine.UserTask:
        result = self.result
        ready = next((t for t in result.ready_tasks if t.name == task_id), None)
        if ready is None:
            if task_id not in self.process.user_tasks:
                # Named by the task the version lacks, not by where the request went instead.
                raise _Stopped(
                    task_id,
                    gettext_noop(
                        "This version has no user task %(task)s, which the request type's contract needs "
                        "here (the request went to %(stage)s instead): was it deleted or renamed?"
                    ),
                    {"task": task_id, "stage": result.outcome or result.stage},
                )
            if result.completed:
                reason = gettext_noop("The request ended (%(outcome)s) where the task %(task)s should wait.")
                params = {"outcome": result.outcome or result.stage, "task": task_id}
            else:
                reason = gettext_noop("The task %(task)s should wait now, but the request is at %(stage)s.")
                params = {"task": task_id, "stage": result.stage}
            raise _Stopped(self.where(), reason, params)
        return ready

    def complete(self, task_id: str, overrides: dict) -> None:
        task = self.expect_waiting(task_id)
        schema = self.forms.get(task.form_key, {})
        data = example_from_schema(schema, overrides)
        problem = form_problem(schema, data)
        if problem:
            raise _Stopped(
                task_id,
                gettext_noop("No valid data for the form %(form)s could be made: %(problem)s"),
                {"form": task.form_key, "problem": problem},
            )
        state = self.result.state
        self._run(
            lambda: engine.complete_user_task(self.process, state, task.id, data, services=self.services)
        )

    def expect_outcome(self, outcome: Outcome) -> None:
        result = self.result
        if not result.completed:
            raise _Stopped(
                self.where(),
                gettext_noop(
                    "The request should end with the outcome %(expected)s, but it waits at %(stage)s."
                ),
                {"expected": outcome.value, "stage": result.stage},
            )
        if result.outcome != outcome.value:
            raise _Stopped(
                result.stage,
                gettext_noop(
                    "The request ended with the outcome %(actual)s; this path must end with %(expected)s."
                ),
                {"actual": result.outcome or "—", "expected": outcome.value},
            )
        # Ending so is not enough: what makes the outcome true (the approved change) must have run.
        missing = [name for name in self.contract.effects.get(outcome, ()) if name not in self.calls]
        if missing:
            raise _Stopped(
                result.stage,
                gettext_noop(
                    "The request ended with the outcome %(outcome)s without running the operation "
                    "%(operations)s, which every request ending so must run."
                ),
                {"outcome": outcome.value, "operations": ", ".join(missing)},
            )

    def ask_client(self) -> datetime:
        """Staff asks; return the frozen clock's start: when the request began waiting for the client."""
        self.complete(self.task_id(Lane.STAFF), {DECISION_FIELD: ASK})
        self.expect_waiting(self.contract.waiting_for_client_task)
        return datetime.now(UTC)

    def timer(self, interrupting: bool, outcome: Outcome | None = None) -> str:
        """The contract's timer of this kind that waits now, or skip the path. `outcome`: the one its path
        ends with (a complaint's deadline timer interrupts the wait too, but the complaint goes on)."""
        waiting = {t.element_id for t in engine.timer_due_times(self.process, self.result.state)}
        for timer in self.contract.timers:
            if timer.interrupting == interrupting and timer.outcome == outcome and timer.event_id in waiting:
                return timer.event_id
        raise _Skipped(gettext_noop("This version has no such timer on the task waiting for the client."), {})

    def clock_at(self, at: datetime) -> None:
        state = self.result.state
        self._run(lambda: engine.fire_timers_due_by(self.process, state, at, services=self.services))


def _path_approve(d: _Driver) -> None:
    d.complete(d.task_id(Lane.STAFF), {DECISION_FIELD: APPROVE})
    d.expect_outcome(Outcome.APPROVED)


def _path_reject(d: _Driver) -> None:
    d.complete(d.task_id(Lane.STAFF), {DECISION_FIELD: REJECT})
    d.expect_outcome(Outcome.REJECTED)


def _path_ask_reply_approve(d: _Driver) -> None:
    d.ask_client()
    d.complete(d.contract.waiting_for_client_task, {})
    d.complete(d.task_id(Lane.STAFF), {DECISION_FIELD: APPROVE})
    d.expect_outcome(Outcome.APPROVED)


_REMINDER_LATE = {
    "never": gettext_noop(
        "The reminder must come by day %(day)d of waiting for the client, before the request "
        "is cancelled after %(cancel)d days, but this timer did not fire by then."
    ),
    "waits": gettext_noop(
        "The reminder must come by day %(day)d of waiting for the client, before the request is "
        "cancelled after %(cancel)d days, but this timer waits %(days)d days: shorten it to "
        "P%(day)dD or less."
    ),
}
_REMINDER_LATE_NO_CANCEL = {
    "never": gettext_noop(
        "The reminder must come by day %(day)d of waiting for the client, but this timer did not fire by then."
    ),
    "waits": gettext_noop(
        "The reminder must come by day %(day)d of waiting for the client, but this timer waits %(days)d days: "
        "shorten it to P%(day)dD or less."
    ),
}


def _has_cancel(contract: RequestTypeContract) -> bool:
    """Whether the type's terms cancel a request the client leaves unanswered (the fixed 30-day timer)."""
    return any(timer.outcome == Outcome.CANCELLED and timer.duration is not None for timer in contract.timers)


def _path_reminder(d: _Driver) -> None:
    # An earlier reminder is fine; a later one breaks the promise to remind the client by day 14.
    since = d.ask_client()
    reminder = d.timer(interrupting=False)
    due = next(
        (t.due for t in engine.timer_due_times(d.process, d.result.state) if t.element_id == reminder), None
    )
    # The day of waiting the version's reminder fires on (P7D: day 7), for the path's label.
    days = max(1, math.ceil((due - since).total_seconds() / 86400)) if due is not None else None
    if days is not None:
        d.label_params = {"day": days}
    before = len(d.steps)
    d.clock_at(since + timedelta(days=REMINDER_DAY, minutes=1))
    if reminder not in d.steps[before:]:
        rule = {"day": REMINDER_DAY, "cancel": CANCEL_DAY}
        # The cancel is named only where the type has one (a complaint is never cancelled).
        message = _REMINDER_LATE if _has_cancel(d.contract) else _REMINDER_LATE_NO_CANCEL
        if days is None:
            raise _Stopped(reminder, message["never"], rule)
        raise _Stopped(reminder, message["waits"], {**rule, "days": days})
    d.expect_waiting(d.contract.waiting_for_client_task)


def _path_cancel(d: _Driver) -> None:
    since = d.ask_client()
    d.timer(interrupting=True, outcome=Outcome.CANCELLED)
    # Day by day, as the sweep would: the label says how many reminders the client gets before the cancel
    # (a cycle R3/P7D: days 7, 14, 21), which an analyst changing the reminder wants to see.
    reminders = {t.event_id for t in d.contract.timers if t.reminds_client}
    reminder_days = []
    for day in range(1, CANCEL_DAY):
        before = len(d.steps)
        d.clock_at(since + timedelta(days=day, minutes=1))
        if reminders & set(d.steps[before:]):
            reminder_days.append(day)
    d.label_params = {"reminder_days": reminder_days}
    d.expect_waiting(d.contract.waiting_for_client_task)
    d.clock_at(since + timedelta(days=CANCEL_DAY, minutes=1))
    d.expect_outcome(Outcome.CANCELLED)


_DRIVERS = {
    "approve": (APPROVE, _path_approve),
    "reject": (REJECT, _path_reject),
    "ask_reply_approve": (ASK, _path_ask_reply_approve),
    "reminder": (ASK, _path_reminder),
    "cancel": (ASK, _path_cancel),
}


def _run_path(path: str, process, contract, forms) -> PathResult:
    decision, drive = _DRIVERS[path]
    d = _Driver(process, contract, forms)
    try:
        if decision not in d.decisions():
            raise _Skipped(
                gettext_noop("The staff form does not offer the decision %(decision)s."),
                {"decision": decision},
            )
        d.start()
        drive(d)
    except _Stopped as stop:
        status = PathStatus.SKIPPED if isinstance(stop, _Skipped) else PathStatus.FAILED
        return PathResult(
            path,
            status,
            stop.element_id,
            stop.reason,
            tuple(d.steps),
            stop.reason_id,
            stop.params,
            d.label_params,
        )
    return PathResult(
        path,
        PathStatus.PASSED,
        d.result.stage if d.result else "",
        "",
        tuple(d.steps),
        label_params=d.label_params,
    )


def run_test(
    process: engine.ParsedProcess, *, contract: RequestTypeContract | None, forms: dict[str, dict]
) -> TestRun:
    """Drive the parsed version through every path of its contract; nothing it does is kept."""
    if contract is None:
        message = gettext_noop(
            "The request type has no lifecycle contract, so there is nothing to test against."
        )
        result = PathResult("contract", PathStatus.FAILED, process.process_key, _(message), (), message, {})
        return TestRun(False, (result,))
    results: list[PathResult] = []
    try:
        with transaction.atomic():
            results = [_run_path(path, process, contract, forms) for path in PATHS]
            raise _RolledBack
    except _RolledBack:
        pass
    return TestRun(all(r.passed for r in results), tuple(results))
