"""The words the flow editor's panel writes a timer's name with (portal_ui/editor_timer_names.py): every
language of the portal, the page's first, each count in every plural category Intl.PluralRules names."""

from __future__ import annotations

from django.utils import translation

from portal_ui.editor_timer_names import timer_name_words


def test_the_page_language_comes_first_and_polish_counts_days_after_and_every():
    with translation.override("en"):
        words = timer_name_words()

    assert words["page"] == "en"
    assert list(words["languages"]) == ["en", "pl"]
    polish = words["languages"]["pl"]
    assert polish["after"] == "Po %(duration)s" and polish["every"] == "Co %(duration)s"
    # "po 1 dniu / po 2 dniach / po 5 dniach", "co 1 dzień / co 2 dni", "co 2 tygodnie / co 5 tygodni"
    assert polish["units"]["after"]["D"] == {
        "one": "%(n)s dniu",
        "few": "%(n)s dniach",
        "many": "%(n)s dniach",
        "other": "%(n)s dniach",
    }
    assert polish["units"]["every"]["D"]["one"] == "%(n)s dzień"
    assert polish["units"]["every"]["W"]["few"] == "%(n)s tygodnie"
    assert polish["units"]["every"]["W"]["many"] == "%(n)s tygodni"
    assert polish["times"]["few"] == "%(n)s razy"
    english = words["languages"]["en"]
    assert english["units"]["every"]["H"] == {
        "one": "%(n)s hour",
        "few": "%(n)s hours",
        "many": "%(n)s hours",
        "other": "%(n)s hours",
    }
