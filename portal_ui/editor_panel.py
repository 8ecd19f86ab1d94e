"""What the editor's properties panel knows of a request type's contract (workflows/contract.py), so it
offers only what deploy accepts: the form of each user task with its fields, the decision tables its
business-rule tasks must call, the timers whose length or date the published terms fix, how often a reminder
to the client may repeat, the timers' help that is true of this type (its reminder, its cancel), and the
lanes' words in the page's language.

Plain data for the page (flow_editor.html, json_script "editor-contract" and its texts); the panel's script
reads it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from backend.requests_app import complaints
from workflows import contract as flow_contract
from workflows import simulation
from workflows.deploy_rules_timers import reminder_cycle_rule
from workflows.forms import load_form
from workflows.lane_labels import lane_labels

# A field's JSON Schema type as the panel names it (an `enum` is a choice, whatever its type).
FIELD_TYPES = {
    "string": pgettext_lazy("form field type", "text"),
    "integer": pgettext_lazy("form field type", "whole number"),
    "number": pgettext_lazy("form field type", "number"),
    "boolean": pgettext_lazy("form field type", "yes / no"),
    "array": pgettext_lazy("form field type", "list"),
    "object": pgettext_lazy("form field type", "group of fields"),
    "choice": pgettext_lazy("form field type", "choice"),
    "date": pgettext_lazy("form field type", "date"),
}


def _title(schema: dict, fallback: str) -> str:
    """The schema's title in the page's language: `title` is Polish, `x-title-en` English."""
    if (get_language() or "pl").startswith("en") and schema.get("x-title-en"):
        return schema["x-title-en"]
    return schema.get("title") or fallback


def _field_type(schema: dict) -> str:
    if "enum" in schema:
        kind = "choice"
    elif schema.get("format") == "date":
        kind = "date"
    else:
        kind = schema.get("type", "string")
        kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
    return str(FIELD_TYPES.get(kind, kind))


def form_fields(schema: dict) -> list[dict]:
    """The form's top-level fields in form order: name, label, type, and whether it is always required,
    required only with some answers (an if/then rule of the schema) or optional."""
    always = set(schema.get("required", []))
    sometimes = {
        name for rule in schema.get("allOf", []) for name in (rule.get("then") or {}).get("required", [])
    }
    return [
        {
            "name": name,
            "label": _title(field, name),
            "type": _field_type(field),
            "required": "always" if name in always else "sometimes" if name in sometimes else "no",
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _iso_duration(length: timedelta) -> str:
    if length % timedelta(days=1):
        return f"PT{int(length.total_seconds())}S"
    return f"P{length.days}D"


def fixed_read_text(timer: flow_contract.TimerContract) -> str:
    """Why a date timer's read of the request data cannot be changed: what the date is (the reason the
    contract names, in words), and that deploy refuses another (deploy_rules_timers.check_timer_reads)."""
    reads = timer.reads
    if timer.fixed_read_reason == flow_contract.FixedReadReason.CLIENT_REPLY_WAIT_END:
        days = complaints.REPLY_MARGIN_DAYS
        return ngettext(
            "Fixed by the terms of this request type: the date is read from %(read)s, the moment the wait for "
            "the client's reply ends (the start of the day %(days)d day before the statutory deadline; the "
            "client is asked to reply by the day before). Deploy refuses another date, so it cannot be "
            "changed here.",
            "Fixed by the terms of this request type: the date is read from %(read)s, the moment the wait for "
            "the client's reply ends (the start of the day %(days)d days before the statutory deadline; the "
            "client is asked to reply by the day before). Deploy refuses another date, so it cannot be "
            "changed here.",
            days,
        ) % {"read": reads, "days": days}
    return _(
        "Fixed by the terms of this request type: the date is read from %(read)s. Deploy refuses another "
        "date, so it cannot be changed here."
    ) % {"read": reads}


def timer_help(process_key: str) -> dict[str, str]:
    """The help and error texts of a timer's value that are true of this type: the reminder's day only
    where the type reminds the client, the cancel only where its terms fix one, and a read of the request
    data never (the one timer that reads one is fixed to it and says so, editor_contract)."""
    contract = flow_contract.get_contract(process_key)
    timers = contract.timers if contract else ()
    duration = [_("For example P14D (14 days) or PT12H (12 hours).")]
    if any(timer.reminds_client for timer in timers):
        duration.append(
            _(
                "The reminder to the client must come by day %(day)d of waiting for the reply (P%(day)dD or "
                "less)."
            )
            % {"day": simulation.REMINDER_DAY}
        )
    for timer in timers:
        if timer.outcome == flow_contract.Outcome.CANCELLED and timer.duration is not None:
            duration.append(
                _(
                    "The request is cancelled after exactly %(days)d days of waiting for the reply (%(duration)s)."
                )
                % {"days": timer.duration.days, "duration": _iso_duration(timer.duration)}
            )
    # A read of the request data is offered only on the timer whose terms fix it, and said there (the
    # contract's "timers"); another timer reading it would end the same wait the fixed one ends.
    date = _("A date and time with its time zone, for example 2027-01-31T09:00:00+01:00.")
    date_invalid = _("Enter a date and time with its time zone, such as 2027-01-31T09:00:00+01:00.")
    return {"duration": " ".join(duration), "date": date, "date_invalid": date_invalid}


def editor_contract(process_key: str) -> dict:
    """The contract of the type as the panel uses it; an undeclared type gives empty lists (deploy refuses it)."""
    contract = flow_contract.get_contract(process_key)
    if contract is None:
        return {
            "tasks": {},
            "forms": {},
            "decisions": [],
            "timers": {},
            "reminders": {},
            "lanes": lane_labels(),
        }
    forms = {}
    for task in contract.user_tasks:
        try:
            schema = load_form(task.form_key)
        except FileNotFoundError:
            schema = {}
        forms[task.form_key] = {"title": _title(schema, task.form_key), "fields": form_fields(schema)}
    return {
        "tasks": {
            task.task_id: {"lane": task.lane.value, "form": task.form_key} for task in contract.user_tasks
        },
        "forms": forms,
        "decisions": sorted(contract.decisions),
        # Timers the terms fix: their one ISO-8601 duration, or the one read of the request data a date
        # timer takes its date from, with why (deploy refuses another length, date or kind).
        "timers": {
            timer.event_id: (
                {"duration": _iso_duration(timer.duration), "days": timer.duration.days}
                if timer.duration is not None
                else {"reads": timer.reads, "text": fixed_read_text(timer)}
            )
            for timer in contract.timers
            if timer.duration is not None or timer.reads
        },
        "lanes": lane_labels(),
        # Timers that remind the client: a cycle on them is bounded (deploy_rules_timers), said at the field.
        "reminders": {
            timer.event_id: {
                "maxRepeats": flow_contract.REMINDER_MAX_REPEATS,
                "minSeconds": int(flow_contract.REMINDER_MIN_INTERVAL.total_seconds()),
                "rule": reminder_cycle_rule(),
            }
            for timer in contract.timers
            if timer.reminds_client
        },
    }
