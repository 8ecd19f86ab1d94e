"""What the editor's properties panel knows of a request type's contract (workflows/contract.py), so it
offers only what deploy accepts: the form of each user task with its fields, the decision tables its
business-rule tasks must call, the timers whose length the published terms fix, and how often a reminder
to the client may repeat.

Plain data for the page (flow_editor.html, json_script "editor-contract"); the panel's script reads it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import get_language, pgettext_lazy

from workflows import contract as flow_contract
from workflows.deploy_rules_timers import reminder_cycle_rule
from workflows.forms import load_form

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


def editor_contract(process_key: str) -> dict:
    """The contract of the type as the panel uses it; an undeclared type gives empty lists (deploy refuses it)."""
    contract = flow_contract.get_contract(process_key)
    if contract is None:
        return {"tasks": {}, "forms": {}, "decisions": [], "timers": {}, "reminders": {}}
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
        # Timers the terms fix: their one ISO-8601 duration (deploy refuses another length or kind).
        "timers": {
            timer.event_id: {"duration": _iso_duration(timer.duration), "days": timer.duration.days}
            for timer in contract.timers
            if timer.duration is not None
        },
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
