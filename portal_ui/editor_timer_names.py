"""The words a timer's name says its value with ("Po 14 dniach", "Co 7 dni, 3 razy"), in every language of
the portal, for the properties panel (src/timer_names.js): when the analyst changes the value, a name that
says the old one is rewritten in its own language, and one that says another value is pointed out.

Plain data for the page (flow_editor.html, json_script "timer-names"); each counted phrase in every plural
category of the language (editor_context.plural_texts), for the script to pick with Intl.PluralRules.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import npgettext, pgettext

from portal_ui.editor_context import plural_texts

# The parts of an ISO-8601 duration, in its order: "MIN" is the minutes of its time part (PT30M).
UNITS = ("Y", "M", "W", "D", "H", "MIN", "S")


def _after(unit: str, count: int) -> str:
    """The part of "after …" (Polish: the locative, "po 14 dniach")."""
    return {
        "Y": lambda: npgettext("timer name, after", "%(n)s year", "%(n)s years", count),
        "M": lambda: npgettext("timer name, after", "%(n)s month", "%(n)s months", count),
        "W": lambda: npgettext("timer name, after", "%(n)s week", "%(n)s weeks", count),
        "D": lambda: npgettext("timer name, after", "%(n)s day", "%(n)s days", count),
        "H": lambda: npgettext("timer name, after", "%(n)s hour", "%(n)s hours", count),
        "MIN": lambda: npgettext("timer name, after", "%(n)s minute", "%(n)s minutes", count),
        "S": lambda: npgettext("timer name, after", "%(n)s second", "%(n)s seconds", count),
    }[unit]()


def _every(unit: str, count: int) -> str:
    """The part of "every …" (Polish: the accusative, "co 7 dni")."""
    return {
        "Y": lambda: npgettext("timer name, every", "%(n)s year", "%(n)s years", count),
        "M": lambda: npgettext("timer name, every", "%(n)s month", "%(n)s months", count),
        "W": lambda: npgettext("timer name, every", "%(n)s week", "%(n)s weeks", count),
        "D": lambda: npgettext("timer name, every", "%(n)s day", "%(n)s days", count),
        "H": lambda: npgettext("timer name, every", "%(n)s hour", "%(n)s hours", count),
        "MIN": lambda: npgettext("timer name, every", "%(n)s minute", "%(n)s minutes", count),
        "S": lambda: npgettext("timer name, every", "%(n)s second", "%(n)s seconds", count),
    }[unit]()


def _words() -> dict:
    return {
        "after": pgettext("timer name", "After %(duration)s"),
        "every": pgettext("timer name", "Every %(duration)s"),
        "everyTimes": pgettext("timer name", "%(every)s, %(times)s"),
        "times": plural_texts(lambda count: npgettext("timer name", "%(n)s time", "%(n)s times", count)),
        "and": pgettext("timer name", "%(first)s and %(second)s"),
        "units": {
            "after": {unit: plural_texts(lambda count, unit=unit: _after(unit, count)) for unit in UNITS},
            "every": {unit: plural_texts(lambda count, unit=unit: _every(unit, count)) for unit in UNITS},
        },
    }


def timer_name_words() -> dict:
    """{"page": the page's language, "languages": {"pl": words, "en": words}}: the page's first."""
    page = translation.get_language() or settings.LANGUAGE_CODE
    languages = {}
    for code, _name in sorted(settings.LANGUAGES, key=lambda language: language[0] != page):
        with translation.override(code):
            languages[code] = _words()
    return {"page": page, "languages": languages}
