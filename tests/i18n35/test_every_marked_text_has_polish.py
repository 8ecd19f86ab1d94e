"""Every text the code marks for translation has a Polish translation Django finds at run time.

A msgid missing from every catalogue, or only fuzzy there, is shown in English on a Polish page, in a
Polish e-mail or a Polish file; the page crawl (test_pages_in_both_languages.py) sees only the branches
its data reaches, this reads every marked literal of the source (tests/i18n35/source_msgids.py)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from tests.i18n35.source_msgids import Msgid, python_msgids, template_msgids

# Texts whose Polish is spelled as the English: names of registers and codes, the same word in both.
SAME_IN_POLISH = {
    "NIP",
    "NIP %(nip)s",
    "REGON",
    "KRS",
    "VAT",
    "VIN",
    "E-mail",
    "e-mail",
    "PDF",
    "Menu",
    "System",
    "Status",
    "status",
    "Administrator",
    "administrator",
    "Element",
    "element",
    "host",
    "Portal",
    "VAT %(rate)s%%",
    "status: %(status)s",
    "%(every)s, %(times)s",
    "%(noun)s %(number)s: %(decision)s",
    "{count} / {limit}",
    "%%(n)s d",
    "%%(n)s min",
}


def polish_of(msgid: Msgid) -> str:
    if msgid.plural is not None:
        if msgid.context is not None:
            return npgettext(msgid.context, msgid.text, msgid.plural, 5)
        return ngettext(msgid.text, msgid.plural, 5)
    if msgid.context is not None:
        return pgettext(msgid.context, msgid.text)
    return gettext(msgid.text)


def untranslated(msgids: list[Msgid]) -> list[str]:
    with translation.override("pl"):
        return sorted(
            f"{m.where}: {m.text!r}" + (f" (context {m.context!r})" if m.context else "")
            for m in msgids
            if m.text.strip() and m.text not in SAME_IN_POLISH and polish_of(m) in {m.text, m.plural}
        )


def test_the_sources_marked_texts_are_found_at_all():
    python, templates = list(python_msgids()), list(template_msgids())
    assert len(python) > 1000 and len(templates) > 1000
    assert any(m.context == "VAT rate" and m.text == "exempt" for m in python)


def test_every_text_marked_in_python_has_polish():
    assert untranslated(list(python_msgids())) == []


def test_every_text_marked_in_a_template_has_polish():
    assert untranslated(list(template_msgids())) == []
