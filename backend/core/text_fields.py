"""Text a user types, as the API and the pages take it: one place for the rules of text fields.

Single-line text (a subject, a name, an address line) is shown to other people (the staff inbox and task
list, e-mails, documents), so it may not hold characters that do not show as themselves: C0 and C1 control
characters (a bell, an escape sequence, a line break, which has no place in an e-mail subject either), the
bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: after a right-to-left
override "faktura_fdp.exe" reads "faktura_exe.pdf") and the invisible marks (zero-width space, direction
marks, word joiner, byte order mark) that make two different texts look alike. Letters of any language and
emoji stay allowed, the zero-width joiner too (U+200D joins emoji, e.g. a family, into one).

Multi-line text (a textarea) keeps its line breaks, tabs and direction marks (U+200E, U+200F: pasted text
carries them and they only settle where neutral characters go), but refuses the bidirectional embeddings,
overrides and isolates as single-line text does: an override reverses what follows it on the screen of
whoever reads it ("konto " + U+202E + "0987654321" showed staff 1234567890), and a message never needs
them. The pages also isolate the direction of the user text they show (portal.css, `unicode-bidi`).
A browser submits every line break of a textarea as CRLF (two characters) while its `maxlength` counts
one: a message of exactly the allowed length with line breaks was refused by the server. Line breaks are
therefore turned into "\\n" before the length is checked and before anything is stored, whatever sent them.
So are a vertical tab (what Word's Shift+Enter pastes) and a form feed (a page break): they mean a new line.
Every other C0 control character (and DEL) is refused: it shows as nothing, and XML, so a decision
DOCX, cannot hold it (python-docx: "All strings must be XML compatible").
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

HIDDEN_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
# The bidirectional embeddings, overrides and isolates: refused in multi-line text too.
DIRECTION_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What a multi-line text may not hold once its line breaks are LF: C0 controls but the tab and LF, and DEL.
MULTILINE_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# Line breaks as other programs write them: CRLF, a lone CR, a vertical tab (Word's Shift+Enter), a form feed.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")


def refuse_hidden_characters(value: str) -> None:
    """A field validator (Django and DRF) for single-line text."""
    if HIDDEN_CHARACTERS.search(value or ""):
        raise ValidationError(
            _(
                "Remove the control characters and invisible formatting characters (such as text direction marks)."
            ),
            code="hidden_characters",
        )


class SingleLineTextField(serializers.CharField):
    """A CharField for a subject, a name or an address line: hidden characters are refused."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(refuse_hidden_characters)


def normalize_line_breaks(text: str) -> str:
    """CRLF, a lone CR (old Mac, some clients), a vertical tab and a form feed become LF."""
    return _LINE_BREAKS.sub("\n", text)


def refuse_direction_overrides(value: str) -> None:
    """A field validator (Django and DRF) for multi-line text."""
    if DIRECTION_OVERRIDES.search(value or ""):
        raise ValidationError(
            _(
                "Remove the text direction control characters (U+202A to U+202E, U+2066 to U+2069): they "
                "reverse the text for whoever reads it."
            ),
            code="direction_overrides",
        )


def refuse_control_characters(value: str) -> None:
    """A field validator for multi-line text whose line breaks are normalized (normalize_line_breaks)."""
    if MULTILINE_CONTROLS.search(value or ""):
        raise ValidationError(
            _("Remove the control characters: only letters, line breaks and tabs can be kept."),
            code="control_characters",
        )


class MultilineTextField(serializers.CharField):
    """A CharField for textarea text: line breaks normalized first, so `max_length` counts what the user
    sees; other control characters and direction overrides are refused."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(refuse_control_characters)
        self.validators.append(refuse_direction_overrides)

    def to_internal_value(self, data) -> str:
        return normalize_line_breaks(super().to_internal_value(data))
