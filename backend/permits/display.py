"""How a permit request's submitted data reads on the request pages (client and staff)."""

from __future__ import annotations

from datetime import date

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
