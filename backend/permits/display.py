"""How a permit request's submitted data reads on the request pages (client and staff)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.language import active_lang
from backend.core.money import format_date
from backend.permits.countries import country_name

PERMIT_LABELS = {
    "vehicle": _("Vehicle"),
    "countries": _("Countries"),
    "date_from": _("Travel from"),
    "date_to": _("Return by"),
}
# Submitted data the pages do not list: the chosen vehicle's id (its name is "vehicle").
PERMIT_HIDDEN = {"item_id"}


def permit_value(key: str, value) -> str:
    language = active_lang()
    if key == "countries" and isinstance(value, list):
        return ", ".join(f"{country_name(code, language)} ({code})" for code in value)
    if key in {"date_from", "date_to"}:
        try:
            return format_date(date.fromisoformat(str(value)), lang=language)
        except ValueError:
            return str(value)
    return str(value)


def trip_dates(form: dict | None) -> tuple[date, date] | None:
    """(departure, return) of a permit request's submitted data; None when it has no readable dates."""
    try:
        return date.fromisoformat(str(form["date_from"])), date.fromisoformat(str(form["date_to"]))
    except (KeyError, TypeError, ValueError):
        return None


def trip_ended_refusal(form: dict | None, *, today: date | None = None) -> str:
    """Why no permit can be issued any more (the return date has passed), or "": the submit refused a trip
    in the past, but staff may decide days later, and a permit valid only before its issue date is void."""
    dates = trip_dates(form)
    today = today or timezone.localdate()
    if dates is None or dates[1] >= today:
        return ""
    return _(
        "The trip ended on %(date)s: a permit cannot be issued after the return date. Reject the request; "
        "the client can ask again for another trip."
    ) % {"date": format_date(dates[1], lang=active_lang())}


def trip_started_warning(form: dict | None, *, today: date | None = None) -> str:
    """Staff's warning while deciding: the departure date has passed (the trip is under way, or over)."""
    dates = trip_dates(form)
    today = today or timezone.localdate()
    if dates is None or dates[0] >= today:
        return ""
    return trip_ended_refusal(form, today=today) or _(
        "The trip began on %(date)s: a permit issued now is dated after its departure date."
    ) % {"date": format_date(dates[0], lang=active_lang())}
