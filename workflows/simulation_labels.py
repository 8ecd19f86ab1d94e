"""What a test run's paths are called and why one stopped, in the reader's language: a stored run reads in
the language of whoever looks at it later (workflows/simulation.py runs the paths)."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from workflows.reason_words import reason_text
from workflows.simulation import REMINDER_DAY, PathResult

PATH_LABELS = {
    "approve": gettext_lazy("Submit → approve"),
    "reject": gettext_lazy("Submit → reject"),
    "ask_reply_approve": gettext_lazy("Submit → question → reply → approve"),
    # The day is the version's own reminder timer's (path_label); REMINDER_DAY until the run knows it.
    "reminder": gettext_lazy("Reminder on day %(day)d of waiting for the client"),
    "cancel": gettext_lazy("Cancellation on day 30 of waiting for the client"),
}


def path_label(path: dict | PathResult) -> str:
    """A path's label in the active language, with what it found in the version (its reminder's day)."""
    found = path if isinstance(path, dict) else asdict(path)
    label = PATH_LABELS.get(found["path"])
    if label is None:
        return found["path"]
    params = found.get("label_params") or {}
    text = str(label) % {"day": REMINDER_DAY, **params}
    if "reminder_days" in params:  # the cancel path counted the reminders before it (runs since 1.12.2026)
        text = f"{text} {_reminders_before(params['reminder_days'])}"
    return text


def _reminders_before(days: list[int]) -> str:
    if not days:
        return _("(no reminder before it)")
    count = len(days)
    return ngettext(
        "(after %(count)d reminder: day %(days)s)", "(after %(count)d reminders: days %(days)s)", count
    ) % {"count": count, "days": ", ".join(str(day) for day in days)}


def path_reason(path: dict | PathResult) -> str:
    """A path's reason in the active language (stored runs from before reason_id keep their text)."""
    found = path if isinstance(path, dict) else asdict(path)
    if found.get("reason_id"):
        # Outcomes are stored as their values and named in the reader's words (outcome_labels).
        return reason_text(found["reason_id"], found.get("reason_params") or {})
    return found.get("reason", "")
