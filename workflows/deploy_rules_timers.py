"""Deploy rules of the contract's timers: a repeating reminder must end and stay sparse; a date the terms fix
is read from where they put it.

Each repetition is an e-mail and a history row for the client. The editor offers a cycle ("R3/P7D") on a
non-interrupting timer, and SpiffWorkflow runs "R/PT1H" (every hour, without end) until the task ends:
for the client's reply that is 30 days, 720 e-mails. The contract marks the timers that remind the client
(TimerContract.reminds_client) and bounds their cycles (REMINDER_MAX_REPEATS, REMINDER_MIN_INTERVAL).
A timer whose date the law fixes (a complaint's wait for the client ends days before the statutory
deadline) must read it from the data the process keeps for it (TimerContract.reads).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflows import engine
from workflows.contract import REMINDER_MAX_REPEATS, REMINDER_MIN_INTERVAL, RequestTypeContract
from workflows.deploy_graph import ProcessGraph
from workflows.deploy_rules_lifecycle import timer_expression, valid_timer
from workflows.engine import BpmnProblem
from workflows.engine.bpmn_xml import line_of


def reminder_cycle_rule() -> str:
    """The rule in words, as the refusal and the editor's timer field say it."""
    days = REMINDER_MIN_INTERVAL.days
    return ngettext(
        'A repeating reminder to the client may repeat at most %(max)d times, at most once a day, e.g. "R3/P7D".',
        "A repeating reminder to the client may repeat at most %(max)d times, at most once every %(days)d days, "
        'e.g. "R3/P7D".',
        days,
    ) % {"max": REMINDER_MAX_REPEATS, "days": days}


def check_reminder_cycles(model: ProcessGraph, contract: RequestTypeContract) -> list[BpmnProblem]:
    """Refuse a reminder's cycle without end, with more than REMINDER_MAX_REPEATS repetitions or more
    often than REMINDER_MIN_INTERVAL."""
    problems: list[BpmnProblem] = []
    for timer in contract.timers:
        node = model.nodes.get(timer.event_id)
        if node is None or not timer.reminds_client:
            continue
        expression = timer_expression(node)
        cycle = engine.timer_cycle(expression) if valid_timer(expression) else None
        if cycle is None:
            continue
        repeats, interval = cycle
        found = {"timer": timer.event_id, "found": expression}
        if repeats < 0:
            reason = _("The timer %(timer)s repeats without end (%(found)s).") % found
        elif repeats > REMINDER_MAX_REPEATS:
            reason = _("The timer %(timer)s would remind the client %(count)d times (%(found)s).") % {
                **found,
                "count": repeats,
            }
        elif interval < REMINDER_MIN_INTERVAL:
            reason = (
                _("The timer %(timer)s would remind the client more often than allowed (%(found)s).") % found
            )
        else:
            continue
        problems.append(BpmnProblem(timer.event_id, f"{reason} {reminder_cycle_rule()}", line_of(node)))
    return problems


def check_timer_reads(model: ProcessGraph, contract: RequestTypeContract) -> list[BpmnProblem]:
    """Refuse a contract timer that takes its date from anything but the read the contract fixes."""
    problems: list[BpmnProblem] = []
    for timer in contract.timers:
        node = model.nodes.get(timer.event_id)
        if node is None or not timer.reads:
            continue
        expression = timer_expression(node)
        if engine.data_reference(expression) == engine.data_reference(timer.reads):  # quotes, spaces aside
            continue
        reason = _(
            "The timer %(timer)s must take its date from %(reads)s, not %(found)s: the portal's rules compute "
            "that moment (and move it when they must), so the request type's contract fixes where the timer "
            "reads it."
        ) % {"timer": timer.event_id, "reads": timer.reads, "found": expression or "—"}
        problems.append(BpmnProblem(timer.event_id, reason, line_of(node)))
    return problems
