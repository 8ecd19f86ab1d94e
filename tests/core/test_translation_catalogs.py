"""Every Polish text the project translates is the text a Polish page shows.

Django merges the catalogs of LOCALE_PATHS and of every installed app into one, and for a msgid in
several only one wins (Django admin's own catalog, first in INSTALLED_APPS, beats ours). A clash
silently replaces our translation: admin's English "Breadcrumbs", another app's "stawka VAT" in lower
case, an old masculine sentence. This test reads each project catalog (.po) and asks Polish gettext.
"""

import ast
import gettext as gettext_module
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
_PLURAL_FORMS = re.compile(r"plural=(.*?);?\s*$")


@dataclass(frozen=True)
class Entry:
    catalog: str
    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: tuple[str, ...]


def _project_catalogs() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/locale/pl/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def _po_records(path: Path) -> list[tuple[dict[str, str], bool]]:
    """(fields, fuzzy) per entry; a comment or a msgid after a msgstr starts the next one."""
    records: list[tuple[dict[str, str], bool]] = []
    fields: dict[str, str] = {}
    fuzzy = False
    key = ""
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        starts_next = not line.strip() or line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if starts_next and any(k.startswith("msgstr") for k in fields):
            records.append((fields, fuzzy))
            fields, fuzzy = {}, False
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith('"'):
            fields[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        fields[key] = ast.literal_eval(value)
    return records


def _parse_po(path: Path) -> tuple[list[Entry], str]:
    """The translated, non-fuzzy entries of one .po file and its plural expression (what msgfmt keeps)."""
    entries: list[Entry] = []
    plural = "n != 1"
    for fields, fuzzy in _po_records(path):
        if fields["msgid"] == "":
            for header_line in fields.get("msgstr", "").splitlines():
                if header_line.startswith("Plural-Forms:") and (found := _PLURAL_FORMS.search(header_line)):
                    plural = found.group(1)
            continue
        msgstrs = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
        if fuzzy or not any(msgstrs):
            continue
        catalog = str(path.relative_to(ROOT))
        entries.append(
            Entry(catalog, fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), msgstrs)
        )
    return entries, plural


def _shown_in_polish(entry: Entry, plural: str) -> list[tuple[str, str]]:
    """(what Polish gettext returns, what this catalog says) for the entry, per plural form."""
    if entry.msgid_plural is None:
        if entry.context is None:
            return [(translation.gettext(entry.msgid), entry.msgstrs[0])]
        return [(translation.pgettext(entry.context, entry.msgid), entry.msgstrs[0])]
    form_of = gettext_module.c2py(plural)
    pairs = []
    for n in (1, 2, 5, 22):
        if entry.context is None:
            shown = translation.ngettext(entry.msgid, entry.msgid_plural, n)
        else:
            shown = translation.npgettext(entry.context, entry.msgid, entry.msgid_plural, n)
        pairs.append((shown, entry.msgstrs[min(form_of(n), len(entry.msgstrs) - 1)]))
    return pairs


def test_polish_pages_show_every_project_catalogs_own_translation():
    # given every translated text of the project's Polish catalogs
    catalogs = _project_catalogs()
    assert len(catalogs) >= 10
    clashes: list[str] = []
    first_seen: dict[tuple[str | None, str], Entry] = {}
    with translation.override("pl"):
        for path in catalogs:
            entries, plural = _parse_po(path)
            for entry in entries:
                # then two project catalogs carrying the same text agree on its translation
                key = (entry.context, entry.msgid)
                other = first_seen.setdefault(key, entry)
                if other is not entry and other.msgstrs != entry.msgstrs:
                    clashes.append(
                        f"{entry.msgid!r}: {other.catalog} {other.msgstrs} vs {entry.catalog} {entry.msgstrs}"
                    )
                # and no other catalog (Django's, a library's, another app's) replaces it on a Polish page
                for shown, own in _shown_in_polish(entry, plural):
                    if shown != own:
                        clashes.append(
                            f"{entry.msgid!r} in {entry.catalog}: Polish pages show {shown!r}, not {own!r}"
                        )
    assert not clashes, "\n".join(clashes)
